package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgWriter writes a window's sessions in a few round trips whatever their
// number: COPY into temporary staging tables, then one statement per
// table moves them into place (the sessions upserted, their child rows
// replaced).
type pgWriter struct {
	a      *Archive
	tx     pgx.Tx
	staged bool
}

func (a *Archive) updatePostgres(ctx context.Context, fn func(*Batch) error) error {
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the PostgreSQL driver gave a %T", dc)
		}
		tx, err := pc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		w := &pgWriter{a: a, tx: tx}
		return run(ctx, &Batch{a: a, w: w}, fn, func() error { return tx.Commit(ctx) },
			func() error { return tx.Rollback(context.WithoutCancel(ctx)) })
	})
}

func (w *pgWriter) exec(ctx context.Context, q string, args ...any) error {
	_, err := w.tx.Exec(ctx, w.a.rebind(q), args...)
	return err
}

func (w *pgWriter) queryInt64(ctx context.Context, q string, args ...any) (sql.NullInt64, error) {
	var v sql.NullInt64
	err := w.tx.QueryRow(ctx, w.a.rebind(q), args...).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		err = sql.ErrNoRows
	}
	return v, err
}

// stagingTables are created once per connection, emptied at each commit.
var stagingTables = []struct {
	name, like string
	cols       []string
}{
	{"stage_sessions", "sessions", sessionCols},
	{"stage_participants", "participants", participantCols},
	{"stage_events", "events", eventCols},
	{"stage_custom_attributes", "custom_attributes", attributeCols},
	{"stage_recordings", "recordings", recordingCols},
}

// byStagingTable gathers the rows of rs by table, in stagingTables'
// order: one COPY's rows a table.
func byStagingTable(rs []*rows) [][][]any {
	byTable := make([][][]any, len(stagingTables))
	for _, r := range rs {
		byTable[0] = append(byTable[0], r.session)
		byTable[1] = append(byTable[1], r.participants...)
		byTable[2] = append(byTable[2], r.events...)
		byTable[3] = append(byTable[3], r.attributes...)
		byTable[4] = append(byTable[4], r.recordings...)
	}
	return byTable
}

func (w *pgWriter) stage(ctx context.Context) error {
	if w.staged {
		return nil
	}
	b := &pgx.Batch{}
	for _, t := range stagingTables {
		b.Queue(`CREATE TEMPORARY TABLE IF NOT EXISTS ` + t.name + ` (LIKE ` + t.like + `) ON COMMIT DELETE ROWS`)
	}
	if err := w.tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	w.staged = true
	return nil
}

func (w *pgWriter) write(ctx context.Context, rs []*rows) error {
	if err := w.stage(ctx); err != nil {
		return err
	}
	byTable := byStagingTable(rs)
	for i, t := range stagingTables {
		if len(byTable[i]) == 0 {
			continue
		}
		if _, err := w.tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(byTable[i])); err != nil {
			return fmt.Errorf("staging %d sessions: %w", len(rs), err)
		}
	}
	b := &pgx.Batch{}
	b.Queue(upsertSession(`SELECT ` + strings.Join(sessionCols, ", ") + ` FROM stage_sessions`))
	for _, t := range childTables {
		b.Queue(`DELETE FROM ` + t + ` WHERE lsid IN (SELECT lsid FROM stage_sessions)`)
	}
	for _, t := range stagingTables[1:4] {
		cols := strings.Join(t.cols, ", ")
		b.Queue(`INSERT INTO ` + t.like + ` (` + cols + `) SELECT ` + cols + ` FROM ` + t.name)
	}
	rc := strings.Join(recordingCols, ", ")
	b.Queue(`INSERT INTO recordings (` + rc + `) SELECT ` + rc + ` FROM stage_recordings` + recordingConflict)
	var names []string
	for _, t := range stagingTables {
		names = append(names, t.name)
	}
	b.Queue(`TRUNCATE ` + strings.Join(names, ", "))
	if err := w.tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("writing %d sessions: %w", len(rs), err)
	}
	return nil
}
