package appliancetest

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// route is one endpoint of the stand-in.
type route struct {
	path string
	// alias: also serve path+".ns", as older integrations call it.
	alias   bool
	handler func(*Server, http.ResponseWriter, *http.Request)
}

// routes lists the stand-in's endpoints; each handler lives in its own
// file, so an endpoint is added with its file and one line here.
func routes() []route {
	return []route{
		{"/api/client_script", true, (*Server).clientScript},
		{"/api/command", true, (*Server).command},
		{"/api/backup", true, (*Server).backup},
		{"/api/reporting", true, (*Server).reporting},
		{"/check_health", false, (*Server).probe},
		{"/oauth2/token", false, (*Server).oauthToken},
	}
}

// Request is what the stand-in saw of one request. Passwords are redacted.
type Request struct {
	Method, Path string
	// RawQuery is the query as sent, with any password value replaced by
	// REDACTED.
	RawQuery string
	// Body is a form body as sent, passwords redacted the same way.
	Body string
	// Form is the parameters of query and body together, passwords
	// redacted.
	Form url.Values
	// PasswordInURL reports whether a password parameter was in the URL.
	PasswordInURL bool
	// Close reports whether the client asked to close the connection.
	Close bool
	// NewConnection reports whether the request came on a connection not
	// used before.
	NewConnection bool
	// Auth is the scheme of the Authorization header ("Basic",
	// "Bearer"), never its value.
	Auth string
}

// Redacted replaces every password value.
const Redacted = "REDACTED"

// Server is the stand-in appliance.
type Server struct {
	*httptest.Server
	// Site is the company site name used in generated file names.
	Site string

	mu         sync.Mutex
	data       *Data
	behavior   Behavior
	times      int // how many requests misbehave (0: all)
	delay      time.Duration
	retryAfter time.Duration
	stallAfter int
	requests   []Request
	seenConns  map[string]bool

	// OAuth state (oauth.go).
	tokens        map[string]*token
	minted        map[string][]string // valid tokens by client id, oldest first
	mints         map[string]int
	evicted       map[string]int
	hourly        map[string][]time.Time
	refusedMints  int
	deniedCalls   int
	tokenRequests []TokenRequest
}

// NewTLS starts a stand-in appliance for site on a loopback HTTPS address,
// with DefaultData. Close it when done.
func NewTLS(site string) *Server {
	s := newServer(site)
	s.StartTLS()
	return s
}

// NewTLSAt is NewTLS on the address addr (host:port), for a stand-in that
// people and scripts reach at a known address.
func NewTLSAt(site, addr string) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(site)
	s.Listener.Close()
	s.Listener = l
	s.StartTLS()
	return s, nil
}

func newServer(site string) *Server {
	s := &Server{Site: site, seenConns: map[string]bool{}, data: DefaultData(), retryAfter: time.Second, stallAfter: 1024,
		tokens: map[string]*token{}, minted: map[string][]string{}, mints: map[string]int{}, evicted: map[string]int{}, hourly: map[string][]time.Time{}}
	mux := http.NewServeMux()
	for _, rt := range routes() {
		h := s.wrap(rt.handler)
		mux.Handle(rt.path, h)
		if rt.alias {
			mux.Handle(rt.path+".ns", h)
		}
	}
	mux.HandleFunc("/login", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Log In</title></head><body></body></html>")
	})
	s.Server = httptest.NewUnstartedServer(s.record(mux))
	// A client that does not trust the stand-in is a case under test, not
	// news for the test log.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	return s
}

// wrap runs h after the misbehaviour asked for, with Connection: close.
func (s *Server) wrap(h func(*Server, http.ResponseWriter, *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		w, done := s.misbehave(w, r)
		if done {
			return
		}
		h(s, w, r)
		if cw, ok := w.(*cutWriter); ok {
			cw.finish()
		}
	})
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

// SetRetryAfter sets the Retry-After of TooManyRequests (whole seconds).
func (s *Server) SetRetryAfter(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryAfter = d
}

// SetStallAfter sets how many bytes Stall and Truncated send.
func (s *Server) SetStallAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stallAfter = n
}

// Update changes the stand-in's state under its lock.
func (s *Server) Update(f func(*Data)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.data)
}

// View reads the stand-in's state under its lock.
func (s *Server) View(f func(*Data)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.data)
}

// Requests returns what the stand-in has seen, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// PasswordInAnyURL reports whether any request so far had a password in
// its URL.
func (s *Server) PasswordInAnyURL() bool {
	for _, r := range s.Requests() {
		if r.PasswordInURL {
			return true
		}
	}
	return false
}

// CACertPEM returns the stand-in's certificate in PEM, to trust it.
func (s *Server) CACertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body string
		if r.Body != nil && r.Method == http.MethodPost {
			raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			r.Body = io.NopCloser(bytes.NewReader(raw))
			// The token endpoint logs its body as it came, byte for byte.
			r = r.WithContext(context.WithValue(r.Context(), rawBodyKey{}, string(raw)))
			body, _ = redactQuery(string(raw))
		}
		_ = r.ParseForm() // a bad form is the handler's to answer
		form := url.Values{}
		for k, vs := range r.Form {
			for _, v := range vs {
				if k == "password" {
					v = Redacted
				}
				form.Add(k, v)
			}
		}
		query, inURL := redactQuery(r.URL.RawQuery)
		s.mu.Lock()
		scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		fresh := !s.seenConns[r.RemoteAddr]
		s.seenConns[r.RemoteAddr] = true
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, RawQuery: query, Body: body, Form: form,
			PasswordInURL: inURL, Close: r.Close, NewConnection: fresh, Auth: scheme})
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// rawBodyKey carries a POST body as it came to the handlers.
type rawBodyKey struct{}

// redactQuery replaces the value of every password key of a raw query,
// leaving the rest byte for byte.
func redactQuery(q string) (string, bool) {
	if q == "" {
		return q, false
	}
	parts := strings.Split(q, "&")
	found := false
	for i, kv := range parts {
		k, _, _ := strings.Cut(kv, "=")
		if key, err := url.QueryUnescape(k); err == nil && key == "password" {
			parts[i] = k + "=" + Redacted
			found = true
		}
	}
	return strings.Join(parts, "&"), found
}

// cutWriter sends the first left bytes of an answer, then stalls until the
// client is gone, or drops the connection.
type cutWriter struct {
	http.ResponseWriter
	left  int
	stall bool
	ctx   context.Context
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if len(p) <= c.left {
		c.left -= len(p)
		return c.ResponseWriter.Write(p)
	}
	c.ResponseWriter.Write(p[:c.left])
	c.left = 0
	c.cut()
	return 0, nil // not reached
}

// finish cuts an answer shorter than the limit too.
func (c *cutWriter) finish() { c.cut() }

func (c *cutWriter) cut() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	if c.stall {
		<-c.ctx.Done()
	}
	panic(http.ErrAbortHandler)
}

// Namespace styles of the stand-in's XML answers.
type NamespaceStyle int

// NamespaceStyles: what versions of the appliance declare.
const (
	// SeedNS is the guide's https://www.bomgar.com/namespaces/API/...
	SeedNS NamespaceStyle = iota
	// BomgarHTTP is http://www.bomgar.com/namespaces/API/... (RS 19.1).
	BomgarHTTP
	// BeyondTrustSRAHTTP is http://www.beyondtrust.com/sra/namespaces/API/... (PRA cloud).
	BeyondTrustSRAHTTP
	// BeyondTrustHTTPS is https://www.beyondtrust.com/namespaces/API/... (later docs).
	BeyondTrustHTTPS
	// NoNS declares no namespace.
	NoNS
)

// NamespaceStyles lists every style, for tests.
var NamespaceStyles = []NamespaceStyle{SeedNS, BomgarHTTP, BeyondTrustSRAHTTP, BeyondTrustHTTPS, NoNS}

// Namespace returns the namespace of api ("command" or "reporting") in
// this style, "" for NoNS.
func (n NamespaceStyle) Namespace(api string) string {
	switch n {
	case BomgarHTTP:
		return "http://www.bomgar.com/namespaces/API/" + api
	case BeyondTrustSRAHTTP:
		return "http://www.beyondtrust.com/sra/namespaces/API/" + api
	case BeyondTrustHTTPS:
		return "https://www.beyondtrust.com/namespaces/API/" + api
	case NoNS:
		return ""
	}
	return "https://www.bomgar.com/namespaces/API/" + api
}

// xmlDoc writes an XML answer: the declaration, a blank line (as real
// appliances send), the root element in the configured namespace of api,
// the inner XML, and the end tag.
func (s *Server) xmlDoc(w http.ResponseWriter, status int, api, root, attrs, inner string) {
	s.mu.Lock()
	ns := s.data.Namespace.Namespace(api)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	w.WriteHeader(status)
	xmlns := ""
	if ns != "" {
		xmlns = fmt.Sprintf(` xmlns="%s"`, ns)
	}
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<%s%s%s>%s</%s>\n", root, xmlns, attrs, inner, root)
}

// xmlError answers a root <error> in the command namespace.
func (s *Server) xmlError(w http.ResponseWriter, status int, msg string) {
	s.xmlDoc(w, status, "command", "error", "", esc(msg))
}

// esc escapes text for XML.
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// Messages the stand-in answers, as real appliances do.
const (
	MsgLoginFailed = "Login failed"
	MsgNoPerm      = "Document Not Found"
)

// authenticate checks the username and password parameters and that the
// user may, answering the <error> and returning nil when not.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, api string, may func(*User) bool) *User {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.xmlDoc(w, http.StatusMethodNotAllowed, api, "error", "", "Use GET or POST.")
		return nil
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return s.bearer(w, r, api, tok)
	}
	name, pw := r.Form.Get("username"), r.Form.Get("password")
	s.mu.Lock()
	u, ok := s.data.Users[name]
	off := s.data.UserAccountsOff
	s.mu.Unlock()
	if off {
		s.xmlDoc(w, http.StatusOK, api, "error", "", MsgUserAccountsOff)
		return nil
	}
	if !ok || name == "" || u.Password != pw {
		s.xmlDoc(w, http.StatusOK, api, "error", "", MsgLoginFailed)
		return nil
	}
	if may != nil && !may(u) {
		s.xmlDoc(w, http.StatusOK, api, "error", "", MsgNoPerm)
		return nil
	}
	return u
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
