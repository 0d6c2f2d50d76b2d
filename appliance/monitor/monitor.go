// Package monitor judges an appliance's health as a monitoring check does:
// the unauthenticated /check_health probe and, with an account, the
// check_health command, turned into a Nagios state (the worst wins), the
// reasons for it, perfdata, and one line that is safe to show, since every
// value from outside is escaped in it. Result is the same judgement as
// data, the shape brcsapi health --json writes.
//
// A service that watches appliances fills a Check, lets Ask ask the
// appliance, and reads Verdict; a Check filled from answers it already
// holds is judged without any I/O.
package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// State is a Nagios plugin status; its value is the plugin's exit code.
type State int

// The Nagios plugin statuses.
const (
	OK       State = 0
	Warning  State = 1
	Critical State = 2
	Unknown  State = 3
)

// String is the state's word in a Nagios line: OK, WARNING, CRITICAL or
// UNKNOWN.
func (s State) String() string {
	switch s {
	case OK:
		return "OK"
	case Warning:
		return "WARNING"
	case Critical:
		return "CRITICAL"
	case Unknown:
		return "UNKNOWN"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// rank orders states for "the worst wins": CRITICAL, WARNING, UNKNOWN,
// OK. An UNKNOWN says less than a WARNING about the appliance, so a real
// warning found beside it wins.
func (s State) rank() int {
	switch s {
	case OK:
		return 0
	case Unknown:
		return 1
	case Warning:
		return 2
	}
	return 3
}

// Roles are the failover roles an appliance reports, and that
// Check.ExpectRole may name (a new list each call: nobody changes it).
func Roles() []string { return []string{"none", "primary", "backup"} }

// CheckRole refuses a role that is not one of Roles: an ExpectRole no
// appliance reports would warn on every check.
func CheckRole(role string) error {
	r := Roles()
	if slices.Contains(r, role) {
		return nil
	}
	return fmt.Errorf("%q: use %s or %s", role, strings.Join(r[:len(r)-1], ", "), r[len(r)-1])
}

// Check is what was learned of an appliance, and what it was asked to
// be. A zero sync threshold raises nothing.
type Check struct {
	// Host names the appliance in the line (see Host).
	Host string
	// Probe and ProbeErr are Client.Probe's answer.
	Probe    *appliance.Probe
	ProbeErr error
	// Checked says check_health was asked (there was an account); then
	// Health and HealthErr are Client.CheckHealth's answer.
	Checked   bool
	Health    *appliance.Health
	HealthErr error

	// ExpectRole, when set, is the failover role the appliance should
	// have: one of Roles.
	ExpectRole string
	// SyncWarn and SyncCrit are the ages of the last failover data sync
	// past which the state is WARNING and CRITICAL.
	SyncWarn, SyncCrit time.Duration
	// Now is when the sync age is measured (zero: when Verdict runs).
	Now time.Time
}

// Ask probes the appliance through cl and, when c.Checked and the probe
// answered (whatever its status), asks check_health, keeping the answers in c. It names the
// host from cl when c.Host is empty, and sets c.Now to the time the
// answers came when it is zero. A failure is an answer too, judged by
// Verdict, so Ask returns nothing. When ctx was cancelled with a cause
// (a signal, say), a failure is that cause, so that the line says what
// happened rather than "context canceled".
func (c *Check) Ask(ctx context.Context, cl *appliance.Client) {
	if c.Host == "" {
		c.Host = Host(cl.Base())
	}
	c.Probe, c.ProbeErr = cl.Probe(ctx)
	if c.Checked && c.ProbeErr == nil {
		c.Health, c.HealthErr = cl.CheckHealth(ctx)
	}
	c.blameCause(ctx)
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
}

// blameCause makes a failure that ctx's end cut short ctx's cause, when
// it has one; any other failure (a certificate refused before a signal
// came) stays what it was.
func (c *Check) blameCause(ctx context.Context) {
	cause := context.Cause(ctx)
	if cause == nil || cause == ctx.Err() {
		return
	}
	cut := func(err error) bool { return errors.Is(err, context.Canceled) || errors.Is(err, cause) }
	if cut(c.ProbeErr) {
		c.ProbeErr = cause
	}
	if cut(c.HealthErr) {
		c.HealthErr = cause
	}
}

// Verdict is a Check judged.
type Verdict struct {
	// State is the worst state any reason raised, OK without a reason.
	State State
	// Reasons say what raised the state, in the order they were found,
	// escaped as the line holds them. They are brcsapi health's: an
	// untrusted certificate's names its --ca-cert flag.
	Reasons []string
	// Perfdata are the Nagios performance values: response_time, and
	// sync_age (with its thresholds) with failover.
	Perfdata []string
	// Line is the one Nagios line: "BRCS API STATE - detail: reasons |
	// perfdata".
	Line string
}

// Verdict judges the check: an unreachable appliance, an untrusted
// certificate, a probe answering 500, success=0 or a sync older than
// SyncCrit is CRITICAL; a failover role other than ExpectRole, a sync
// older than SyncWarn or one whose status is not success is WARNING;
// another status, a redirect, refused credentials or a missing permission
// is UNKNOWN. The worst state wins. After a CRITICAL or failed probe,
// check_health's answer is not judged.
func (c Check) Verdict() Verdict {
	v := Verdict{State: OK}
	raise := func(s State, format string, args ...any) {
		if s.rank() > v.State.rank() {
			v.State = s
		}
		v.Reasons = append(v.Reasons, fmt.Sprintf(format, args...))
	}
	switch {
	case c.ProbeErr != nil && appliance.IsCertificate(c.ProbeErr):
		raise(Critical, "certificate not trusted (give its CA with --ca-cert)")
	case c.ProbeErr != nil && appliance.IsTransport(c.ProbeErr):
		raise(Critical, "unreachable: %s", shown(appliance.Reason(c.ProbeErr)))
	case c.ProbeErr != nil:
		raise(Unknown, "probe: %s", shown(appliance.Reason(c.ProbeErr)))
	case c.Probe == nil:
		raise(Unknown, "no probe was made")
	case c.Probe.Status == 500:
		raise(Critical, "probe failed (HTTP 500)")
	case c.Probe.Status != 200:
		raise(Unknown, "probe answered HTTP %d", c.Probe.Status)
	}
	if c.Probe != nil {
		v.Perfdata = append(v.Perfdata, fmt.Sprintf("response_time=%.3fs", c.Probe.Elapsed.Seconds()))
	}
	detail := shown(c.Host)
	if c.Checked && v.State != Critical && c.ProbeErr == nil {
		detail = c.judgeHealth(&v, raise, detail)
	}
	v.Line = line(v.State, detail, v.Reasons, v.Perfdata)
	return v
}

// judgeHealth adds check_health's reasons and perfdata to v, and returns
// the line's detail: the appliance as check_health names it, or detail
// when it did not answer.
func (c Check) judgeHealth(v *Verdict, raise func(State, string, ...any), detail string) string {
	h := c.Health
	switch {
	case c.HealthErr != nil && (appliance.IsAuth(c.HealthErr) || appliance.IsPermission(c.HealthErr)):
		raise(Unknown, "check_health refused: %s", shown(appliance.Reason(c.HealthErr)))
		return detail
	case c.HealthErr != nil && appliance.IsTransport(c.HealthErr):
		raise(Critical, "check_health unreachable: %s", shown(appliance.Reason(c.HealthErr)))
		return detail
	case c.HealthErr != nil:
		raise(Unknown, "check_health: %s", shown(appliance.Reason(c.HealthErr)))
		return detail
	case h == nil:
		raise(Unknown, "check_health: no answer")
		return detail
	}
	if !h.Success {
		msg := "no message"
		if h.ErrorMessage != "" {
			msg = shown(h.ErrorMessage)
		}
		raise(Critical, "health check failed: %s", msg)
	}
	if c.ExpectRole != "" && h.FailoverRole != c.ExpectRole {
		raise(Warning, "failover role is %s, expected %s", shown(h.FailoverRole), shown(c.ExpectRole))
	}
	if h.FailoverConfigured() {
		if h.LastSync.IsZero() {
			raise(Warning, "no data sync time reported")
		} else {
			now := c.Now
			if now.IsZero() {
				now = time.Now()
			}
			age := now.Sub(h.LastSync).Round(time.Second)
			v.Perfdata = append(v.Perfdata, fmt.Sprintf("sync_age=%ds;%d;%d;0", int(age.Seconds()), int(c.SyncWarn.Seconds()), int(c.SyncCrit.Seconds())))
			switch {
			case c.SyncCrit > 0 && age > c.SyncCrit:
				raise(Critical, "last data sync %s ago", age)
			case c.SyncWarn > 0 && age > c.SyncWarn:
				raise(Warning, "last data sync %s ago", age)
			}
		}
		if s := h.LastSyncStatus; s != "" && s != "success" {
			raise(Warning, "last data sync status %s", shown(s))
		}
	}
	return fmt.Sprintf("%s %s (%s)", shown(h.Appliance), shown(h.Version), shown(h.FailoverRole))
}

// ErrorVerdict is the verdict when no check could be made (no appliance
// given, settings that cannot be read): UNKNOWN, the error's text as the
// line's detail.
func ErrorVerdict(err error) Verdict {
	msg := "no error given"
	if err != nil {
		msg = shown(err.Error())
	}
	return Verdict{State: Unknown, Reasons: []string{msg}, Line: line(Unknown, msg, nil, nil)}
}

func line(s State, detail string, reasons, perf []string) string {
	l := "BRCS API " + s.String() + " - " + detail
	if len(reasons) > 0 {
		l += ": " + strings.Join(reasons, "; ")
	}
	if len(perf) > 0 {
		l += " | " + strings.Join(perf, " ")
	}
	return l
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

// Host is the host (and port) of an appliance's address (base, as
// Client.Base returns it), which the line names: what a monitoring screen
// needs, not a URL.
func Host(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// Result is a Check and its Verdict as data for programs: snake_case
// keys, durations in seconds, times in RFC 3339 UTC, and the appliance's
// values exact (encoding/json's escaping only). Summary is the Verdict's
// line, escaped as it is for people.
type Result struct {
	Probe       *ProbeResult      `json:"probe,omitempty"`
	ProbeError  string            `json:"probe_error,omitempty"`
	Health      *appliance.Health `json:"check_health,omitempty"`
	HealthError string            `json:"check_health_error,omitempty"`
	State       string            `json:"state"`
	Summary     string            `json:"summary"`
}

// ProbeResult is the probe's answer in a Result.
type ProbeResult struct {
	Status         int     `json:"status"`
	Healthy        bool    `json:"healthy"`
	Message        string  `json:"message,omitempty"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

// Result judges the check and returns both as data.
func (c Check) Result() Result {
	v := c.Verdict()
	r := Result{Health: c.Health, State: v.State.String(), Summary: v.Line}
	if p := c.Probe; p != nil {
		r.Probe = &ProbeResult{Status: p.Status, Healthy: p.Healthy, Message: p.Message, ElapsedSeconds: p.Elapsed.Seconds()}
	}
	if c.ProbeErr != nil {
		r.ProbeError = c.ProbeErr.Error()
	}
	if c.HealthErr != nil {
		r.HealthError = c.HealthErr.Error()
	}
	return r
}
