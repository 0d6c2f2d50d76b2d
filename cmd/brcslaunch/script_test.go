package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// TestScripts runs testdata/script/*.txtar: brcslaunch as a user types it,
// with $FAKE_CONSOLE the stand-in console, and $MODROOT and the go
// command's caches for the cross-build test.
func TestScripts(t *testing.T) {
	env := map[string]string{"FAKE_CONSOLE": fakeConsole}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	env["MODROOT"] = root
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY").Output()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		env[[]string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY"}[i]] = v
	}
	testutil.RunScripts(t, "testdata/script", env)
}
