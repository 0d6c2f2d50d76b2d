package gen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
)

func ExampleBatch_Run() {
	cat, _ := brcs.LookupProfile("pam-15.3")
	b := &Batch{Mode: BatchCommand, Catalogue: cat, Rows: []BatchRow{
		{Key: "INC1", Command: Jump{Hostname: "PC01", ExternalKey: "INC1"}.Command()},
		{Key: "INC2", Command: Jump{ExternalKey: "INC2"}.Command()}, // no target: refused
	}}
	rep, err := b.Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Results {
		if r.Done() {
			fmt.Println(r.Row, r.Key, r.Text)
		} else {
			fmt.Println(r.Row, r.Key, "refused:", r.Err)
		}
	}
	fmt.Println(rep.Done, "done,", rep.Refused, "refused")
	// Output:
	// 1 INC1 action=start_jump_item_session&client.hostname=PC01&session.custom.external_key=INC1
	// 2 INC2 refused: the start_jump_item_session command would not be valid: start_jump_item_session needs at least one of client.comments, client.hostname, client.private_ip, client.public_ip, client.tag [at-least-one]
	// 1 done, 1 refused
}

// A batch whose context ends starts no further row: the rows are not
// attempted (never refused), and Stopped is the context's cause.
func TestBatchRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("interrupted by SIGINT")
	cancel(stop)
	rows := make([]BatchRow, 50)
	for i := range rows {
		rows[i] = BatchRow{Key: fmt.Sprint(i), Command: Jump{Hostname: fmt.Sprint("PC", i)}.Command()}
	}
	b := &Batch{Mode: BatchScript, Catalogue: catalogue(t, ""), Rows: rows, OutDir: t.TempDir(), Site: "s", Jobs: 2}
	rep, err := b.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Refused)
	assert.Equal(t, 50, rep.NotAttempted, "no row is started once the context has ended")
	assert.ErrorIs(t, rep.Stopped, stop)
	for _, r := range rep.Results {
		if !r.Attempted {
			assert.ErrorIs(t, r.Err, ErrNotAttempted)
			assert.Empty(t, r.Path)
		}
	}
}

// Output paths are claimed before any row runs: two rows never write one
// file, and a row's file never leaves OutDir.
func TestBatchClaimsEachOutputOnce(t *testing.T) {
	out := t.TempDir()
	j := Jump{Hostname: "PC"}.Command()
	b := &Batch{Mode: BatchScript, Catalogue: catalogue(t, ""), OutDir: out, Rows: []BatchRow{
		{Command: j, Output: "a.brcs-s"}, {Command: j, Output: "./a.brcs-s"}, {Command: j, Output: "../x.brcs-s"}, {Command: j, Output: "sub/b.brcs-s"},
	}}
	rep, err := b.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Done)
	assert.EqualError(t, rep.Results[1].Err, "writes "+filepath.Join(out, "a.brcs-s")+", as row 1 does")
	assert.ErrorContains(t, rep.Results[2].Err, "leaves --out-dir")
	assert.FileExists(t, filepath.Join(out, "sub", "b.brcs-s"), "a row's folder is made")
	_, err = os.Stat(filepath.Join(filepath.Dir(out), "x.brcs-s"))
	assert.True(t, os.IsNotExist(err))

	_, err = (&Batch{Mode: BatchCommand, Catalogue: catalogue(t, ""), Rows: []BatchRow{{Command: j, Output: "a"}}}).Run(context.Background())
	assert.ErrorContains(t, err, "an output file is for the script and fetch modes")
	_, err = (&Batch{Mode: BatchURL, Catalogue: catalogue(t, "")}).Run(context.Background())
	assert.ErrorContains(t, err, "needs the appliance's address")
}

// A row's output under a link in OutDir that leads out of it is refused
// before anything is made: not even the folders the path names are
// created outside OutDir (link/sub/x made sub in the link's target).
func TestBatchMakesNoFolderThroughALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	root := t.TempDir()
	out, elsewhere := filepath.Join(root, "out"), filepath.Join(root, "elsewhere")
	require.NoError(t, os.Mkdir(out, 0o700))
	require.NoError(t, os.Mkdir(elsewhere, 0o700))
	require.NoError(t, os.Symlink(elsewhere, filepath.Join(out, "link")))
	j := Jump{Hostname: "PC"}.Command()
	b := &Batch{Mode: BatchScript, Catalogue: catalogue(t, ""), OutDir: out, Rows: []BatchRow{
		{Command: j, Output: "link/sub/deeper/x.brcs-s"}, {Command: j, Output: "link/y.brcs-s"},
	}}
	rep, err := b.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Refused)
	assert.ErrorContains(t, rep.Results[0].Err, "symbolic link leading out of --out-dir")
	entries, err := os.ReadDir(elsewhere)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing is made in the link's target")
}
