package main

import (
	"os"
	"testing"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// builtCommands is brcsapi built once per test process, for the tests that run
// it as a real process (signals at chosen moments, concurrent runs).
var builtCommands = &testutil.Commands{Pkgs: []string{"github.com/brcs-toolkit/brcs/cmd/brcsapi"}}

func TestMain(m *testing.M) {
	code := m.Run()
	builtCommands.Remove()
	os.Exit(code)
}

// brcsapiBin is the path of the built brcsapi.
func brcsapiBin(t testing.TB) string {
	t.Helper()
	return builtCommands.Path(t, "brcsapi")
}
