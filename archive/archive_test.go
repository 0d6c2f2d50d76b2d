package archive

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/pgtest"
)

// backend hands out fresh, empty archives of one kind.
type backend struct {
	name  string
	fresh func(t *testing.T) string // a DSN nobody has used
}

// backends returns SQLite and, when a server can be started, PostgreSQL
// (one server for the calling test, a new database per call).
func backends(t *testing.T) []backend {
	sqlite := backend{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "archive.db") }}
	var (
		once   sync.Once
		server string
		n      atomic.Int64
	)
	pg := backend{"postgres", func(t *testing.T) string {
		once.Do(func() { server = startPG(t) })
		if server == "" {
			t.Skip("SKIPPED: PostgreSQL: the server did not start (see the first skip)")
		}
		return freshPG(t, server, fmt.Sprintf("archive%d", n.Add(1)))
	}}
	return []backend{sqlite, pg}
}

func startPG(t testing.TB) string { return pgtest.Start(t) }

// freshPG creates database name on the server and returns its URL.
func freshPG(t testing.TB, server, name string) string {
	db, err := sql.Open("pgx", server)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("CREATE DATABASE " + name)
	require.NoError(t, err)
	return strings.Replace(server, "/postgres?", "/"+name+"?", 1)
}

// fixture is the rich session of the decoder's golden file.
func fixture(t testing.TB) *reporting.Session {
	b, err := os.ReadFile("../appliance/reporting/testdata/access_session.xml")
	require.NoError(t, err)
	b = bytes.Replace(b, []byte("NSDECL"), nil, 1)
	for s, err := range reporting.Sessions(bytes.NewReader(b), reporting.Options{}) {
		require.NoError(t, err)
		return s
	}
	t.Fatal("no fixture session")
	return nil
}

var t0 = time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)

// population is n sessions ending every 7 minutes from t0, some exactly on
// hour edges, copies of the fixture with their own lsid, key and host.
func population(t testing.TB, n int) []*reporting.Session {
	base := fixture(t)
	var out []*reporting.Session
	for i := range n {
		s := *base
		s.LSID = fmt.Sprintf("%032x", i+1)
		s.ExternalKey = fmt.Sprintf("INC%04d", i%5)
		end := t0.Add(time.Duration(i*7) * time.Minute)
		s.StartTime = reporting.Timestamp{Unix: end.Add(-time.Hour).Unix(), Valid: true}
		s.EndTime = reporting.Timestamp{Unix: end.Unix(), Valid: true}
		cust := append([]reporting.Customer(nil), base.Customers...)
		cust[0].Hostname = fmt.Sprintf("HOST%02d", i%3)
		s.Customers = cust
		out = append(out, &s)
	}
	return out
}

// appliance serves sessions by end_time windows, both bounds included, so
// edge sessions come twice. failAt, when >= 0, fails the window of that
// index after yielding part of it.
type appliance struct {
	sessions []*reporting.Session
	calls    atomic.Int64
	failAt   int64
}

var errInjected = errors.New("injected failure")

func (ap *appliance) source(ctx context.Context, q reporting.Query) iter.Seq2[*reporting.Session, error] {
	call := ap.calls.Add(1) - 1
	return func(yield func(*reporting.Session, error) bool) {
		from := *q.EndTime
		to := from + *q.Duration
		n := 0
		for _, s := range ap.sessions {
			if s.EndTime.Unix < from || s.EndTime.Unix > to {
				continue
			}
			if call == ap.failAt && n == 1 {
				yield(nil, errInjected)
				return
			}
			n++
			if !yield(s, nil) {
				return
			}
		}
		if call == ap.failAt {
			yield(nil, errInjected)
		}
	}
}

// dump is the archive's content, without the columns that record when it
// was written.
func dump(t *testing.T, a *Archive) string {
	var b strings.Builder
	for _, q := range []string{
		`SELECT lsid, lseq, start_time, end_time, duration_seconds, jumpoint, jump_group, external_key, primary_rep, primary_customer, host, file_transfer_count, has_recording, report FROM sessions ORDER BY lsid`,
		`SELECT * FROM participants ORDER BY lsid, seq`,
		`SELECT * FROM events ORDER BY lsid, seq`,
		`SELECT * FROM custom_attributes ORDER BY lsid, code_name`,
		`SELECT * FROM recordings ORDER BY lsid, kind, instance`,
		`SELECT name, cursor_ts FROM sync_state ORDER BY name`,
	} {
		rows, err := a.db.Query(q)
		require.NoError(t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteByte('\n')
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	return b.String()
}

func open(t *testing.T, dsn string) *Archive {
	a, err := Open(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	return a
}

const windows = 6

func opts() SyncOptions {
	return SyncOptions{Since: t0, Until: t0.Add(windows * time.Hour), Window: time.Hour, Fixed: true}
}

func TestSyncInterruptedAtEveryWindow(t *testing.T) {
	t.Parallel() // starts a PostgreSQL server of its own
	ctx := context.Background()
	pop := population(t, 60) // 7 hours of sessions; the sync covers 6
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			clean := open(t, be.fresh(t))
			res, err := clean.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, opts())
			require.NoError(t, err)
			assert.Equal(t, windows, res.Windows)
			want := dump(t, clean)
			n, err := clean.Count(ctx)
			require.NoError(t, err)
			assert.Equal(t, 52, n, "sessions ending in [t0, t0+6h]")

			for k := range windows {
				a := open(t, be.fresh(t))
				_, err := a.Sync(ctx, (&appliance{sessions: pop, failAt: int64(k)}).source, opts())
				require.ErrorIs(t, err, errInjected, "window %d", k)
				cur, ok, err := a.Cursor(ctx, DefaultCursor)
				require.NoError(t, err)
				if k == 0 {
					assert.False(t, ok)
				} else {
					assert.Equal(t, t0.Add(time.Duration(k)*time.Hour), cur, "the cursor stops before the failed window")
				}
				res, err := a.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, opts())
				require.NoError(t, err)
				assert.Equal(t, windows-k, res.Windows, "the resumed sync starts at the failed window")
				assert.Equal(t, want, dump(t, a), "interrupted at window %d then resumed", k)
			}
			// A second sync over the same range adds nothing.
			res, err = clean.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, opts())
			require.NoError(t, err)
			assert.Equal(t, 0, res.Windows)
			assert.Equal(t, want, dump(t, clean))
		})
	}
}

func TestConcurrentSyncs(t *testing.T) {
	t.Parallel() // starts a PostgreSQL server of its own
	ctx := context.Background()
	pop := population(t, 60)
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			ref := open(t, be.fresh(t))
			_, err := ref.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, opts())
			require.NoError(t, err)
			dsn := be.fresh(t)
			a1, a2 := open(t, dsn), open(t, dsn)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, a := range []*Archive{a1, a2} {
				wg.Go(func() {
					_, errs[i] = a.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, opts())
				})
			}
			wg.Wait()
			require.NoError(t, errs[0])
			require.NoError(t, errs[1])
			assert.Equal(t, dump(t, ref), dump(t, a1))
		})
	}
}

// Two programs opening a new archive at once migrate it once.
func TestConcurrentOpen(t *testing.T) {
	t.Parallel() // starts a PostgreSQL server of its own
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			dsn := be.fresh(t)
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Go(func() {
					a, err := Open(context.Background(), dsn)
					if err == nil {
						a.Close()
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for _, err := range errs {
				require.NoError(t, err)
			}
			a := open(t, dsn)
			v, err := a.Version(context.Background())
			require.NoError(t, err)
			assert.Equal(t, Latest(), v)
		})
	}
}

func TestQueries(t *testing.T) {
	t.Parallel() // starts a PostgreSQL server of its own
	ctx := context.Background()
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			a := open(t, be.fresh(t))
			_, err := a.Sync(ctx, (&appliance{sessions: population(t, 30), failAt: -1}).source, opts())
			require.NoError(t, err)
			rows, err := a.Find(ctx, Filter{ExternalKey: "INC0002"})
			require.NoError(t, err)
			require.Len(t, rows, 6)
			for _, r := range rows {
				assert.Equal(t, "INC0002", r.ExternalKey)
			}
			rows, err = a.Find(ctx, Filter{Host: "HOST01"})
			require.NoError(t, err)
			assert.Len(t, rows, 10)
			rows, err = a.Find(ctx, Filter{Technician: "carol", ExternalKey: "INC0001", Host: "HOST01"})
			require.NoError(t, err)
			assert.Len(t, rows, 2) // i = 1, 16
			rows, err = a.Find(ctx, Filter{From: t0, To: t0.Add(time.Hour)})
			require.NoError(t, err)
			assert.Len(t, rows, 9) // starts t0-1h+7i in [t0, t0+1h): i = 9..17
			rows, err = a.Find(ctx, Filter{Technician: "nobody"})
			require.NoError(t, err)
			assert.Empty(t, rows)

			s, err := a.Session(ctx, rows0(t, a).LSID)
			require.NoError(t, err)
			assert.Len(t, s.Events, len(fixture(t).Events))
			assert.Equal(t, "hello\x01\x02world", s.Events[4].Body)
			_, err = a.Session(ctx, "ffffffffffffffffffffffffffffffff")
			assert.ErrorIs(t, err, ErrNotArchived)

			// The resolved performer of the chat event is stored.
			var performer, details string
			require.NoError(t, a.db.QueryRow(a.rebind(`SELECT performer FROM events WHERE lsid = ? AND seq = 3`), s.LSID).Scan(&performer))
			assert.Equal(t, "alice", performer)
			require.NoError(t, a.db.QueryRow(a.rebind(`SELECT details FROM events WHERE lsid = ? AND seq = 2`), s.LSID).Scan(&details))
			assert.Contains(t, details, "svchost.exe")

			// A downloaded recording survives a re-sync of its session.
			require.NoError(t, a.SetRecording(ctx, s.LSID, "session", 0, "/x/rec.bin", 42, "abc"))
			require.NoError(t, a.Update(ctx, func(b *Batch) error { return b.PutSession(ctx, s) }))
			var size int64
			require.NoError(t, a.db.QueryRow(a.rebind(`SELECT size FROM recordings WHERE lsid = ? AND kind = 'session'`), s.LSID).Scan(&size))
			assert.Equal(t, int64(42), size)
		})
	}
}

func rows0(t *testing.T, a *Archive) Row {
	rows, err := a.Find(context.Background(), Filter{Limit: 1})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return rows[0]
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	a := open(t, path)
	v, err := a.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, v)
	var n int
	require.NoError(t, a.db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'sessions_external_key'`).Scan(&n))
	assert.Equal(t, 1, n)
	// A newer archive is refused rather than written with an old schema.
	_, err = a.db.Exec(`INSERT INTO schema_migrations VALUES (99, 'future', 0)`)
	require.NoError(t, err)
	a.Close()
	_, err = Open(ctx, path)
	assert.ErrorContains(t, err, "newer than this program")
}

// A sync run again within the same second has nothing to ask for.
func TestSyncWithinASecond(t *testing.T) {
	a := open(t, filepath.Join(t.TempDir(), "a.db"))
	o := SyncOptions{Since: t0, Until: t0.Add(time.Hour + 200*time.Millisecond), Window: time.Hour}
	_, err := a.Sync(context.Background(), (&appliance{failAt: -1}).source, o)
	require.NoError(t, err)
	o.Until = o.Until.Add(500 * time.Millisecond)
	res, err := a.Sync(context.Background(), (&appliance{failAt: -1}).source, o)
	require.NoError(t, err)
	assert.Equal(t, 0, res.Windows)
}

func TestSyncNeedsAStart(t *testing.T) {
	a := open(t, filepath.Join(t.TempDir(), "a.db"))
	_, err := a.Sync(context.Background(), (&appliance{failAt: -1}).source, SyncOptions{Until: t0})
	assert.ErrorContains(t, err, "first sync starts")
}

func TestRedact(t *testing.T) {
	assert.Equal(t, "postgres://h/db", redact("postgres://u:secret@h/db?password=hunter2&sslmode=disable#x"))
	assert.Equal(t, "a.db", redact("a.db"))
}

// A password on a command line is readable by every user of the machine:
// Open refuses one in any form before connecting, never repeats it, and
// never takes a libpq key=value string for a SQLite file name.
func TestOpenRefusesPasswordsAndKeyValueDSNs(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, dsn := range []string{
		"postgres://postgres@127.0.0.1:1/postgres?password=hunter2",
		"postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&PassWord=hunter2",
		"postgresql://postgres:hunter2@127.0.0.1:1/postgres",
		"postgres://postgres:hunter2@127.0.0.1:1/postgres?sslmode=disable",
		"postgres://postgres@127.0.0.1:1/%zz?password=hunter2",
		"host=127.0.0.1 port=1 user=postgres password=hunter2 dbname=x",
		"  dbname=x user=postgres",
		"POSTGRES://postgres:hunter2@127.0.0.1:1/postgres",
	} {
		_, err := Open(context.Background(), dsn)
		require.Error(t, err, dsn)
		assert.ErrorIs(t, err, ErrDSN, dsn)
		assert.NotContains(t, err.Error(), "hunter2", dsn)
		if strings.Contains(dsn, "host=") || strings.Contains(dsn, "dbname=") {
			assert.Contains(t, err.Error(), "postgres://", dsn)
		} else if !strings.HasPrefix(dsn, "POSTGRES") && !strings.Contains(dsn, "%zz") {
			assert.Contains(t, err.Error(), "$PGPASSWORD", dsn)
		}
	}
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, ents, "no file was created for a connection string")
}

// A connection failure names the server without userinfo or query.
func TestOpenErrorHidesUserinfoAndQuery(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://secretuser@127.0.0.1:1/postgres?sslmode=disable&application_name=secretapp")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "postgres://127.0.0.1:1/postgres")
	assert.NotContains(t, err.Error(), "secretapp")
	assert.NotContains(t, err.Error(), "sslmode")
}

// With adaptive windows (widened, narrowed, and split when over the
// limit), a sync interrupted at any request and run again holds what one
// clean sync holds, and every session is counted once.
func TestAdaptiveSyncInterruptedAtEveryRequest(t *testing.T) {
	ctx := context.Background()
	pop := population(t, 60) // one every 7 minutes, some on window edges
	o := SyncOptions{Since: t0.Add(-3 * time.Hour), Until: t0.Add(7 * time.Hour), Window: 30 * time.Minute, Target: 10, Limit: reporting.Limit{Items: 16}}
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			clean := open(t, be.fresh(t))
			ap := &appliance{sessions: pop, failAt: -1}
			res, err := clean.Sync(ctx, ap.source, o)
			require.NoError(t, err)
			assert.Equal(t, 60, res.Sessions, "each session once, edges included")
			t.Logf("%d requests, %d windows", res.Requests, res.Windows)
			assert.Greater(t, res.Requests, res.Windows, "some windows were over the limit and asked in halves")
			want := dump(t, clean)
			ks := []int{0, res.Requests / 2, res.Requests - 1} // a new PostgreSQL database costs a second
			if be.name == "sqlite" {
				ks = nil
				for k := range res.Requests {
					ks = append(ks, k)
				}
			}
			for _, k := range ks {
				a := open(t, be.fresh(t))
				got, err := a.Sync(ctx, (&appliance{sessions: pop, failAt: int64(k)}).source, o)
				require.ErrorIs(t, err, errInjected, "request %d", k)
				cur, ok, err := a.Cursor(ctx, DefaultCursor)
				require.NoError(t, err)
				if got.Windows > 0 {
					assert.Equal(t, got.Cursor, cur, "the result says where the archive stopped")
				} else {
					assert.False(t, ok)
				}
				_, err = a.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, o)
				require.NoError(t, err)
				assert.Equal(t, want, dump(t, a), "interrupted at request %d then resumed", k)
				n, err := a.Count(ctx)
				require.NoError(t, err)
				assert.Equal(t, 60, n)
			}
		})
	}
}

// A backfill of years costs requests by the sessions, and the next sync,
// an hour later, asks for one window.
func TestAdaptiveBackfillThenSecondSync(t *testing.T) {
	ctx := context.Background()
	a := open(t, filepath.Join(t.TempDir(), "a.db"))
	ap := &appliance{sessions: population(t, 50), failAt: -1}
	until := t0.AddDate(11, 0, 0)
	res, err := a.Sync(ctx, ap.source, SyncOptions{Since: t0.AddDate(-1, 0, 0), Until: until, Window: time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 50, res.Sessions)
	assert.Less(t, res.Requests, 200, "fixed 1-hour windows would send 105,000")
	calls := ap.calls.Load()
	res, err = a.Sync(ctx, ap.source, SyncOptions{Until: until.Add(time.Hour), Window: time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Requests)
	assert.Equal(t, calls+1, ap.calls.Load())
}

// A session still running when a window was answered (no end_time, as
// the guide allows) is kept with no end, and replaced by its ended copy
// when that comes; a later copy without an end never freezes it back to
// running.
func TestRunningSessionIsUpdatedWhenItEnds(t *testing.T) {
	ctx := context.Background()
	for _, be := range backends(t) {
		t.Run(be.name, func(t *testing.T) {
			a := open(t, be.fresh(t))
			s := population(t, 1)[0]
			running := *s
			running.EndTime = reporting.Timestamp{}
			running.Duration = "00:10:00"
			running.Events = running.Events[:2]
			put := func(s *reporting.Session) {
				require.NoError(t, a.Update(ctx, func(b *Batch) error { return b.PutSession(ctx, s) }))
			}
			endOf := func() (sql.NullInt64, int) {
				var end sql.NullInt64
				var events int
				require.NoError(t, a.db.QueryRow(a.rebind(`SELECT end_time FROM sessions WHERE lsid = ?`), s.LSID).Scan(&end))
				require.NoError(t, a.db.QueryRow(a.rebind(`SELECT COUNT(*) FROM events WHERE lsid = ?`), s.LSID).Scan(&events))
				return end, events
			}
			put(&running)
			end, events := endOf()
			assert.False(t, end.Valid, "kept, with no end")
			assert.Equal(t, 2, events)

			put(s)
			end, events = endOf()
			assert.Equal(t, s.EndTime.Unix, end.Int64, "updated once it ended")
			assert.Equal(t, len(s.Events), events)

			put(&running)
			end, events = endOf()
			assert.Equal(t, s.EndTime.Unix, end.Int64, "a copy without an end does not undo the end")
			assert.Equal(t, len(s.Events), events)
			got, err := a.Session(ctx, s.LSID)
			require.NoError(t, err)
			assert.True(t, got.EndTime.Valid)
		})
	}
}

// A session that ended on the second where one sync stopped comes back in
// the next sync's first window, and is not counted or written again.
func TestNextSyncDropsTheLastEdge(t *testing.T) {
	ctx := context.Background()
	pop := population(t, 60) // t0+1h is i*7 minutes for no i; t0+7h is i = 60
	edge := *pop[10]
	edge.LSID = fmt.Sprintf("%032x", 999)
	edge.EndTime = reporting.Timestamp{Unix: t0.Add(time.Hour).Unix(), Valid: true}
	pop = append(pop, &edge)
	a := open(t, filepath.Join(t.TempDir(), "a.db"))
	o := SyncOptions{Since: t0, Until: t0.Add(time.Hour), Window: time.Hour}
	res, err := a.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, o)
	require.NoError(t, err)
	assert.Equal(t, 10, res.Sessions, "i = 0..8 and the edge session")
	var synced int64
	require.NoError(t, a.db.QueryRow(`SELECT synced_at FROM sessions WHERE lsid = ?`, edge.LSID).Scan(&synced))
	a.now = func() time.Time { return time.Unix(synced+100, 0) }
	o.Until = t0.Add(2 * time.Hour)
	res, err = a.Sync(ctx, (&appliance{sessions: pop, failAt: -1}).source, o)
	require.NoError(t, err)
	assert.Equal(t, 9, res.Sessions, "i = 9..17, not the edge session again")
	var again int64
	require.NoError(t, a.db.QueryRow(`SELECT synced_at FROM sessions WHERE lsid = ?`, edge.LSID).Scan(&again))
	assert.Equal(t, synced, again, "the edge session was not written again")
}
