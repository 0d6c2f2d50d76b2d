package archive

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A --db path is a file path: the driver never reads it as a URI.
func TestSQLitePathIsAFileNotAURI(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	names := []string{"ev#1.db", "p%41.db", "a?b.db", "file:x.db", "sp ace.db"}
	if runtime.GOOS == "windows" {
		names = []string{"ev#1.db", "p%41.db", "sp ace.db"} // no ? or : in Windows names
	}
	for _, name := range names {
		a, err := Open(context.Background(), name)
		require.NoError(t, err, name)
		a.Close()
		_, err = os.Stat(filepath.Join(dir, name))
		assert.NoError(t, err, "%s is written as named", name)
	}
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	var got []string
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), "-wal") && !strings.HasSuffix(e.Name(), "-shm") {
			got = append(got, e.Name())
		}
	}
	assert.ElementsMatch(t, names, got, "no ev, pA.db or a")
}

func TestSQLiteRefusesMemoryAndDanglingLinks(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{":memory:", ":memory:?cache=shared", ""} {
		_, err := Open(context.Background(), dsn)
		assert.ErrorIs(t, err, ErrDSN, dsn)
	}
	link := filepath.Join(dir, "link.db")
	target := filepath.Join(dir, "elsewhere", "target.db")
	if err := os.Symlink(target, link); err != nil && runtime.GOOS == "windows" {
		t.Skipf("SKIPPED: no symbolic links here: %v", err)
	} else {
		require.NoError(t, err)
	}
	_, err := Open(context.Background(), link)
	assert.ErrorIs(t, err, ErrDSN)
	assert.ErrorContains(t, err, "symbolic link")
	_, err = os.Lstat(target)
	assert.True(t, os.IsNotExist(err), "the link's target is not created")
}

// Every secret-bearing parameter is refused before connecting.
func TestPostgresRefusesSecretParameters(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u@127.0.0.1:1/db?sslpassword=hunter2",
		"postgres://u@127.0.0.1:1/db?SSLPassword=hunter2&sslmode=disable",
		"postgres://u@127.0.0.1:1/db?password=hunter2",
	} {
		_, err := Open(context.Background(), dsn)
		require.ErrorIs(t, err, ErrDSN, dsn)
		assert.NotContains(t, err.Error(), "hunter2")
	}
}

// A remote server gets TLS with its certificate checked unless the URL
// chooses; a server on this machine defaults to plain.
func TestPostgresTLSDefault(t *testing.T) {
	t.Setenv("PGSSLMODE", "")
	for in, want := range map[string]string{
		"postgres://u@db.example.com/db":                        "verify-full",
		"postgres://u@10.0.0.5:5432/db?application_name=x":      "verify-full",
		"postgres://u@db.example.com/db?sslmode=require":        "require",
		"postgres://u@127.0.0.1:5432/db":                        "disable",
		"postgres://u@[::1]:5432/db":                            "disable",
		"postgres://u@localhost/db":                             "disable",
		"postgres://u@/db?host=/var/run/postgresql":             "disable",
		"postgres://u@127.0.0.1,db.example.com/db":              "verify-full",
		"postgres://u@db.example.com/db?sslmode=disable":        "disable",
		"postgres:///db":                                        "disable",
		"postgres://u@db.example.com/db?sslrootcert=/ca.pem":    "verify-full",
		"postgres://u@db.example.com:5433/db?connect_timeout=5": "verify-full",
	} {
		u, err := url.Parse(in)
		require.NoError(t, err)
		out, err := url.Parse(withTLSDefault(u))
		require.NoError(t, err)
		assert.Equal(t, want, out.Query().Get("sslmode"), in)
	}
}

// A failed connection names the server and the cause first, on one line,
// without the user name.
func TestPostgresErrorNamesServerAndCause(t *testing.T) {
	server := startPG(t)
	u, err := url.Parse(server)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// The test server offers no TLS.
	dsn := "postgres://secretuser@" + u.Host + "/postgres?sslmode=require"
	_, err = Open(ctx, dsn)
	require.Error(t, err)
	msg := err.Error()
	assert.Equal(t, "opening the archive postgres://"+u.Host+"/postgres: tls error: server refused TLS connection (the server offers no TLS; on a network you trust, add sslmode=disable to the URL)", msg)
	assert.NotContains(t, msg, "secretuser")
	assert.NotContains(t, msg, "\t")

	// Unknown user: the server's words, the user name left out.
	_, err = Open(ctx, "postgres://secretuser@"+u.Host+"/postgres")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secretuser")
	assert.NotContains(t, err.Error(), "\n")
	assert.Contains(t, err.Error(), "opening the archive postgres://"+u.Host+"/postgres: ")
}

// An archive that cannot be opened is named once, escaped on one line:
// a new line in --db cannot forge a line of its own.
func TestOpenErrorNamesTheArchiveOnce(t *testing.T) {
	_, err := Open(context.Background(), "/nonexistent/a\nb.db")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n")
	assert.True(t, strings.HasPrefix(err.Error(), `opening the archive /nonexistent/a\nb.db: `), err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "nonexistent"), "named once: %s", err)
}
