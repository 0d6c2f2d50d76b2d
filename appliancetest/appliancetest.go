// Package appliancetest is a stand-in for a BeyondTrust / Bomgar appliance
// in tests: an httptest TLS server that answers /api/client_script the way
// the vendor's API guide describes, checking the request with the brcs
// validator, and that misbehaves on request (a login page, an XML error,
// an empty body, 5xx, redirects, a huge or slow answer, a dropped
// connection). It listens on loopback only.
package appliancetest

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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
)

// Request is what the stand-in saw of one request.
type Request struct {
	Method, Path, RawQuery string
	// Close reports whether the client asked to close the connection.
	Close bool
	// NewConnection reports whether the request came on a connection not
	// used before.
	NewConnection bool
}

// Server is the stand-in appliance.
type Server struct {
	*httptest.Server
	// Site is the company site name used in generated file names.
	Site string

	mu        sync.Mutex
	behavior  Behavior
	times     int // how many requests misbehave (0: all)
	delay     time.Duration
	requests  []Request
	seenConns map[string]bool
}

// NewTLS starts a stand-in appliance for site on a loopback HTTPS address.
// Close it when done.
func NewTLS(site string) *Server {
	s := &Server{Site: site, seenConns: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/client_script", s.clientScript)
	mux.HandleFunc("/api/client_script.ns", s.clientScript)
	mux.HandleFunc("/check_health", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "OK") })
	s.Server = httptest.NewUnstartedServer(s.record(mux))
	// A client that does not trust the stand-in is a case under test, not
	// news for the test log.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	return s
}

// Misbehave makes the next times requests (0: all of them) answer as b.
func (s *Server) Misbehave(b Behavior, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behavior, s.times = b, times
}

// SetDelay sets how long Slow waits.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Requests returns what the stand-in has seen, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// CACertPEM returns the stand-in's certificate in PEM, to trust it.
func (s *Server) CACertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		fresh := !s.seenConns[r.RemoteAddr]
		s.seenConns[r.RemoteAddr] = true
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			Close: r.Close, NewConnection: fresh})
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

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

const xmlNS = "https://www.beyondtrust.com/namespaces/API/command"

func xmlError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error xmlns=\"%s\">%s</error>\n", xmlNS, msg)
}

func (s *Server) clientScript(w http.ResponseWriter, r *http.Request) {
	b, delay := s.current()
	switch b {
	case LoginPage:
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Log In</title></head><body><form action=\"/login\"></form></body></html>")
		return
	case XMLError:
		xmlError(w, http.StatusOK, "The API is disabled.")
		return
	case Empty:
		return
	case ServerError:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	case Unavailable:
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	case NotFound:
		http.NotFound(w, r)
		return
	case RedirectOtherHost:
		http.Redirect(w, r, "https://other.example"+r.URL.RequestURI(), http.StatusFound)
		return
	case RedirectHTTP:
		http.Redirect(w, r, "http://"+r.Host+r.URL.RequestURI(), http.StatusFound)
		return
	case Huge:
		w.Header().Set("Content-Type", "application/octet-stream")
		fmt.Fprint(w, "BRCS1.0\n")
		chunk := strings.Repeat("x", 64<<10)
		for i := 0; i < 40; i++ { // 2.5 MiB
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return
			}
		}
		return
	case Slow:
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	case Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case NotAScript:
		fmt.Fprint(w, "hello\n")
		return
	}
	s.generate(w, r)
}

// generate answers as the guide describes: type=rep, operation=generate,
// an action and its parameters; the script holds login first, the
// command, and delete_script_file last.
func (s *Server) generate(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		xmlError(w, http.StatusMethodNotAllowed, "Use GET or POST.")
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
		xmlError(w, http.StatusOK, "Invalid client type: only rep is supported.")
		return
	}
	if op != "generate" {
		xmlError(w, http.StatusOK, "Invalid operation: only generate is supported.")
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
		xmlError(w, http.StatusOK, strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(msg))
		return
	}
	action := c.Action()
	if action != "login" && action != "start_jump_item_session" {
		xmlError(w, http.StatusOK, "Invalid action: "+action)
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
