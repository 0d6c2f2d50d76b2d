package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Standard input that is not a terminal, and no desktop: refused, saying
// why and how to run it anyway; never asked, never run.
func TestNobodyToAsk(t *testing.T) {
	s := newSetup(t)
	s.prompter = nil
	s.terminal = false
	s.stdin = "y\n"
	r := s.run(writeScript(t, "jump.brcs-support", valid))
	assert.Equal(t, 1, r.status)
	assert.Empty(t, r.consoleRuns)
	assert.Contains(t, r.stderr, "standard input is not a terminal")
	assert.Contains(t, r.stderr, "pass --yes")
	assert.NotContains(t, r.stderr, "Run it?")
}

// A password in --command is in the process list, and would be in the
// console's too: refused, with the way to do it instead.
func TestCommandWithPasswordIsRefused(t *testing.T) {
	s := newSetup(t)
	r := s.run("--yes", "--command", "action=login&mechanism=username_password&username=tech&password=s3cret")
	assert.Equal(t, 1, r.status)
	assert.Empty(t, r.consoleRuns)
	assert.Contains(t, r.stderr, "process list")
	assert.Contains(t, r.stderr, "script file")
	assert.NotContains(t, r.stderr, "s3cret")
}
