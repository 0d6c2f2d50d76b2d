package main

import (
	"testing"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// TestScripts runs testdata/script/*.txtar: brcslaunch as a user types it,
// with $FAKE_CONSOLE the stand-in console.
func TestScripts(t *testing.T) {
	testutil.RunScripts(t, "testdata/script", map[string]string{"FAKE_CONSOLE": fakeConsole})
}
