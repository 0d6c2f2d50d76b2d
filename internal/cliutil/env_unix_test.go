//go:build unix

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

			errb.Reset()
			assert.Equal(t, tc.code, Exit(ctx, errors.New("12 sessions written to out.csv"), "brcsx", &errb))
			assert.Equal(t, "brcsx: interrupted by "+tc.name+": 12 sessions written to out.csv\n", errb.String(), "what was written, in the same one line")
		})
	}
}
