package monitor

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/brcs-toolkit/brcs/appliance"
)

// Only a failure the context's end cut short becomes its cause: one that
// came first (an untrusted certificate) is kept as it was.
func TestBlameCauseOnlyWhatItCut(t *testing.T) {
	signal := errors.New("interrupted by SIGTERM")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(signal)
	cert := &appliance.Error{Kind: appliance.Transport, Err: errors.New("x509: certificate signed by unknown authority")}
	c := Check{ProbeErr: cert, HealthErr: fmt.Errorf("check_health: %w", context.Canceled)}
	c.blameCause(ctx)
	assert.Same(t, cert, c.ProbeErr, "the certificate came first")
	assert.Same(t, signal, c.HealthErr)

	c = Check{ProbeErr: fmt.Errorf("probe: %w", signal)}
	c.blameCause(ctx)
	assert.Same(t, signal, c.ProbeErr, "an error quoting the cause is the cause")

	plain, stop := context.WithCancel(context.Background())
	stop()
	c = Check{ProbeErr: fmt.Errorf("probe: %w", context.Canceled)}
	c.blameCause(plain)
	assert.ErrorIs(t, c.ProbeErr, context.Canceled, "no cause: the error stays")
}

// A Check judged without Now measures the sync age from the time of the
// verdict: a sync two days old is CRITICAL, never a negative age.
func TestVerdictWithoutNowMeasuresFromNow(t *testing.T) {
	c := Check{Probe: &appliance.Probe{Status: 200, Healthy: true}, Checked: true, SyncWarn: time.Hour, SyncCrit: 6 * time.Hour,
		Health: &appliance.Health{Success: true, FailoverRole: "primary", LastSync: time.Now().Add(-48 * time.Hour), LastSyncStatus: "success"}}
	v := c.Verdict()
	assert.Equal(t, Critical, v.State, v.Line)
	assert.Contains(t, v.Line, "sync_age=172800s")
}
