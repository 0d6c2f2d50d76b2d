// Package archive keeps AccessSession reports in a database: an embedded
// SQLite file by default (modernc.org/sqlite, pure Go, no cgo) or a
// PostgreSQL server (github.com/jackc/pgx/v5 through database/sql, so one
// code path serves both).
//
// Rows are upserted by lsid, so a session archived twice is one row; Sync
// stores its cursor in the transaction that writes the sessions of the
// window it covers, so an interrupted sync loses nothing and duplicates
// nothing when run again. Callers never write SQL: the questions people ask
// (by ticket, host, technician, time) are methods.
package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Archive is an open archive database.
type Archive struct {
	db       *sql.DB
	postgres bool
	now      func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL server rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// ErrDSN is wrapped by the errors Open returns for a DSN it refuses
// before connecting.
var ErrDSN = errors.New("archive DSN refused")

// libpq's connection-string keywords, enough to tell "host=... user=..."
// from a file name that happens to hold an equals sign.
var pgKeywords = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true,
	"password": true, "passfile": true, "sslmode": true, "sslrootcert": true,
	"sslcert": true, "sslkey": true, "connect_timeout": true, "application_name": true,
	"service": true, "options": true, "target_session_attrs": true,
}

// CheckDSN refuses, before anything connects, a DSN that would put a
// secret on a command line or be mistaken for a file name: a postgres URL
// with a password (in its userinfo, or a password or sslpassword
// parameter, any case), a libpq key=value connection string, and a SQLite
// path that is no file (":memory:", a dangling symbolic link). Its
// messages never repeat the DSN, which may hold the secret.
func CheckDSN(dsn string) error {
	if IsPostgres(dsn) {
		_, err := checkPostgresURL(dsn)
		return err
	}
	lower := strings.ToLower(dsn)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		return fmt.Errorf("%w: write the scheme of a PostgreSQL URL in lower case: postgres://USER@HOST/DB", ErrDSN)
	}
	for _, f := range strings.Fields(dsn) {
		k, _, ok := strings.Cut(f, "=")
		if ok && pgKeywords[strings.ToLower(strings.TrimSpace(k))] {
			return fmt.Errorf("%w: a key=value PostgreSQL connection string is not read (nor taken as a file name); write postgres://USER@HOST:PORT/DB, with the password in $PGPASSWORD or ~/.pgpass", ErrDSN)
		}
	}
	_, err := sqliteURI(dsn)
	return err
}

// Open opens (creating if needed) the archive at dsn, a SQLite file path
// (taken as a path, never as a URI; created owner-only) or a postgres://
// URL (TLS with the certificate checked unless the URL says otherwise or
// the server is on this machine), and brings its schema to the current
// version.
func Open(ctx context.Context, dsn string) (*Archive, error) {
	if err := CheckDSN(dsn); err != nil {
		return nil, err
	}
	a := &Archive{now: time.Now}
	var err error
	if IsPostgres(dsn) {
		a.postgres = true
		a.db, err = openPostgres(dsn)
	} else {
		a.db, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, a.openError(dsn, err)
	}
	// Two programs creating the same SQLite file at once: one may be told
	// "locked" at once; it tries again.
	err = retryBusy(ctx, func() error {
		if err := a.db.PingContext(ctx); err != nil {
			return a.openError(dsn, err)
		}
		return a.migrate(ctx)
	})
	if err != nil {
		a.db.Close()
		return nil, err
	}
	return a, nil
}

func (a *Archive) openError(dsn string, err error) error {
	if errors.Is(err, ErrDSN) {
		return err
	}
	if a.postgres {
		user := ""
		if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
			user = u.User.Username()
		}
		err = pgError(err, user)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == dsn {
		err = pe.Err // the archive's name is said once, below
	}
	// A file name is outside input: shown escaped, on one line.
	return fmt.Errorf("opening the archive %s: %w", textsafe.Escape(redact(dsn)), err)
}

// redact names a postgres URL in messages without its userinfo, query and
// fragment, where secrets live; a SQLite file name is shown as given.
func redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(the PostgreSQL server)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// Close closes the database.
func (a *Archive) Close() error { return a.db.Close() }

// rebind turns ? placeholders into PostgreSQL's $n.
func (a *Archive) rebind(q string) string {
	if !a.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Version returns the schema version of the archive.
func (a *Archive) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := a.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// Latest is the schema version this code writes.
func Latest() int { return migrations[len(migrations)-1].version }

func (a *Archive) migrate(ctx context.Context) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if a.postgres {
		// Two processes opening a new archive at once: one migrates.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7305121)`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	var cur sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&cur); err != nil {
		return err
	}
	if int(cur.Int64) > Latest() {
		return fmt.Errorf("the archive has schema version %d, newer than this program's %d: upgrade brcsapi", cur.Int64, Latest())
	}
	for _, m := range migrations {
		if m.version <= int(cur.Int64) {
			continue
		}
		for _, s := range m.stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("schema version %d (%s): %w", m.version, m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, a.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, a.now().Unix()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Cursor returns the named sync cursor; ok is false before the first sync.
func (a *Archive) Cursor(ctx context.Context, name string) (t time.Time, ok bool, err error) {
	var v int64
	err = a.db.QueryRowContext(ctx, a.rebind(`SELECT cursor_ts FROM sync_state WHERE name = ?`), name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return time.Unix(v, 0).UTC(), true, nil
}

// SetSaved records the recording that q fetched as saved at path, with
// its size and SHA-256: q asks for a screen recording (kind "session")
// or a command shell recording (kind "shell" and its instance). The text
// form of a shell recording (q.Format "txt") is derived from the
// recording, which is what the archive keeps: it is not recorded.
func (a *Archive) SetSaved(ctx context.Context, q reporting.Query, path string, size int64, sha256 string) error {
	switch {
	case q.Report == reporting.AccessSessionRecording:
		return a.SetRecording(ctx, q.LSID, "session", 0, path, size, sha256)
	case q.Report == reporting.CommandShellRecording && q.Instance != nil:
		if q.Format != "" {
			return nil
		}
		return a.SetRecording(ctx, q.LSID, "shell", *q.Instance, path, size, sha256)
	case q.Report == reporting.CommandShellRecording:
		return fmt.Errorf("%s without an instance names no recording", q.Report)
	}
	return fmt.Errorf("%s is not a recording the archive keeps", q.Report)
}

// SetRecording records a downloaded recording: kind "session" (instance 0)
// or "shell", the file's path, size and SHA-256 (hex).
func (a *Archive) SetRecording(ctx context.Context, lsid, kind string, instance int, path string, size int64, sha256 string) error {
	_, err := a.db.ExecContext(ctx, a.rebind(`INSERT INTO recordings (lsid, kind, instance, path, size, sha256) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (lsid, kind, instance) DO UPDATE SET path = excluded.path, size = excluded.size, sha256 = excluded.sha256`),
		lsid, kind, instance, path, size, sha256)
	return err
}
