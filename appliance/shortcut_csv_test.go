package appliance_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

func TestReadShortcutCSVChecksEachRow(t *testing.T) {
	csv := "\ufeffKind,HOSTNAME,jump_policy,group\n" +
		"local,web01,,it\n" +
		"remote,app01,,it\n" + // a Remote Jump needs a Jumpoint
		"\"local\",\"multi\nline\",,it\n" +
		"local,web02,after-hours,it\n"
	rows, err := appliance.ReadShortcutCSV(strings.NewReader(csv), "s.csv")
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, appliance.ShortcutRow{Line: 2, Kind: "local", Hostname: "web01", OK: true,
		Shortcut: appliance.Shortcut{Kind: appliance.LocalJump, Hostname: "web01", Group: "it"}}, rows[0])
	assert.False(t, rows[1].OK)
	assert.Contains(t, rows[1].Outcome, "refused: ")
	assert.Equal(t, 3, rows[1].Line)
	assert.Equal(t, 4, rows[2].Line, "a row's line is where it starts")
	assert.Equal(t, 6, rows[3].Line)
	assert.Equal(t, "after-hours", rows[3].Shortcut.JumpPolicy, "jump_policy is the jump-policy column")
	for _, r := range rows {
		assert.NotContains(t, r.Outcome, "\n", "an outcome is one line")
	}
}

func TestReadShortcutCSVErrorsSayWhere(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "s.csv: no header row: EOF",
		"kind,hostname,colour\n":     `s.csv:1:3: unknown column "colour" (columns: kind, `,
		"hostname\nweb01\n":          "s.csv:1: no kind column (local, remote, rdp or shell)",
		"kind,hostname\nlocal,\"a\n": "s.csv:2:",
	} {
		_, err := appliance.ReadShortcutCSV(strings.NewReader(in), "s.csv")
		require.Error(t, err, "%q", in)
		assert.True(t, strings.HasPrefix(err.Error(), want), "%q: %v", in, err)
	}
}

func ExampleReadShortcutCSV() {
	csv := "kind,hostname,jumpoint,protocol,group\n" +
		"shell,db01,London,ssh,remote_access\n" +
		"shell,db02,London,gopher,remote_access\n"
	rows, err := appliance.ReadShortcutCSV(strings.NewReader(csv), "shortcuts.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		// A row that is OK goes to Client.ImportJumpShortcut(ctx, r.Shortcut).
		if r.OK {
			fmt.Printf("line %d %s: to send\n", r.Line, r.Hostname)
		} else {
			fmt.Printf("line %d %s: %s\n", r.Line, r.Hostname, r.Outcome)
		}
	}
	// Output:
	// line 2 db01: to send
	// line 3 db02: refused: --protocol "gopher": use ssh or telnet
}

func TestImportShortcutsGoesOnAfterAFailure(t *testing.T) {
	s, c := standin.Start(t)
	csv := "kind,hostname,jumpoint,group,protocol\n" +
		"remote,app01,Tokyo,remote_access,\n" + // no such Jumpoint: the appliance refuses
		"shell,db01,London,remote_access,gopher\n" + // refused before sending
		"shell,db02,London,remote_access,ssh\n"
	rows, err := appliance.ReadShortcutCSV(strings.NewReader(csv), "s.csv")
	require.NoError(t, err)
	var done []int
	failed := c.ImportShortcuts(context.Background(), rows, func(n int) { done = append(done, n) })
	assert.Equal(t, 2, failed)
	assert.Equal(t, []int{1, 2, 3}, done)
	assert.False(t, rows[0].OK)
	assert.Equal(t, "failed: Invalid jumpoint: Tokyo", rows[0].Outcome, "the appliance's words, without the endpoint")
	assert.True(t, strings.HasPrefix(rows[1].Outcome, "refused: "), "untouched: %s", rows[1].Outcome)
	assert.True(t, rows[2].OK)
	assert.Equal(t, "Successfully imported Jump Item shortcut", rows[2].Outcome)
	s.View(func(d *appliancetest.Data) { assert.Len(t, d.Shortcuts, 1) })
}

// A dry run marks the rows that would be sent and leaves the refusals'
// words; it counts the rows that would be refused.
func TestShortcutRowsDryRun(t *testing.T) {
	csv := "kind,hostname,group,protocol,jumpoint\n" +
		"local,web01,it,,\n" +
		"shell,db01,it,gopher,London\n" +
		"shell,db02,it,ssh,London\n"
	rows, err := appliance.ReadShortcutCSV(strings.NewReader(csv), "s.csv")
	require.NoError(t, err)
	refusal := rows[1].Outcome
	assert.Equal(t, 2, rows.ToSend())
	assert.Equal(t, 1, rows.DryRun())
	assert.Equal(t, []string{"would be sent", refusal, "would be sent"}, []string{rows[0].Outcome, rows[1].Outcome, rows[2].Outcome})
	assert.Equal(t, []bool{true, false, true}, []bool{rows[0].OK, rows[1].OK, rows[2].OK}, "a dry run decides nothing")
	assert.Equal(t, 0, appliance.ShortcutRows(nil).ToSend())
	assert.Equal(t, 0, appliance.ShortcutRows(nil).DryRun())
}

func ExampleShortcutRows_DryRun() {
	csv := "kind,hostname,group\nlocal,web01,remote_access\nlocal,web02,\n"
	rows, _ := appliance.ReadShortcutCSV(strings.NewReader(csv), "shortcuts.csv")
	refused := rows.DryRun() // rows.ToSend() > 0: Client.ImportShortcuts(ctx, rows, nil) would send them
	for _, r := range rows {
		fmt.Println(r.Line, r.Hostname, r.Outcome)
	}
	fmt.Println(refused, "would be refused")
	// Output:
	// 2 web01 would be sent
	// 3 web02 refused: a Local Jump shortcut needs --group, the code name of a team (not a personal Jump Group)
	// 1 would be refused
}

// The file is read and named in the errors; a file that cannot be opened
// is os.Open's error.
func TestOpenShortcutCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.csv")
	require.NoError(t, os.WriteFile(path, []byte("kind,hostname,group\nlocal,web01,it\n"), 0o600))
	rows, err := appliance.OpenShortcutCSV(path)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.True(t, rows[0].OK)

	require.NoError(t, os.WriteFile(path, []byte("kind,colour\n"), 0o600))
	_, err = appliance.OpenShortcutCSV(path)
	assert.ErrorContains(t, err, path+`:1:2: unknown column "colour"`)

	missing := filepath.Join(dir, "missing.csv")
	_, err = appliance.OpenShortcutCSV(missing)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	_, want := os.Open(missing)
	assert.EqualError(t, err, want.Error())
}

func TestCanImportShortcutsNamesBothVersions(t *testing.T) {
	s, c := standin.Start(t)
	require.NoError(t, c.CanImportShortcuts(context.Background()))
	s.Update(func(d *appliancetest.Data) { d.APIVersion = "1.13.0" })
	assert.EqualError(t, c.CanImportShortcuts(context.Background()), `the appliance's API is 1.13.0; import_jump_shortcut needs 1.14.0 or later`)
}

func ExampleReason() {
	err := &appliance.Error{Endpoint: "https://support.example.com/api/command", Call: "import_jump_shortcut", Message: "Invalid jumpoint: Tokyo"}
	fmt.Println(appliance.Reason(err))
	// Output: Invalid jumpoint: Tokyo
}
