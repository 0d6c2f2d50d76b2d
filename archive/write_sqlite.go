package archive

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// sqliteWriter writes through prepared statements in one transaction:
// SQLite runs in this process, so a statement costs no round trip.
type sqliteWriter struct {
	a     *Archive
	begin func() (*sql.Tx, error)
	tx    *sql.Tx // nil until the first statement
	st    map[string]*sql.Stmt
}

func (w *sqliteWriter) open() error {
	if w.tx != nil {
		return nil
	}
	tx, err := w.begin()
	if err != nil {
		return err
	}
	w.tx = tx
	return nil
}

func (w *sqliteWriter) commit() error {
	if w.tx == nil {
		return nil
	}
	return w.tx.Commit()
}

func (w *sqliteWriter) rollback() error {
	if w.tx == nil {
		return nil
	}
	return w.tx.Rollback()
}

func (w *sqliteWriter) close() {
	for _, s := range w.st {
		s.Close()
	}
}

func (w *sqliteWriter) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := w.st[q]; ok {
		return st, nil
	}
	if err := w.open(); err != nil {
		return nil, err
	}
	st, err := w.tx.PrepareContext(ctx, w.a.rebind(q))
	if err != nil {
		return nil, err
	}
	w.st[q] = st
	return st, nil
}

func (w *sqliteWriter) exec(ctx context.Context, q string, args ...any) error {
	st, err := w.stmt(ctx, q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

func (w *sqliteWriter) queryInt64(ctx context.Context, q string, args ...any) (sql.NullInt64, error) {
	var v sql.NullInt64
	if err := w.open(); err != nil {
		return v, err
	}
	err := w.tx.QueryRowContext(ctx, w.a.rebind(q), args...).Scan(&v)
	return v, err
}

// write takes the sessions as the PostgreSQL writer does, table by table:
// the sessions upserted, their child rows deleted and inserted again, the
// recordings upserted; each statement carries many rows.
func (w *sqliteWriter) write(ctx context.Context, rs []*rows) error {
	for len(rs) > 0 {
		n := min(len(rs), lsidsPerDelete)
		if err := w.writeSome(ctx, rs[:n]); err != nil {
			return fmt.Errorf("writing %d sessions: %w", n, err)
		}
		rs = rs[n:]
	}
	return nil
}

// lsidsPerDelete bounds the lsids of one DELETE ... IN (...), well under
// SQLite's limit of host parameters.
const lsidsPerDelete = 500

func (w *sqliteWriter) writeSome(ctx context.Context, rs []*rows) error {
	var sessions, participants, events, attributes, recordings [][]any
	lsids := make([]any, len(rs))
	for i, r := range rs {
		lsids[i] = r.lsid
		sessions = append(sessions, r.session)
		participants = append(participants, r.participants...)
		events = append(events, r.events...)
		attributes = append(attributes, r.attributes...)
		recordings = append(recordings, r.recordings...)
	}
	if err := w.insertRows(ctx, insertRow("sessions", sessionCols), len(sessionCols), sessions, sessionConflict()); err != nil {
		return err
	}
	in := "(?" + strings.Repeat(", ?", len(lsids)-1) + ")"
	for _, t := range childTables {
		if err := w.exec(ctx, `DELETE FROM `+t+` WHERE lsid IN `+in, lsids...); err != nil {
			return err
		}
	}
	for _, tr := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{{"participants", participantCols, participants}, {"events", eventCols, events}, {"custom_attributes", attributeCols, attributes}} {
		if err := w.insertRows(ctx, insertRow(tr.table, tr.cols), len(tr.cols), tr.rows, ""); err != nil {
			return err
		}
	}
	return w.insertRows(ctx, insertRow("recordings", recordingCols), len(recordingCols), recordings, recordingConflict)
}

// rowsPerInsert is how many rows one INSERT carries: each statement run
// costs more than its rows.
const rowsPerInsert = 16

// insertRows inserts rows by statements of up to rowsPerInsert rows.
func (w *sqliteWriter) insertRows(ctx context.Context, insert string, ncols int, rows [][]any, suffix string) error {
	group := "(?" + strings.Repeat(", ?", ncols-1) + ")"
	for len(rows) > 0 {
		n := min(len(rows), rowsPerInsert)
		args := make([]any, 0, n*ncols)
		for _, row := range rows[:n] {
			args = append(args, row...)
		}
		if err := w.exec(ctx, insert+strings.Repeat(", "+group, n-1)+suffix, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// insertRow is INSERT INTO table (cols) VALUES (?, ...).
func insertRow(table string, cols []string) string {
	return `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)`
}

// upsertSession inserts the session columns from a SELECT.
func upsertSession(source string) string {
	return `INSERT INTO sessions (` + strings.Join(sessionCols, ", ") + `) ` + source + sessionConflict()
}

// sessionConflict makes an INSERT into sessions replace the earlier copy.
func sessionConflict() string {
	var set []string
	for _, c := range sessionCols[1:] {
		set = append(set, c+" = excluded."+c)
	}
	return ` ON CONFLICT (lsid) DO UPDATE SET ` + strings.Join(set, ", ")
}

const recordingConflict = ` ON CONFLICT (lsid, kind, instance) DO UPDATE SET download_url = excluded.download_url, view_url = excluded.view_url`
