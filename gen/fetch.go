package gen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// FetchOptions tune a Fetcher. Zero values take the defaults.
type FetchOptions struct {
	// AllowHTTP accepts a plain http:// appliance.
	AllowHTTP bool
	// CACertsPEM are certificates to trust besides the system's.
	CACertsPEM []byte
	// ConnectTimeout bounds connecting and the TLS handshake (default 10 s).
	ConnectTimeout time.Duration
	// Timeout bounds one request from start to the last byte (default 30 s).
	Timeout time.Duration
	// Attempts is how many times a request is tried when the connection
	// fails or the appliance answers 5xx (default 3).
	Attempts int
	// Backoff is the wait before the second attempt; it doubles after
	// (default 500 ms).
	Backoff time.Duration
	// MaxBytes caps the answer's size (default brcs.DefaultMaxSize).
	MaxBytes int64
	// Limiter, when set, spaces requests out (the appliance allows 20 a
	// second per API account).
	Limiter *Limiter
}

// Fetcher gets scripts from an appliance's client scripting API. It is
// safe for concurrent use.
type Fetcher struct {
	o       FetchOptions
	mu      sync.Mutex
	clients map[string]*appliance.Client
}

// Fetched is a script the appliance generated.
type Fetched struct {
	// Script is the script, validated.
	Script []byte
	// Name is the file name the appliance suggested, when it is a plain
	// *.brcs-<site> name; "" otherwise.
	Name string
	// Warnings are the validator's warnings about Script, to be shown.
	Warnings []brcs.Diagnostic
}

// FetchError is a failed fetch. It never holds the request's query, which
// may hold a password.
type FetchError struct {
	// Endpoint is scheme://host/path of the request.
	Endpoint string
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	Err    error
	// Retryable reports whether trying again could help.
	Retryable bool
}

func (e *FetchError) Error() string { return fmt.Sprintf("fetching from %s: %v", e.Endpoint, e.Err) }
func (e *FetchError) Unwrap() error { return e.Err }

// NewFetcher returns a Fetcher. Certificate checks are always on; extra
// CAs are added to the system's. The HTTP layer is package appliance's.
func NewFetcher(o FetchOptions) (*Fetcher, error) {
	if o.MaxBytes <= 0 {
		o.MaxBytes = brcs.DefaultMaxSize
	}
	f := &Fetcher{o: o, clients: map[string]*appliance.Client{}}
	// Check the CA file now rather than at the first fetch.
	if _, err := f.client("https://localhost"); err != nil {
		return nil, err
	}
	return f, nil
}

// client returns the appliance client for base, made once.
func (f *Fetcher) client(base string) (*appliance.Client, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.clients[base]; ok {
		return c, nil
	}
	o := appliance.Options{AllowHTTP: f.o.AllowHTTP, CACertsPEM: f.o.CACertsPEM, ConnectTimeout: f.o.ConnectTimeout,
		Timeout: f.o.Timeout, Attempts: f.o.Attempts, Backoff: f.o.Backoff, Method: http.MethodGet}
	if f.o.Limiter != nil {
		o.Limiter = f.o.Limiter.l
	} else {
		// No limit asked for: the client's own must not slow a single fetch.
		o.Limiter = rate.NewLimiter(rate.Inf, 1)
	}
	c, err := appliance.New(base, nil, o)
	if err != nil {
		return nil, err
	}
	f.clients[base] = c
	return c, nil
}

// Fetch asks the appliance a to generate a script running c, checks the
// answer and returns the script. c may hold a password (a login script):
// it is sent to the appliance only, over the checked connection, and
// appears in no error.
func (f *Fetcher) Fetch(ctx context.Context, a *Appliance, cat *brcs.Catalogue, c Command) (*Fetched, error) {
	if strings.HasPrefix(a.base, "http:") && !f.o.AllowHTTP {
		return nil, fmt.Errorf("appliance %s: plain http is refused; use https, or allow http explicitly", a.base)
	}
	if c.Action == "delete_script_file" {
		return nil, errors.New("the appliance adds delete_script_file to every script it generates; ask for the command that comes before it")
	}
	m := c.Model()
	if errs := brcs.Errors(brcs.ValidateCommand(m, cat)); len(errs) > 0 {
		return nil, &InvalidError{What: "the " + c.Action + " command", Findings: errs}
	}
	endpoint := a.base + ClientScriptPath
	client, err := f.client(a.base)
	if err != nil {
		return nil, &FetchError{Endpoint: endpoint, Err: err}
	}
	call := appliance.Call{Path: ClientScriptPath, RawQuery: "type=rep&operation=generate&" + m.String(), NoAuth: true}
	// The body is checked here, not by the client, so that a broken-off
	// or unusable answer is retried as a connection failure is.
	body, header, err := client.Fetch(ctx, call, f.o.MaxBytes)
	if err != nil {
		return nil, fetchError(endpoint, err)
	}
	fail := func(format string, args ...any) error {
		return &FetchError{Endpoint: endpoint, Status: http.StatusOK, Err: fmt.Errorf(format, args...)}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fail("the appliance answered with an empty body")
	}
	if ae, _ := appliance.ReadError(bytes.NewReader(body)); ae != nil {
		return nil, fail("the appliance refused: %s", textsafe.EscapeMax(strings.TrimSpace(ae.Message), 300)) // the appliance's words, shown to a person
	}
	if err := CheckScript(cat, body, "the script the appliance sent"); err != nil {
		return nil, fail("%w", err)
	}
	got := &Fetched{Script: body, Name: suggestedName(header.Get("Content-Disposition"))}
	// The answer must be what was asked (see compare.go).
	if got.Warnings, err = CheckAnswer(cat, c, got.Script); err != nil {
		return nil, fail("%w", err)
	}
	return got, nil
}

// escaped is an error whose text may quote what the other side chose (a
// certificate's names and subject, in x509's errors): shown escaped, so
// on one line and with no control character.
type escaped struct{ err error }

func (e escaped) Error() string { return textsafe.Escape(e.err.Error()) }
func (e escaped) Unwrap() error { return e.err }

// fetchError turns the client's error into a FetchError.
func fetchError(endpoint string, err error) error {
	var ae *appliance.Error
	if !errors.As(err, &ae) {
		return &FetchError{Endpoint: endpoint, Err: escaped{err}}
	}
	cause := ae.Err
	if cause != nil {
		cause = escaped{cause}
	}
	switch {
	case ae.Kind == appliance.TooLarge:
		cause = fmt.Errorf("%v; no script is that large", cause)
	case cause == nil:
		cause = errors.New(textsafe.EscapeMax(strings.TrimSpace(ae.Message), 300))
	}
	if ae.Attempts > 1 {
		cause = fmt.Errorf("%w (after %d attempts)", cause, ae.Attempts)
	}
	return &FetchError{Endpoint: endpoint, Status: ae.Status, Err: cause, Retryable: ae.Retryable}
}

// suggestedName returns the Content-Disposition file name when it is a
// plain *.brcs-<site> name (never a path).
func suggestedName(cd string) string {
	_, params, err := mime.ParseMediaType(cd)
	if err != nil {
		return ""
	}
	name := params["filename"]
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") ||
		strings.HasPrefix(name, "-") || !textsafe.Clean(name) {
		return ""
	}
	if len(brcs.CheckFileName(name)) != 0 {
		return ""
	}
	return name
}

// Limiter spaces events out to a rate (golang.org/x/time/rate, one event
// at a time). It is safe for concurrent use.
type Limiter struct{ l *rate.Limiter }

// NewLimiter allows perSecond events a second.
func NewLimiter(perSecond float64) *Limiter {
	return &Limiter{l: rate.NewLimiter(rate.Limit(perSecond), 1)}
}

// Wait blocks until the next event may happen, or ctx is done. An event
// that may happen now does so even when ctx is already done.
func (l *Limiter) Wait(ctx context.Context) error {
	if l.l.Allow() {
		return nil
	}
	return l.l.Wait(ctx)
}
