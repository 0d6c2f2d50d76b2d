package archive

import (
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// secretParams are the connection parameters that carry a secret: on a
// command line, every user of the machine can read them.
var secretParams = map[string]bool{"password": true, "sslpassword": true}

// checkPostgresURL refuses a postgres URL holding a secret.
func checkPostgresURL(dsn string) (*url.URL, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		// url's own error quotes the whole URL.
		return nil, fmt.Errorf("%w: the postgres:// URL cannot be parsed", ErrDSN)
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			return nil, fmt.Errorf("%w: the PostgreSQL URL holds a password, which every user of this machine can read on a command line; put it in $PGPASSWORD or ~/.pgpass", ErrDSN)
		}
	}
	for k := range u.Query() {
		if secretParams[strings.ToLower(k)] {
			return nil, fmt.Errorf("%w: the PostgreSQL URL holds %s, which every user of this machine can read on a command line; put it in $PG%s or ~/.pgpass", ErrDSN,
				strings.ToLower(k), strings.ToUpper(k))
		}
	}
	return u, nil
}

// withTLSDefault returns the URL with sslmode=verify-full (TLS, the
// certificate checked against the system's roots or sslrootcert, and the
// host name) unless the URL or $PGSSLMODE chooses a mode, or the server is
// on this machine (loopback or a Unix socket), where plain is the
// default. libpq's own default, prefer, falls back to plain text and
// checks no certificate.
func withTLSDefault(u *url.URL) string {
	q := u.Query()
	if q.Has("sslmode") || os.Getenv("PGSSLMODE") != "" {
		return u.String()
	}
	mode := "verify-full"
	if local(u) {
		mode = "disable"
	}
	q.Set("sslmode", mode)
	v := *u
	v.RawQuery = q.Encode()
	return v.String()
}

// local reports whether every host of u is a Unix socket or loopback.
func local(u *url.URL) bool {
	hosts := u.Hostname()
	if h := u.Query().Get("host"); h != "" {
		hosts = h
	}
	if hosts == "" {
		return true // libpq's default: the local Unix socket
	}
	for _, h := range strings.Split(hosts, ",") {
		h = strings.Trim(strings.TrimSpace(h), "[]")
		if hh, _, err := net.SplitHostPort(h); err == nil {
			h = hh
		}
		ip := net.ParseIP(h)
		if !strings.HasPrefix(h, "/") && h != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return false
		}
	}
	return true
}

func openPostgres(dsn string) (*sql.DB, error) {
	u, err := checkPostgresURL(dsn)
	if err != nil {
		return nil, err
	}
	return sql.Open("pgx", withTLSDefault(u))
}

// pgError says why a connection failed, the cause first, on one line,
// without the user name pgx puts in front ("failed to connect to
// `user=... database=...`:") nor its tab-indented lines.
func pgError(err error, user string) error {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		return err
	}
	var causes []string
	add := func(e error) {
		// An attempt reads "host:port (host): cause"; keep the cause.
		if u, ok := e.(interface{ Unwrap() error }); ok && u.Unwrap() != nil {
			e = u.Unwrap()
		}
		msg := e.Error()
		for _, c := range causes {
			if c == msg {
				return
			}
		}
		causes = append(causes, msg)
	}
	inner := ce.Unwrap()
	if j, ok := inner.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			add(e)
		}
	} else {
		add(inner)
	}
	msg := strings.Join(causes, "; ")
	msg = strings.NewReplacer("\n", "; ", "\t", "").Replace(msg)
	if user != "" {
		msg = strings.ReplaceAll(msg, `"`+user+`"`, "(the URL's user)")
	}
	hint := ""
	if strings.Contains(msg, "server refused TLS") {
		hint = " (the server offers no TLS; on a network you trust, add sslmode=disable to the URL)"
	} else if strings.Contains(msg, "certificate") {
		hint = " (the server's certificate was not accepted: give its CA as sslrootcert=FILE in the URL)"
	}
	return errors.New(msg + hint)
}
