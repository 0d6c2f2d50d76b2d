package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/brcs-toolkit/brcs/appliancetest"
)

// parentPoll is how often the stand-in looks whether its parent is gone.
const parentPoll = 200 * time.Millisecond

// untilStopped returns a context that ends on SIGINT or SIGTERM, or when
// the process that started the stand-in ends, so that neither `kill` nor
// a killed `go run`, shell or test leaves it holding its port.
func untilStopped() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The parent is read now, not in the goroutine: scheduled late (a
	// loaded machine), it would read the adopter's ID once the parent was
	// already gone, and never stop.
	go watchParent(ctx, os.Getppid(), os.Getppid, parentPoll, stop)
	return ctx, stop
}

// watchParent calls stop once the parent process (parent, its ID at the
// start) has ended. A process whose parent ends is adopted (by init or a
// subreaper), so its parent ID changes; polling that works on every Unix
// without a system call of one kernel. (On Windows the parent ID never
// changes: there, only a signal or Ctrl-C stops the stand-in.)
func watchParent(ctx context.Context, parent int, ppid func() int, every time.Duration, stop func()) {
	if parent <= 1 {
		return // started by init or already adopted: no parent to outlive
	}
	tick(ctx, every, func() bool {
		if ppid() != parent {
			stop()
			return false
		}
		return true
	})
}

// tick calls f every period until ctx ends or f returns false.
func tick(ctx context.Context, period time.Duration, f func() bool) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !f() {
				return
			}
		}
	}
}

// syncEvery is how often a stand-in in a failover pair records a data
// sync, as a healthy pair does.
const syncEvery = 30 * time.Second

// keepSynced makes check_health report a data sync that just succeeded,
// now and every syncEvery until ctx ends, when the stand-in has a
// failover role: a pair that never reported one would always warn.
func keepSynced(ctx context.Context, s *appliancetest.Server) {
	sync := func() bool {
		role := ""
		s.Update(func(d *appliancetest.Data) {
			role = d.Health.FailoverRole
			if role != "" && role != "none" {
				d.Health.LastSync, d.Health.LastSyncStatus = time.Now().UTC().Truncate(time.Second), "success"
			}
		})
		return role != "" && role != "none"
	}
	if !sync() {
		return
	}
	go tick(ctx, syncEvery, func() bool { sync(); return true }) // a role set later is synced too
}

// printAccounts writes the stand-in's accounts with their passwords and
// permissions, and its active sessions, for trying the commands.
func printAccounts(w io.Writer, s *appliancetest.Server) {
	var users []string
	var sessions []string
	s.Update(func(d *appliancetest.Data) {
		names := make([]string, 0, len(d.Users))
		for n := range d.Users {
			names = append(names, n)
		}
		slices.SortFunc(names, func(a, b string) int { return d.Users[a].ID - d.Users[b].ID })
		for _, n := range names {
			users = append(users, fmt.Sprintf("  %s, password %s: %s", n, d.Users[n].Password, permissions(d.Users[n])))
		}
		for l := range d.Sessions {
			sessions = append(sessions, l)
		}
	})
	slices.Sort(sessions)
	fmt.Fprintf(w, "accounts:\n%s\n", strings.Join(users, "\n"))
	fmt.Fprintf(w, "active sessions: %s\n", strings.Join(sessions, ", "))
}

// permissions names what an account may do, in the guide's words.
func permissions(u *appliancetest.User) string {
	var p []string
	if u.Admin {
		p = append(p, "administrator")
	}
	if u.CommandAPI {
		p = append(p, "Command API")
	}
	if u.ReportingAPI {
		p = append(p, "reporting API")
	}
	if v := u.ViewReports; v != "" && v != "none" {
		p = append(p, "reports of "+strings.ReplaceAll(v, "_", " "))
	}
	if u.ViewRecordings {
		p = append(p, "recordings")
	}
	if len(p) == 0 {
		return "no permission"
	}
	return strings.Join(p, ", ")
}
