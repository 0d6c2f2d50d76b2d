package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Nagios plugin statuses.
const (
	nagiosOK       = 0
	nagiosWarning  = 1
	nagiosCritical = 2
	nagiosUnknown  = 3
)

var nagiosWords = []string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}

// severity orders states for "the worst wins": CRITICAL, WARNING, UNKNOWN, OK.
var severity = map[int]int{nagiosOK: 0, nagiosUnknown: 1, nagiosWarning: 2, nagiosCritical: 3}

// healthCheck is what brcsapi health learned, and what it was asked to
// expect.
type healthCheck struct {
	Host     string
	Probe    *appliance.Probe
	ProbeErr error
	// Checked: check_health was asked (credentials were given).
	Checked   bool
	Health    *appliance.Health
	HealthErr error

	ExpectRole         string
	SyncWarn, SyncCrit time.Duration
	Now                time.Time
}

// nagios turns a health check into a Nagios status and its one line.
func nagios(h healthCheck) (int, string) {
	state := nagiosOK
	var reasons []string
	raise := func(s int, format string, args ...any) {
		if severity[s] > severity[state] {
			state = s
		}
		reasons = append(reasons, fmt.Sprintf(format, args...))
	}
	perf := []string{}
	switch {
	case h.ProbeErr != nil && appliance.IsCertificate(h.ProbeErr):
		raise(nagiosCritical, "certificate not trusted (give its CA with --ca-cert)")
	case h.ProbeErr != nil && appliance.IsTransport(h.ProbeErr):
		raise(nagiosCritical, "unreachable: %s", shown(appliance.Reason(h.ProbeErr)))
	case h.ProbeErr != nil:
		raise(nagiosUnknown, "probe: %s", shown(appliance.Reason(h.ProbeErr)))
	case h.Probe.Status == 500:
		raise(nagiosCritical, "probe failed (HTTP 500)")
	case h.Probe.Status != 200:
		raise(nagiosUnknown, "probe answered HTTP %d", h.Probe.Status)
	}
	if h.Probe != nil {
		perf = append(perf, fmt.Sprintf("response_time=%.3fs", h.Probe.Elapsed.Seconds()))
	}
	detail := shown(h.Host)
	if h.Checked && state != nagiosCritical && h.ProbeErr == nil {
		switch hl := h.Health; {
		case h.HealthErr != nil && (appliance.IsAuth(h.HealthErr) || appliance.IsPermission(h.HealthErr)):
			raise(nagiosUnknown, "check_health refused: %s", shown(appliance.Reason(h.HealthErr)))
		case h.HealthErr != nil && appliance.IsTransport(h.HealthErr):
			raise(nagiosCritical, "check_health unreachable: %s", shown(appliance.Reason(h.HealthErr)))
		case h.HealthErr != nil:
			raise(nagiosUnknown, "check_health: %s", shown(appliance.Reason(h.HealthErr)))
		default:
			detail = fmt.Sprintf("%s %s (%s)", shown(hl.Appliance), shown(hl.Version), shown(hl.FailoverRole))
			if !hl.Success {
				msg := "no message"
				if hl.ErrorMessage != "" {
					msg = shown(hl.ErrorMessage)
				}
				raise(nagiosCritical, "health check failed: %s", msg)
			}
			if h.ExpectRole != "" && hl.FailoverRole != h.ExpectRole {
				raise(nagiosWarning, "failover role is %s, expected %s", shown(hl.FailoverRole), h.ExpectRole)
			}
			if hl.FailoverConfigured() {
				if hl.LastSync.IsZero() {
					raise(nagiosWarning, "no data sync time reported")
				} else {
					age := h.Now.Sub(hl.LastSync).Round(time.Second)
					perf = append(perf, fmt.Sprintf("sync_age=%ds;%d;%d;0", int(age.Seconds()), int(h.SyncWarn.Seconds()), int(h.SyncCrit.Seconds())))
					switch {
					case h.SyncCrit > 0 && age > h.SyncCrit:
						raise(nagiosCritical, "last data sync %s ago", age)
					case h.SyncWarn > 0 && age > h.SyncWarn:
						raise(nagiosWarning, "last data sync %s ago", age)
					}
				}
				if s := hl.LastSyncStatus; s != "" && s != "success" {
					raise(nagiosWarning, "last data sync status %s", shown(s))
				}
			}
		}
	}
	line := "BRCS API " + nagiosWords[state] + " - " + detail
	if len(reasons) > 0 {
		line += ": " + strings.Join(reasons, "; ")
	}
	if len(perf) > 0 {
		line += " | " + strings.Join(perf, " ")
	}
	return state, line
}

// maxShown is how much of one outside value the Nagios line shows, in
// escaped characters before '|' becomes \x7c: the line stays readable,
// and within the 4 KiB that Nagios 3 keeps of a plugin's output.
const maxShown = 200

// shown is a value from outside (the appliance's, or an error quoting it)
// as the Nagios line holds it: escaped with textsafe, so that no new line
// starts a forged second line and no control or bidi character reaches a
// screen, cut to maxShown characters, and with '|' written \x7c, since
// Nagios takes the first '|' as the start of the perfdata.
func shown(s string) string {
	return strings.ReplaceAll(textsafe.EscapeMax(s, maxShown), "|", `\x7c`)
}

// applianceHost is the host (and port) of the client's address, which
// the Nagios line names: what a monitoring screen needs, not a URL.
func applianceHost(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// healthJSON is what health --json writes. Like every --json, it is data
// for programs: snake_case keys, durations in seconds, times in RFC 3339
// UTC, and the appliance's values exact (encoding/json's escaping only).
// Summary is the line health prints, escaped as it is for people.
type healthJSON struct {
	Probe       *probeJSON        `json:"probe,omitempty"`
	ProbeError  string            `json:"probe_error,omitempty"`
	Health      *appliance.Health `json:"check_health,omitempty"`
	HealthError string            `json:"check_health_error,omitempty"`
	State       string            `json:"state"`
	Summary     string            `json:"summary"`
}

// probeJSON is the probe's answer in health --json.
type probeJSON struct {
	Status         int     `json:"status"`
	Healthy        bool    `json:"healthy"`
	Message        string  `json:"message,omitempty"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

func healthData(h healthCheck, state int, line string) healthJSON {
	d := healthJSON{Health: h.Health, State: nagiosWords[state], Summary: line}
	if p := h.Probe; p != nil {
		d.Probe = &probeJSON{Status: p.Status, Healthy: p.Healthy, Message: p.Message, ElapsedSeconds: p.Elapsed.Seconds()}
	}
	if h.ProbeErr != nil {
		d.ProbeError = h.ProbeErr.Error()
	}
	if h.HealthErr != nil {
		d.HealthError = h.HealthErr.Error()
	}
	return d
}

func healthCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "health",
		Usage: "probe /check_health (no credentials), and with a user name also ask check_health",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "nagios", Usage: "print one Nagios line with perfdata; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN"},
			&cli.BoolFlag{Name: "probe-only", Usage: "only the unauthenticated probe, even with a user name"},
			&cli.StringFlag{Name: "expect-role", Usage: "warn unless the failover role is this: none, primary or backup"},
			&cli.DurationFlag{Name: "sync-warn", Value: time.Hour, Usage: "warn when the last failover data sync is older"},
			&cli.DurationFlag{Name: "sync-crit", Value: 6 * time.Hour, Usage: "critical when the last failover data sync is older"},
		},
		Action: func(c *cli.Context) error {
			nag := c.Bool("nagios")
			usage := func(err error) error {
				if nag {
					fmt.Fprintf(e.Stdout, "BRCS API UNKNOWN - %s\n", shown(err.Error()))
					return cli.Exit("", nagiosUnknown)
				}
				return err
			}
			switch c.String("expect-role") {
			case "", "none", "primary", "backup":
			default:
				return usage(fmt.Errorf("--expect-role %q: use none, primary or backup", c.String("expect-role")))
			}
			cf, err := e.settings(c)
			if err != nil {
				return usage(err)
			}
			checked := cf.hasAccount() && !c.Bool("probe-only")
			cl, err := e.client(c, checked)
			if err != nil {
				return usage(err)
			}
			h := healthCheck{Host: applianceHost(cl.Base()), Checked: checked, ExpectRole: c.String("expect-role"),
				SyncWarn: c.Duration("sync-warn"), SyncCrit: c.Duration("sync-crit")}
			h.Probe, h.ProbeErr = cl.Probe(c.Context)
			if checked && h.ProbeErr == nil {
				h.Health, h.HealthErr = cl.CheckHealth(c.Context)
			}
			if i := cliutil.InterruptedBy(c.Context); i != nil {
				// A signal is neither an unreachable appliance nor a
				// "context canceled": the line says what happened.
				if h.ProbeErr != nil {
					h.ProbeErr = i
				}
				if h.HealthErr != nil {
					h.HealthErr = i
				}
			}
			h.Now = e.Now()
			state, line := nagios(h)
			if nag {
				fmt.Fprintln(e.Stdout, line)
				if state == nagiosOK {
					return nil
				}
				return cli.Exit("", state)
			}
			if c.Bool("json") {
				if err := e.printJSON(healthData(h, state, line)); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(e.Stdout, line)
			}
			if state != nagiosOK {
				return cli.Exit("", 1)
			}
			return nil
		},
	}
}
