package testutil

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Commands is a set of main packages that the tests of one package run as
// real processes. They are built on first use, with a single go build (so
// they link in parallel and share one look at the build cache), at most
// once per test process, into a temporary folder of their own. A package
// with several tests needing them declares one Commands and removes it in
// TestMain:
//
//	var commands = &testutil.Commands{Pkgs: []string{"github.com/brcs-toolkit/brcs/cmd/brcsapi"}}
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		commands.Remove()
//		os.Exit(code)
//	}
type Commands struct {
	// Pkgs are the import paths of the main packages (or paths relative to
	// the test's folder, such as "../../cmd/brcslint").
	Pkgs []string

	once sync.Once
	dir  string
	err  error
}

// Dir builds the commands the first time it is called and returns the
// folder holding them, each named after its package's last path element
// (brcsapi, brcs-standin, ...). It fails t when the build fails.
func (c *Commands) Dir(t testing.TB) string {
	t.Helper()
	c.once.Do(func() {
		c.dir, c.err = os.MkdirTemp("", "brcs-commands-")
		if c.err == nil {
			c.err = Build(c.dir, c.Pkgs...)
		}
	})
	if c.err != nil {
		t.Fatal(c.err)
	}
	return c.dir
}

// Path is the built command name (see Dir).
func (c *Commands) Path(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(c.Dir(t), name)
}

// Remove removes the folder of the built commands, if any were built.
func (c *Commands) Remove() {
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

// Build builds the main packages pkgs into dir with one go build. It also
// looks at the Go files of this module's packages that went into them, so
// that go test's result cache, which sees only the files the test process
// itself opens or stats, is not reused after one of them changed. That
// log starts with testing.M.Run: called from TestMain before it, Build
// builds, but the cache does not learn what the commands are made of.
func Build(dir string, pkgs ...string) error {
	args := append([]string{"build", "-o", dir + string(filepath.Separator)}, pkgs...)
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
	return statSources(pkgs)
}

// statSources stats every Go and embedded file of this module's packages
// that pkgs depend on.
func statSources(pkgs []string) error {
	args := append([]string{"list", "-deps", "-f",
		`{{if and .Module .Module.Main}}{{range .GoFiles}}{{$.Dir}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$.Dir}}/{{.}}{{"\n"}}{{end}}{{end}}`}, pkgs...)
	var stderr bytes.Buffer
	cmd := exec.Command("go", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go list -deps %s: %v\n%s", strings.Join(pkgs, " "), err, stderr.Bytes())
	}
	for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return err
		}
	}
	return nil
}
