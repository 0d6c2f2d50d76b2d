package cliutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInterruptibleEndsWithTheSignal(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGINT, 130, "SIGINT"}, {syscall.SIGTERM, 143, "SIGTERM"}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, stop := Interruptible(context.Background())
			defer stop()
			require.NoError(t, syscall.Kill(os.Getpid(), tc.sig))
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("the signal did not end the context")
			}
			i := InterruptedBy(ctx)
			require.NotNil(t, i)
			assert.Equal(t, tc.code, i.ExitCode())
			var errb bytes.Buffer
			err := fmt.Errorf("row 3: %w", context.Cause(ctx))
			assert.Equal(t, tc.code, Exit(ctx, err, "brcsx", &errb))
			assert.Equal(t, "brcsx: interrupted by "+tc.name+"\n", errb.String(), "said once, with no chain of context canceled")
		})
	}
}

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
