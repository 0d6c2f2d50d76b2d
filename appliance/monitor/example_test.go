package monitor_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/monitor"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// A monitoring service asks the appliance and judges its answers: the
// state (its value is the Nagios exit code) and the one line to show.
func ExampleCheck_Ask() {
	cl, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	c := monitor.Check{Checked: true, ExpectRole: "primary", SyncWarn: time.Hour, SyncCrit: 6 * time.Hour}
	c.Ask(context.Background(), cl)
	v := c.Verdict()
	fmt.Println(v.State, int(v.State))
	fmt.Println(v.Reasons)
	// The perfdata's response time differs from run to run.
	head, _, _ := strings.Cut(v.Line, " | ")
	fmt.Println(head)
	// Output:
	// WARNING 1
	// [failover role is none, expected primary]
	// BRCS API WARNING - access.example.com 15.3.1 (12345-749b17ca) (none): failover role is none, expected primary
}

// Answers a service already holds are judged without I/O; the worst
// state wins.
func ExampleCheck_Verdict() {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	c := monitor.Check{
		Host:    "access.example.com",
		Probe:   &appliance.Probe{Status: 200, Healthy: true, Elapsed: 120 * time.Millisecond},
		Checked: true,
		Health: &appliance.Health{Appliance: "access.example.com", Version: "15.3.1", Success: false, ErrorMessage: "Disk full",
			FailoverRole: "primary", LastSync: now.Add(-2 * time.Hour), LastSyncStatus: "success"},
		SyncWarn: time.Hour, SyncCrit: 6 * time.Hour, Now: now,
	}
	fmt.Println(c.Verdict().Line)
	// Output:
	// BRCS API CRITICAL - access.example.com 15.3.1 (primary): health check failed: Disk full; last data sync 2h0m0s ago | response_time=0.120s sync_age=7200s;3600;21600;0
}
