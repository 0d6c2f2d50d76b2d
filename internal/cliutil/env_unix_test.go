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

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

func TestInterruptibleEndsWithTheSignal(t *testing.T) {
	for _, tc := range testutil.StopSignals() {
		t.Run(tc.Name, func(t *testing.T) {
			ctx, stop := Interruptible(context.Background())
			defer stop()
			require.NoError(t, syscall.Kill(os.Getpid(), tc.Signal))
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("the signal did not end the context")
			}
			i := InterruptedBy(ctx)
			require.NotNil(t, i)
			assert.Equal(t, tc.Status, i.ExitCode())
			var errb bytes.Buffer
			err := fmt.Errorf("row 3: %w", context.Cause(ctx))
			assert.Equal(t, tc.Status, Exit(ctx, err, "brcsx", &errb))
			assert.Equal(t, "brcsx: interrupted by "+tc.Name+"\n", errb.String(), "said once, with no chain of context canceled")

			errb.Reset()
			assert.Equal(t, tc.Status, Exit(ctx, errors.New("12 sessions written to out.csv"), "brcsx", &errb))
			assert.Equal(t, "brcsx: interrupted by "+tc.Name+": 12 sessions written to out.csv\n", errb.String(), "what was written, in the same one line")
		})
	}
}
