// Package pgtest starts a throwaway PostgreSQL server for a test: initdb in
// a temporary folder, pg_ctl on a free loopback port, stopped and removed
// when the test ends. initdb refuses to run as root, so as root the server
// runs as the postgres system user. When no server can be started the test
// is skipped with a message that starts with "SKIPPED: PostgreSQL", never
// passed silently.
package pgtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// binDir finds initdb: $PG_BIN, then PATH, then Debian's versioned folders.
func binDir() (string, error) {
	if d := os.Getenv("PG_BIN"); d != "" {
		return d, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("initdb is not installed (apt-get install postgresql, or set PG_BIN)")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts a server and returns the URL of its postgres database, for
// user postgres with trust authentication on 127.0.0.1.
func Start(t testing.TB) string {
	t.Helper()
	url, err := start(t)
	if err != nil {
		t.Skipf("SKIPPED: PostgreSQL tests: no server could be started: %v", err)
	}
	return url
}

func start(t testing.TB) (string, error) {
	bin, err := binDir()
	if err != nil {
		return "", err
	}
	// Not t.TempDir: its parent is private to root, and the server may run
	// as another user that must reach the folder.
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return "", err
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var as []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", fmt.Errorf("running as root and there is no postgres user to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", err
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			return "", fmt.Errorf("running as root and runuser is missing: %v", err)
		}
		as = []string{runuser, "-u", "postgres", "--"}
	}
	run := func(name string, args ...string) error {
		argv := append(append(as[:len(as):len(as)], filepath.Join(bin, name)), args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v: %s", name, err, bytes.TrimSpace(out.Bytes()))
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		return "", err
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40", port, dir)
	if err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		if err := run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop"); err != nil {
			t.Logf("stopping PostgreSQL: %v", err)
		}
	})
	// Wait until it accepts connections on the port.
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("the server did not listen on port %d: %v", port, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), nil
}
