package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// Filter selects archived sessions; empty fields do not filter.
type Filter struct {
	ExternalKey string    // the ticket, exactly
	Host        string    // the customer's hostname, exactly
	Technician  string    // a representative's username, exactly
	From, To    time.Time // sessions that started in [From, To)
	Limit       int       // 0: no limit
}

// Row is one archived session as listed.
type Row struct {
	LSID        string
	Start, End  time.Time // zero when unknown
	ExternalKey string
	Host        string
	PrimaryRep  string
}

// Find lists the sessions matching f, oldest first.
func (a *Archive) Find(ctx context.Context, f Filter) ([]Row, error) {
	var where []string
	var args []any
	if f.ExternalKey != "" {
		where, args = append(where, "s.external_key = ?"), append(args, f.ExternalKey)
	}
	if f.Host != "" {
		where, args = append(where, "s.host = ?"), append(args, f.Host)
	}
	if f.Technician != "" {
		where, args = append(where, "s.lsid IN (SELECT p.lsid FROM participants p WHERE p.kind = 'representative' AND p.username = ?)"), append(args, f.Technician)
	}
	if !f.From.IsZero() {
		where, args = append(where, "s.start_time >= ?"), append(args, f.From.Unix())
	}
	if !f.To.IsZero() {
		where, args = append(where, "s.start_time < ?"), append(args, f.To.Unix())
	}
	q := `SELECT s.lsid, s.start_time, s.end_time, s.external_key, s.host, s.primary_rep FROM sessions s`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY s.start_time, s.lsid"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return queryAll(ctx, a, q, args, func(rows *sql.Rows) (Row, error) {
		var r Row
		var start, end sql.NullInt64
		var key, host, rep sql.NullString
		if err := rows.Scan(&r.LSID, &start, &end, &key, &host, &rep); err != nil {
			return r, err
		}
		if start.Valid {
			r.Start = time.Unix(start.Int64, 0).UTC()
		}
		if end.Valid {
			r.End = time.Unix(end.Int64, 0).UTC()
		}
		r.ExternalKey, r.Host, r.PrimaryRep = key.String, host.String, rep.String
		return r, nil
	})
}

// queryAll runs the query q (with ? placeholders) and reads each row of
// its answer with scan: the one loop, closing and errors of every list
// the archive returns.
func queryAll[T any](ctx context.Context, a *Archive, q string, args []any, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := a.db.QueryContext(ctx, a.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ErrNotArchived is returned for an lsid the archive does not hold.
var ErrNotArchived = errors.New("the session is not in the archive")

// Session returns the archived report of lsid, as it was decoded.
func (a *Archive) Session(ctx context.Context, lsid string) (*reporting.Session, error) {
	var report string
	err := a.db.QueryRowContext(ctx, a.rebind(`SELECT report FROM sessions WHERE lsid = ?`), lsid).Scan(&report)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", lsid, ErrNotArchived)
	}
	if err != nil {
		return nil, err
	}
	var s reporting.Session
	if err := json.Unmarshal([]byte(report), &s); err != nil {
		return nil, fmt.Errorf("session %s: the archived report does not read back: %w", lsid, err)
	}
	return &s, nil
}

// Sessions streams the archived reports of the sessions matching f, in
// Find's order, each read as it is yielded. The listing is asked for
// before Sessions returns, so an archive that cannot answer says so
// here.
func (a *Archive) Sessions(ctx context.Context, f Filter) (iter.Seq2[*reporting.Session, error], error) {
	rows, err := a.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	return func(yield func(*reporting.Session, error) bool) {
		for _, r := range rows {
			if !yield(a.Session(ctx, r.LSID)) {
				return
			}
		}
	}, nil
}

// Count returns the number of archived sessions.
func (a *Archive) Count(ctx context.Context) (int, error) {
	var n int
	err := a.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&n)
	return n, err
}

// Recording is a recording the archive knows of: listed by the report, and
// once downloaded, where to and its size and SHA-256.
type Recording struct {
	LSID, Kind  string // kind: session or shell
	Instance    int
	DownloadURL string
	Path        string
	Size        int64
	SHA256      string
}

// Recordings lists the recordings of lsid, the screen recording first.
func (a *Archive) Recordings(ctx context.Context, lsid string) ([]Recording, error) {
	q := `SELECT kind, instance, download_url, path, size, sha256 FROM recordings WHERE lsid = ? ORDER BY CASE kind WHEN 'session' THEN 0 ELSE 1 END, instance`
	return queryAll(ctx, a, q, []any{lsid}, func(rows *sql.Rows) (Recording, error) {
		r := Recording{LSID: lsid}
		var url, path, sum sql.NullString
		var size sql.NullInt64
		if err := rows.Scan(&r.Kind, &r.Instance, &url, &path, &size, &sum); err != nil {
			return r, err
		}
		r.DownloadURL, r.Path, r.Size, r.SHA256 = url.String, path.String, size.Int64, sum.String
		return r, nil
	})
}
