package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

const benchSessions = 10000

// BenchmarkWrite measures, side by side in each iteration, Sync of 10,000
// generated sessions of 10 events (upserts, child rows rewritten, the
// cursor in the window's transaction) and the baseline of each backend
// writing the same rows into a fresh archive: for SQLite plain prepared
// INSERTs in one transaction, for PostgreSQL a CopyFrom into each table.
// It reports both rates in sessions a second and their ratio.
func BenchmarkWrite(b *testing.B) {
	pop := benchPopulation(b)
	src := (&appliance{sessions: pop, failAt: -1}).source
	o := SyncOptions{Since: t0.Add(-time.Hour), Until: t0.Add(benchSessions * 7 * time.Minute), Window: benchSessions * 7 * time.Minute,
		Target: 2 * benchSessions, Limit: reporting.Limit{Items: 2 * benchSessions}}
	forBackends(b, func(b *testing.B, dsn func() string) {
		baseline := plainInsert
		if strings.Contains(b.Name(), "postgres") {
			baseline = copyFrom
		}
		var subject, base time.Duration
		for b.Loop() {
			a := openBench(b, dsn())
			start := time.Now()
			res, err := a.Sync(context.Background(), src, o)
			if err != nil {
				b.Fatal(err)
			}
			subject += time.Since(start)
			if res.Sessions != benchSessions {
				b.Fatalf("%d sessions", res.Sessions)
			}
			a.Close()
			a = openBench(b, dsn())
			start = time.Now()
			if err := baseline(a, pop); err != nil {
				b.Fatal(err)
			}
			base += time.Since(start)
			a.Close()
		}
		n := float64(benchSessions * b.N)
		b.ReportMetric(n/subject.Seconds(), "sync-sessions/s")
		b.ReportMetric(n/base.Seconds(), "baseline-sessions/s")
		b.ReportMetric(base.Seconds()/subject.Seconds(), "ratio")
	})
}

func openBench(b *testing.B, dsn string) *Archive {
	a, err := Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// copyFrom is PostgreSQL's baseline: the rows Sync writes, built the same
// way, copied into the tables in one transaction, with no staging, no
// upsert and no cursor.
func copyFrom(a *Archive, pop []*reporting.Session) error {
	ctx := context.Background()
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		var rs []*rows
		for _, s := range pop {
			r, err := sessionRows(s, time.Unix(0, 0))
			if err != nil {
				return err
			}
			rs = append(rs, r)
		}
		tables := byStagingTable(rs)
		for i, t := range stagingTables {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.like}, t.cols, pgx.CopyFromRows(tables[i])); err != nil {
				return err
			}
		}
		return tx.Commit(ctx)
	})
}

func benchPopulation(b *testing.B) []*reporting.Session {
	pop := population(b, benchSessions)
	for _, s := range pop {
		s.Events = s.Events[:10]
	}
	return pop
}

func forBackends(b *testing.B, f func(*testing.B, func() string)) {
	b.Run("sqlite", func(b *testing.B) {
		f(b, func() string { return fmt.Sprintf("%s/a-%d.db", b.TempDir(), time.Now().UnixNano()) })
	})
	b.Run("postgres", func(b *testing.B) {
		server := startPG(b)
		n := 0
		f(b, func() string { n++; return freshPG(b, server, fmt.Sprintf("bench%d", n)) })
	})
}

func plainInsert(a *Archive, pop []*reporting.Session) error {
	ctx := context.Background()
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	prep := func(q string) (func(...any) error, error) {
		st, err := tx.PrepareContext(ctx, a.rebind(q))
		if err != nil {
			return nil, err
		}
		return func(args ...any) error { _, err := st.ExecContext(ctx, args...); return err }, nil
	}
	sess, err := prep(`INSERT INTO sessions (lsid, lseq, session_type, start_time, end_time, duration_seconds, jumpoint, jump_group,
		external_key, primary_rep, primary_customer, host, file_transfer_count, file_move_count, file_delete_count, has_recording, report, synced_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	part, err := prep(`INSERT INTO participants (lsid, seq, kind, gsnumber, username, hostname) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	ev, err := prep(`INSERT INTO events (lsid, seq, ts, event_type, performer_name, body, filename) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	ca, err := prep(`INSERT INTO custom_attributes (lsid, code_name, display_name, value) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, s := range pop {
		report, _ := json.Marshal(s)
		if err := sess(s.LSID, s.LSeq, s.SessionType, s.StartTime.Unix, s.EndTime.Unix, 3600, s.Jumpoint.Name, s.JumpGroup.Name, s.ExternalKey,
			s.PrimaryRep.Name, s.PrimaryCustomer.Name, s.Customers[0].Hostname, s.FileTransferCount, s.FileMoveCount, s.FileDeleteCount, 1, string(report), 0); err != nil {
			return err
		}
		seq := 0
		for _, c := range s.Customers {
			if err := part(s.LSID, seq, "customer", c.GSNumber, c.Username, c.Hostname); err != nil {
				return err
			}
			seq++
		}
		for _, r := range s.Representatives {
			if err := part(s.LSID, seq, "representative", r.GSNumber, r.Username, r.Hostname); err != nil {
				return err
			}
			seq++
		}
		for i, e := range s.Events {
			if err := ev(s.LSID, i, e.Timestamp.Unix, e.Type, e.PerformedBy.Name, e.Body, e.Filename); err != nil {
				return err
			}
		}
		for _, c := range s.CustomAttributes {
			if err := ca(s.LSID, c.CodeName, c.DisplayName, c.Value); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}
