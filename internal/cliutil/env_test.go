package cliutil

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/brcs-toolkit/brcs/internal/progress"
)

func TestExitWithoutASignal(t *testing.T) {
	ctx, stop := Interruptible(context.Background())
	stop()
	assert.Nil(t, InterruptedBy(ctx), "stop is not a signal")
	var errb bytes.Buffer
	assert.Equal(t, ExitOK, Exit(ctx, nil, "brcsx", &errb))
	assert.Equal(t, ExitFindings, Exit(ctx, Refused(errors.New("no")), "brcsx", &errb))
	assert.Equal(t, "brcsx: no\n", errb.String())
}

func TestEnvWithDefaults(t *testing.T) {
	e := Env{}.WithDefaults()
	assert.Equal(t, "", e.Getenv("HOME"), "no environment unless given")
	assert.NotNil(t, e.Context)
	n, err := e.Stdin.Read(make([]byte, 1))
	assert.Zero(t, n)
	assert.Error(t, err)
	assert.False(t, e.Terminal(&bytes.Buffer{}))
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		var errb bytes.Buffer
		e := Env{Stderr: &errb, Terminal: func(v any) bool { return terminal && v == any(&errb) }}.WithDefaults()
		bar := e.Progress("backup", progress.Options{Total: 2})
		bar.Set(2)
		bar.Done()
		if terminal {
			assert.Contains(t, errb.String(), "backup [##############################] 2/2")
		} else {
			assert.Empty(t, errb.String(), "no terminal, no progress line")
		}
	}
}

func TestCount(t *testing.T) {
	assert.Equal(t, "0 sessions", Count(0, "session"))
	assert.Equal(t, "1 session", Count(1, "session"))
	assert.Equal(t, "2 rows", Count(2, "row"))
	assert.Equal(t, "2 team activities", Count(2, "team activity"))
	assert.Equal(t, "1 team activity", Count(1, "team activity"))
	assert.Equal(t, "3 keys", Count(3, "key"), "a vowel before the y")
	assert.Equal(t, "ys", Plural("y"))
}
