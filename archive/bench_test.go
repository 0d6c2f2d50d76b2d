package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

const benchSessions = 1000

// BenchmarkSync measures Sync (upserts, child rows rewritten, the cursor in
// each window's transaction) of 1,000 generated sessions of 10 events,
// in sessions a second, beside BenchmarkPlainInsert of the same rows.
func BenchmarkSync(b *testing.B) {
	forBackends(b, func(b *testing.B, dsn func() string) {
		pop := benchPopulation(b)
		for b.Loop() {
			a, err := Open(context.Background(), dsn())
			if err != nil {
				b.Fatal(err)
			}
			o := SyncOptions{Since: t0, Until: t0.Add(benchSessions * 7 * time.Minute), Window: 24 * time.Hour}
			res, err := a.Sync(context.Background(), (&appliance{sessions: pop, failAt: -1}).source, o)
			if err != nil {
				b.Fatal(err)
			}
			if res.Sessions < benchSessions {
				b.Fatalf("%d sessions", res.Sessions)
			}
			a.Close()
		}
		b.ReportMetric(float64(benchSessions*b.N)/b.Elapsed().Seconds(), "sessions/s")
	})
}

// BenchmarkPlainInsert is the baseline: the same rows (sessions,
// participants, events, custom attributes) by plain prepared INSERTs in one
// transaction, with no upsert, no deletes and no cursor.
func BenchmarkPlainInsert(b *testing.B) {
	forBackends(b, func(b *testing.B, dsn func() string) {
		pop := benchPopulation(b)
		for b.Loop() {
			a, err := Open(context.Background(), dsn())
			if err != nil {
				b.Fatal(err)
			}
			if err := plainInsert(a, pop); err != nil {
				b.Fatal(err)
			}
			a.Close()
		}
		b.ReportMetric(float64(benchSessions*b.N)/b.Elapsed().Seconds(), "sessions/s")
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
