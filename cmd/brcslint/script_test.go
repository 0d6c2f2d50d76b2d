package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// TestMain runs the tests, or brcslint itself when a script test executes
// it.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"brcslint": main})
}

// TestScripts runs testdata/script/*.txtar: brcslint as a user types it.
func TestScripts(t *testing.T) { testutil.RunScripts(t, "testdata/script", nil) }
