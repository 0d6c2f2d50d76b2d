// Package appliancetest is a stand-in for a BeyondTrust / Bomgar appliance
// in tests, as net/http/httptest is for servers: an httptest TLS server on
// loopback that answers the client scripting API (/api/client_script), the
// Command API (/api/command), the Reporting API (/api/reporting), the
// Backup API (/api/backup) and the health probe (/check_health, a small
// HTML page with 200 or 500) the way the vendor's API guide describes,
// each API also at its .ns alias, by GET or POST.
//
// Its state (users and their permissions, custom fields, teams, Jumpoints,
// policies, active sessions, health, the backup, the API version, the
// namespace style of its answers, and the report store: fixture sessions
// or Generated ones, recordings, how an empty report is said) is a Data
// value that tests change with Update. It misbehaves on request
// (Misbehave: a login page, an XML error, 401, 429, 5xx, redirects, a
// huge, slow, stalled or truncated answer, a dropped connection), and
// logs every request with passwords redacted, noting whether a password
// was ever in a URL.
//
// Each endpoint is a handler in its own file, listed in routes.
package appliancetest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/brcs"
)

// Behavior is how the stand-in answers.
type Behavior int

// Behaviors.
const (
	// Normal generates scripts as the appliance does.
	Normal Behavior = iota
	// LoginPage answers 200 with an HTML login page.
	LoginPage
	// XMLError answers 200 with an XML <error> element.
	XMLError
	// Empty answers 200 with no body.
	Empty
	// ServerError answers 500.
	ServerError
	// Unavailable answers 503.
	Unavailable
	// NotFound answers 404.
	NotFound
	// RedirectOtherHost redirects to another host.
	RedirectOtherHost
	// RedirectHTTP redirects to plain http on the same host.
	RedirectHTTP
	// Huge answers with more than any script could hold.
	Huge
	// Slow waits Delay before answering.
	Slow
	// Drop closes the connection without an answer.
	Drop
	// NotAScript answers 200 with text that is not BRCS.
	NotAScript
	// Unauthorized answers 401.
	Unauthorized
	// TooManyRequests answers 429 with Retry-After (see SetRetryAfter).
	TooManyRequests
	// RedirectLogin redirects to /login, as an appliance whose XML API is
	// disabled does.
	RedirectLogin
	// Stall sends the first StallAfter bytes of the answer, then nothing
	// until the client gives up.
	Stall
	// Truncated sends the first StallAfter bytes of the answer, then drops
	// the connection.
	Truncated
)

// current returns the behaviour for this request and counts it down.
func (s *Server) current() (Behavior, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.behavior
	if s.times > 0 {
		s.times--
		if s.times == 0 {
			s.behavior = Normal
		}
	}
	return b, s.delay
}

// misbehave answers as the current Behavior, reporting whether it did;
// for Stall and Truncated it returns the writer to answer through.
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, bool) {
	b, delay := s.current()
	switch b {
	case LoginPage:
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Log In</title></head><body><form action=\"/login\"></form></body></html>")
		return w, true
	case XMLError:
		s.xmlError(w, http.StatusOK, "The API is disabled.")
		return w, true
	case Empty:
		return w, true
	case ServerError:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return w, true
	case Unavailable:
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return w, true
	case NotFound:
		http.NotFound(w, r)
		return w, true
	case RedirectOtherHost:
		http.Redirect(w, r, "https://other.example"+r.URL.RequestURI(), http.StatusFound)
		return w, true
	case RedirectHTTP:
		http.Redirect(w, r, "http://"+r.Host+r.URL.RequestURI(), http.StatusFound)
		return w, true
	case RedirectLogin:
		http.Redirect(w, r, "/login", http.StatusFound)
		return w, true
	case Unauthorized:
		s.xmlError(w, http.StatusUnauthorized, "Unauthorized")
		return w, true
	case TooManyRequests:
		s.mu.Lock()
		after := s.retryAfter
		s.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int(after/time.Second)))
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return w, true
	case Stall, Truncated:
		s.mu.Lock()
		n := s.stallAfter
		s.mu.Unlock()
		return &cutWriter{ResponseWriter: w, left: n, stall: b == Stall, ctx: r.Context()}, false
	case Huge:
		w.Header().Set("Content-Type", "application/octet-stream")
		fmt.Fprint(w, "BRCS1.0\n")
		chunk := strings.Repeat("x", 64<<10)
		for i := 0; i < 40; i++ { // 2.5 MiB
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return w, true
			}
		}
		return w, true
	case Slow:
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return w, true
		}
	case Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return w, true
			}
		}
		panic(http.ErrAbortHandler)
	case NotAScript:
		fmt.Fprint(w, "hello\n")
		return w, true
	}
	return w, false
}

// clientScript serves /api/client_script.
func (s *Server) clientScript(w http.ResponseWriter, r *http.Request) { s.generate(w, r) }

// generate answers as the guide describes: type=rep, operation=generate,
// an action and its parameters; the script holds login first, the
// command, and delete_script_file last.
func (s *Server) generate(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.xmlError(w, http.StatusMethodNotAllowed, "Use GET or POST.")
		return
	}
	var typ, op string
	var rest []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		switch {
		case strings.HasPrefix(kv, "type="):
			typ = kv[len("type="):]
		case strings.HasPrefix(kv, "operation="):
			op = kv[len("operation="):]
		default:
			rest = append(rest, kv)
		}
	}
	if typ != "rep" {
		s.xmlError(w, http.StatusOK, "Invalid client type: only rep is supported.")
		return
	}
	if op != "generate" {
		s.xmlError(w, http.StatusOK, "Invalid operation: only generate is supported.")
		return
	}
	cmd := strings.Join(rest, "&")
	c, ds, err := brcs.CheckCommand(cmd, brcs.Options{})
	if err != nil || brcs.HasErrors(ds) || c == nil {
		msg := "Invalid command."
		for _, d := range ds {
			if d.Severity == brcs.Error {
				msg = "Invalid command: " + d.Message
				break
			}
		}
		s.xmlError(w, http.StatusOK, strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(msg))
		return
	}
	action := c.Action()
	if action != "login" && action != "start_jump_item_session" {
		s.xmlError(w, http.StatusOK, "Invalid action: "+action)
		return
	}
	var body strings.Builder
	body.WriteString("BRCS1.0\n")
	if action != "login" {
		body.WriteString("action=login\n")
	}
	body.WriteString(cmd + "\n")
	body.WriteString("action=delete_script_file\n")
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"%s.brcs-%s\"", strings.TrimPrefix(strings.TrimPrefix(action, "start_"), "jump_item_"), s.Site))
	fmt.Fprint(w, body.String())
}
