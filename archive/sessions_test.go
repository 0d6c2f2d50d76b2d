package archive

import (
	"context"
	"iter"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// archived is an archive holding population(t, 10): tickets INC0000 to
// INC0004, two sessions each.
func archived(t *testing.T) *Archive {
	a := open(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := context.Background()
	require.NoError(t, a.Update(ctx, func(b *Batch) error {
		for _, s := range population(t, 10) {
			if err := b.PutSession(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}))
	return a
}

func TestSessionsOfAFilter(t *testing.T) {
	a := archived(t)
	ctx := context.Background()
	seq, err := a.Sessions(ctx, Filter{ExternalKey: "INC0002"})
	require.NoError(t, err)
	var ids []string
	for s, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "INC0002", s.ExternalKey)
		assert.Len(t, s.Events, len(fixture(t).Events), "the whole report")
		ids = append(ids, s.LSID)
	}
	rows, err := a.Find(ctx, Filter{ExternalKey: "INC0002"})
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, []string{rows[0].LSID, rows[1].LSID}, ids, "in Find's order")

	seq, err = a.Sessions(ctx, Filter{ExternalKey: "none"})
	require.NoError(t, err)
	for range seq {
		t.Fatal("no session")
	}

	a.Close()
	_, err = a.Sessions(ctx, Filter{})
	assert.Error(t, err, "a closed archive says so before anything is yielded")
}

// A recording saved is recorded under its kind: the screen recording as
// session 0, a shell by its instance; a shell's text form is not.
func TestSetSaved(t *testing.T) {
	a := archived(t)
	ctx := context.Background()
	lsid := population(t, 1)[0].LSID
	require.NoError(t, a.SetSaved(ctx, reporting.ByLSID(reporting.AccessSessionRecording, lsid), "/e/rec.flv", 10, "aa"))
	require.NoError(t, a.SetSaved(ctx, reporting.ShellRecordingOf(lsid, 1, false), "/e/shell-1.bin", 11, "bb"))
	require.NoError(t, a.SetSaved(ctx, reporting.ShellRecordingOf(lsid, 1, true), "/e/shell-1.txt", 12, "cc"))
	rs, err := a.Recordings(ctx, lsid)
	require.NoError(t, err)
	got := map[[2]any]Recording{}
	for _, r := range rs {
		got[[2]any{r.Kind, r.Instance}] = r
	}
	assert.Equal(t, "/e/rec.flv", got[[2]any{"session", 0}].Path)
	assert.Equal(t, int64(10), got[[2]any{"session", 0}].Size)
	assert.Equal(t, "/e/shell-1.bin", got[[2]any{"shell", 1}].Path, "the text form is not recorded over the recording")
	assert.Equal(t, "bb", got[[2]any{"shell", 1}].SHA256)
	assert.Empty(t, got[[2]any{"shell", 0}].Path, "not saved")

	err = a.SetSaved(ctx, reporting.ByLSIDs(lsid), "/e/x", 1, "dd")
	assert.EqualError(t, err, "AccessSession is not a recording the archive keeps")
	err = a.SetSaved(ctx, reporting.Query{Report: reporting.CommandShellRecording, LSID: lsid}, "/e/x", 1, "dd")
	assert.EqualError(t, err, "CommandShellRecording without an instance names no recording")
}

// sessioner records the options its Sessions was called with.
type sessioner struct {
	asked []reporting.Query
	opts  []reporting.Options
}

func (s *sessioner) Sessions(ctx context.Context, q reporting.Query, o reporting.Options) iter.Seq2[*reporting.Session, error] {
	s.asked, s.opts = append(s.asked, q), append(s.opts, o)
	return func(yield func(*reporting.Session, error) bool) {}
}

func TestSourceOfPassesTheOptions(t *testing.T) {
	cl := &sessioner{}
	o := reporting.Options{MaxElementBytes: 1234}
	a := open(t, filepath.Join(t.TempDir(), "a.db"))
	res, err := a.Sync(context.Background(), SourceOf(cl, o), opts())
	require.NoError(t, err)
	assert.Equal(t, windows, res.Windows)
	require.Len(t, cl.asked, windows)
	assert.Equal(t, reporting.EndedBetween(reporting.AccessSession, t0, t0.Add(time.Hour)), cl.asked[0])
	for _, got := range cl.opts {
		assert.Equal(t, o, got)
	}
}
