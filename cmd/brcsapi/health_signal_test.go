package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

// health --nagios stopped by SIGTERM while the probe waits says so in its
// one line ("interrupted by SIGTERM"), not "context canceled", and exits
// 143.
func TestHealthInterruptedSaysSo(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	asked := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(asked)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	go func() {
		<-asked
		cancel(&cliutil.Interrupted{Signal: syscall.SIGTERM})
	}()
	r := run{vars: map[string]string{}, ctx: ctx}
	o := r.do(t, "health", "--nagios", "--appliance", srv.URL, "--allow-http")
	assert.Equal(t, 143, o.status, o.stderr)
	assert.Regexp(t, `^BRCS API UNKNOWN - 127\.0\.0\.1:[0-9]+: probe: interrupted by SIGTERM\n$`, o.stdout)
	assert.NotContains(t, o.stdout+o.stderr, "context canceled")
}
