package gen

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

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
	o      FetchOptions
	client *http.Client
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
// CAs are added to the system's.
func NewFetcher(o FetchOptions) (*Fetcher, error) {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 500 * time.Millisecond
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = brcs.DefaultMaxSize
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if len(o.CACertsPEM) > 0 && !pool.AppendCertsFromPEM(o.CACertsPEM) {
		return nil, errors.New("the CA file holds no PEM certificate")
	}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.Timeout,
		// The guide: close the connection after each API call.
		DisableKeepAlives: true,
	}
	f := &Fetcher{o: o}
	f.client = &http.Client{Transport: transport, CheckRedirect: f.checkRedirect}
	return f, nil
}

// checkRedirect refuses a redirect to another host or from https to http.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	switch {
	case len(via) >= 3:
		return errors.New("too many redirects")
	case req.URL.Host != first.Host:
		return fmt.Errorf("the appliance redirected to another host (%s); refused", req.URL.Host)
	case req.URL.Scheme != first.Scheme:
		return fmt.Errorf("the appliance redirected from %s to %s; refused", first.Scheme, req.URL.Scheme)
	}
	return nil
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
	link := a.base + ClientScriptPath + "?type=rep&operation=generate&" + m.String()
	endpoint := a.base + ClientScriptPath
	var last error
	wait := f.o.Backoff
	for attempt := 1; attempt <= f.o.Attempts; attempt++ {
		if attempt > 1 {
			select {
			case <-ctx.Done():
				return nil, &FetchError{Endpoint: endpoint, Err: ctx.Err()}
			case <-time.After(wait):
			}
			wait *= 2
		}
		if f.o.Limiter != nil {
			if err := f.o.Limiter.Wait(ctx); err != nil {
				return nil, &FetchError{Endpoint: endpoint, Err: err}
			}
		}
		got, err := f.once(ctx, link, endpoint, cat)
		if err == nil {
			// The answer must be what was asked (see compare.go).
			if got.Warnings, err = CheckAnswer(cat, c, got.Script); err != nil {
				return nil, &FetchError{Endpoint: endpoint, Status: http.StatusOK, Err: err}
			}
			return got, nil
		}
		last = err
		var fe *FetchError
		if !errors.As(err, &fe) || !fe.Retryable || ctx.Err() != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w (after %d attempts)", last, f.o.Attempts)
}

func (f *Fetcher) once(ctx context.Context, link, endpoint string, cat *brcs.Catalogue) (*Fetched, error) {
	ctx, cancel := context.WithTimeout(ctx, f.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, &FetchError{Endpoint: endpoint, Err: errors.New("cannot build the request")}
	}
	req.Close = true
	req.Header.Set("User-Agent", "brcsgen")
	resp, err := f.client.Do(req)
	if err != nil {
		// *url.Error quotes the whole link: keep only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		retry := !errors.Is(err, context.Canceled) && !isCertificateError(err) && !isRedirectRefusal(err)
		return nil, &FetchError{Endpoint: endpoint, Err: escaped{explain(err)}, Retryable: retry}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.o.MaxBytes+1))
	if err != nil {
		return nil, &FetchError{Endpoint: endpoint, Status: resp.StatusCode, Err: fmt.Errorf("reading the answer: %v", explain(err)), Retryable: true}
	}
	fail := func(retry bool, format string, args ...any) error {
		return &FetchError{Endpoint: endpoint, Status: resp.StatusCode, Err: fmt.Errorf(format, args...), Retryable: retry}
	}
	switch {
	case resp.StatusCode >= 500:
		return nil, fail(true, "the appliance answered %s", resp.Status)
	case resp.StatusCode != http.StatusOK:
		if msg := xmlErrorMessage(body); msg != "" {
			return nil, fail(false, "the appliance answered %s: %s", resp.Status, msg)
		}
		return nil, fail(false, "the appliance answered %s", resp.Status)
	case int64(len(body)) > f.o.MaxBytes:
		return nil, fail(false, "the answer is larger than %d bytes; no script is that large", f.o.MaxBytes)
	case len(bytes.TrimSpace(body)) == 0:
		return nil, fail(false, "the appliance answered with an empty body")
	case isHTML(resp, body):
		return nil, fail(false, "the appliance answered with an HTML page, not a script: check the address is the appliance's public site and that the XML API is enabled (/login > Management > API Configuration)")
	}
	if msg := xmlErrorMessage(body); msg != "" {
		return nil, fail(false, "the appliance refused: %s", msg)
	}
	if err := CheckScript(cat, body, "the script the appliance sent"); err != nil {
		return nil, fail(false, "%w", err)
	}
	return &Fetched{Script: body, Name: suggestedName(resp.Header.Get("Content-Disposition"))}, nil
}

// escaped is an error whose text may quote what the other side chose (a
// certificate's names and subject, in x509's errors): shown escaped, so
// on one line and with no control character.
type escaped struct{ err error }

func (e escaped) Error() string { return textsafe.Escape(e.err.Error()) }
func (e escaped) Unwrap() error { return e.err }

func isCertificateError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) || errors.As(err, &verify)
}

func isRedirectRefusal(err error) bool { return strings.Contains(err.Error(), "redirect") }

// explain adds advice to the errors people meet most.
func explain(err error) error {
	switch {
	case isCertificateError(err):
		return fmt.Errorf("%v (the appliance's certificate is not trusted: give its CA with --ca-cert; checks are never turned off)", err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("timed out: %v", err)
	}
	return err
}

func isHTML(resp *http.Response, body []byte) bool {
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct == "text/html" {
		return true
	}
	head := strings.ToLower(string(bytes.TrimSpace(body[:min(len(body), 512)])))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html")
}

// xmlErrorMessage returns the text of an <error> root element (any
// namespace), or "".
func xmlErrorMessage(body []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "error" {
				return ""
			}
			var msg string
			if err := dec.DecodeElement(&msg, &se); err != nil {
				return "an unreadable error"
			}
			return textsafe.EscapeMax(strings.TrimSpace(msg), 300) // the appliance's words, shown to a person
		}
	}
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

// Limiter spaces events out to a rate. It is safe for concurrent use.
type Limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

// NewLimiter allows perSecond events a second.
func NewLimiter(perSecond float64) *Limiter {
	return &Limiter{interval: time.Duration(float64(time.Second) / perSecond)}
}

// Wait blocks until the next event may happen, or ctx is done.
func (l *Limiter) Wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.interval)
	l.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
