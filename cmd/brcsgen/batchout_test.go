package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/gen"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

// Issue 17 item 16: every output line of a batch keeps its row's key, so
// an invalid row can never shift a link onto the next ticket.
func TestBatchFormatsKeepEachRowsKey(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("external-key,hostname,tag\nINC1,A,x\nINC2,,\n=INC3,D,y y\n"), 0o644))
	link := "https://a.example/api/client_script?type=rep&operation=generate&action=start_jump_item_session"
	jsonLink := strings.ReplaceAll(link, "&", `\u0026`) // encoding/json's default escaping
	refused := "the start_jump_item_session command would not be valid: start_jump_item_session needs at least one of client.comments, client.hostname, client.private_ip, client.public_ip, client.tag [at-least-one]"
	for format, want := range map[string]string{
		"plain": link + "&client.hostname=A&client.tag=x&session.custom.external_key=INC1\n" +
			"\n" +
			link + "&client.hostname=D&client.tag=y%20y&session.custom.external_key=%3DINC3\n",
		"tsv": "row\tkey\tstatus\tlink\terror\n" +
			"1\tINC1\tdone\t" + link + "&client.hostname=A&client.tag=x&session.custom.external_key=INC1\t\n" +
			"2\tINC2\trefused\t\t" + refused + "\n" +
			"3\t=INC3\tdone\t" + link + "&client.hostname=D&client.tag=y%20y&session.custom.external_key=%3DINC3\t\n",
		"csv": "row,key,status,link,error\n" +
			"1,INC1,done," + link + "&client.hostname=A&client.tag=x&session.custom.external_key=INC1,\n" +
			"2,INC2,refused,,\"" + refused + "\"\n" +
			"3,'=INC3,done," + link + "&client.hostname=D&client.tag=y%20y&session.custom.external_key=%3DINC3,\n",
		"jsonl": `{"key":"INC1","link":"` + jsonLink + `\u0026client.hostname=A\u0026client.tag=x\u0026session.custom.external_key=INC1","row":1,"status":"done"}` + "\n" +
			`{"error":"` + refused + `","key":"INC2","row":2,"status":"refused"}` + "\n" +
			`{"key":"=INC3","link":"` + jsonLink + `\u0026client.hostname=D\u0026client.tag=y%20y\u0026session.custom.external_key=%3DINC3","row":3,"status":"done"}` + "\n",
	} {
		o := brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "url", "--appliance", "https://a.example", "--format", format, "-j", "3")
		assert.Equal(t, 1, o.status, o.stderr)
		assert.Equal(t, want, o.stdout, format)
		assert.Contains(t, o.stderr, "brcsgen: batch: 3 rows, 2 done, 1 refused\n  row 2 (line 3): ", format)
	}
	// The key is the --key column when given; a key cell with a tab or a
	// new line never makes a column or a record in tsv.
	require.NoError(t, os.WriteFile(csvPath, []byte("hostname,name\nA,\"a\tb\nc\"\n"), 0o644))
	o := brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "command", "--format", "tsv", "--key", "name")
	require.Equal(t, 0, o.status, o.stderr)
	assert.Equal(t, "row\tkey\tstatus\tcommand\terror\n1\ta\\tb\\nc\tdone\taction=start_jump_item_session&client.hostname=A\t\n", o.stdout)
	o = brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "command", "--key", "ticket")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "--key ticket: the CSV has no such column")
	o = brcsgen(t, "", "batch", "--csv", csvPath, "--mode", "command", "--format", "xml")
	assert.Equal(t, 2, o.status)
	assert.Contains(t, o.stderr, "--format takes plain, tsv, csv, jsonl")

	// Scripts: the path written, per row.
	require.NoError(t, os.WriteFile(csvPath, []byte("external-key,hostname\nINC1,A\nINC2,\n"), 0o644))
	out := filepath.Join(dir, "out")
	o = brcsgen(t, "", "batch", "--csv", csvPath, "--site", "s", "--out-dir", out, "--format", "tsv")
	assert.Equal(t, 1, o.status, o.stderr)
	assert.Equal(t, "row\tkey\tstatus\tpath\terror\n1\tINC1\tdone\t"+filepath.Join(out, "INC1.brcs-s")+"\t\n2\tINC2\trefused\t\t"+strings.Replace(refused, "the start_jump_item_session command", "the script", 1)+"\n", o.stdout)
}

// Issue 17 item 7: an out-dir that cannot be written exits 1 and is said
// once, for every row, naming the file asked for; the summary counts it.
func TestBatchUnwritableOutputSaidOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits to take the write permission away")
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("hostname\nA1\nA2\nA3\n"), 0o644))
	out := filepath.Join(dir, "ro")
	require.NoError(t, os.Mkdir(out, 0o500))
	t.Cleanup(func() { os.Chmod(out, 0o700) })
	if probe, err := os.Create(filepath.Join(out, "probe")); err == nil {
		probe.Close() // root writes anywhere: a folder under a file then
		os.Remove(probe.Name())
		file := filepath.Join(dir, "file")
		require.NoError(t, os.WriteFile(file, nil, 0o644))
		out = filepath.Join(file, "out")
	}
	o := brcsgen(t, "", "batch", "--csv", csvPath, "--site", "s", "--out-dir", out)
	assert.Equal(t, 1, o.status, o.stderr)
	lines := strings.Split(strings.TrimSuffix(o.stderr, "\n"), "\n")
	require.Len(t, lines, 2, o.stderr)
	assert.Equal(t, "brcsgen: batch: 3 rows, 0 done, 3 refused", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "  rows 1-3 (3 rows): cannot write "+filepath.Join(out, "A1.brcs-s")+" (nor the 2 other files in "+out+"): "), lines[1])
	assert.NotContains(t, o.stderr, ".part")
	assert.NotContains(t, o.stderr, "brcsgen-check")
}

// The README quotes the batch's summary lines: they are what the code
// prints.
func TestREADMEQuotesTheBatchSummary(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(b)
	rep := &gen.BatchReport{Results: make([]gen.RowResult, 940), NotAttempted: 940, Stopped: &cliutil.Interrupted{Signal: os.Interrupt}}
	got := batchSummary(rep)
	require.Equal(t, "brcsgen: batch: 940 rows, 0 done, 0 refused, 940 not attempted\n", got)
	assert.Contains(t, readme, "(`"+strings.TrimSuffix(strings.TrimPrefix(got, "brcsgen: batch: "), "\n")+"`) before `interrupted by SIGINT`")
	rep = &gen.BatchReport{Results: make([]gen.RowResult, 1000), Done: 997, Refused: 3}
	for i := range rep.Results {
		rep.Results[i] = gen.RowResult{Row: i + 1, Attempted: true}
	}
	got = batchSummary(rep)
	assert.Contains(t, readme, "(`"+strings.TrimPrefix(strings.TrimSuffix(got, "\n"), "brcsgen: ")+"`)")
}
