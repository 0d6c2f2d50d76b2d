// Package appliance is a typed client for a BeyondTrust / Bomgar
// appliance's XML APIs: the Command API (/api/command), the health probe
// (/check_health), the Backup API (/api/backup), and the transport that
// the client scripting API (package gen) and the Reporting API use.
//
// Everything that talks to an appliance goes through one Client: TLS 1.2 or
// later with certificate checks that cannot be turned off (the system's
// pool plus extra CAs), one request per connection as the vendor's guide
// asks, every redirect refused, a connect and a header timeout plus an idle
// timeout for streamed bodies, a rate limit (20 requests a second by
// default, and the hourly budget beside it), and retries for reads only.
//
// The account is an OAuth API account (ClientCredentials: a bearer token
// from /oauth2/token, shared between processes through a token cache) or,
// on appliances of the guide's generation, a user account (UserPassword,
// whose credentials travel in a POST form body by default). No password,
// secret or token appears in an error, a trace line or a URL the client
// builds (unless GET is asked for with a user account).
//
// Answers are read by local element name in any namespace (the guide's
// https://www.bomgar.com/..., the http:// form real appliances send, the
// beyondtrust.com forms, or none); unknown elements are ignored. An <error>
// answer becomes an *Error.
package appliance

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/brcs-toolkit/brcs/brcs"
)

// Endpoints of the appliance.
const (
	CommandPath = "/api/command"
	ReportPath  = "/api/reporting"
	BackupPath  = "/api/backup"
	ScriptPath  = "/api/client_script"
	ProbePath   = "/check_health"
	DefaultRate = 20 // requests a second per API account
	// DefaultHourlyLimit is the appliance's limit of requests an hour per
	// API account.
	DefaultHourlyLimit = 15000
	userAgent          = "brcs-toolkit"
	maxErrorBody       = 64 << 10
)

// Options tune a Client. Zero values take the defaults.
type Options struct {
	// AllowHTTP accepts a plain http:// appliance.
	AllowHTTP bool
	// CACertsPEM are certificates to trust besides the system's.
	CACertsPEM []byte
	// ConnectTimeout bounds connecting and the TLS handshake (default 10 s).
	ConnectTimeout time.Duration
	// Timeout bounds waiting for an answer's headers, and the whole of a
	// call whose answer is read into memory (default 30 s).
	Timeout time.Duration
	// IdleTimeout ends a streamed body (a backup, a report) when no byte
	// arrives for this long (default 60 s). A stream has no overall
	// deadline: a large backup may take as long as it keeps moving.
	IdleTimeout time.Duration
	// Attempts is how many times a read is tried when the connection
	// fails or the appliance answers 5xx or 429 (default 3). Calls that
	// change state are tried once.
	Attempts int
	// Backoff is the wait before the second attempt; it doubles after
	// (default 500 ms). A 429's Retry-After wins when longer.
	Backoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one
	// ends the call (default 60 s).
	MaxRetryAfter time.Duration
	// Rate is requests a second (default and maximum DefaultRate), used
	// when Limiter is nil.
	Rate float64
	// Limiter, when set, is shared with other clients of the same account.
	Limiter *rate.Limiter
	// HourlyLimit is the appliance's budget of calls an hour per API
	// account (default and maximum DefaultHourlyLimit), kept beside the
	// rate a second. When answers say how much is left
	// (X-RateLimit-Remaining), the client slows down before the
	// appliance refuses.
	HourlyLimit int
	// Method is how credentials and parameters travel: "POST" (the
	// default, a form body) or "GET" (the query, as the guide's examples
	// do; the password is then in the URL).
	Method string
	// Suffix is "" or ".ns": older integrations call /api/command.ns.
	Suffix string
	// Trace, when set, receives one line per request: method, endpoint,
	// parameter names (never values), status.
	Trace func(line string)
	// Warn, when set, is told what a person should know of the client's
	// own doing: that it slows down to stay within the hourly budget.
	Warn func(msg string)
}

// Client talks to one appliance. It is safe for concurrent use.
type Client struct {
	base   string // scheme://host[:port]
	creds  Credentials
	o      Options
	hc     *http.Client
	lim    *rate.Limiter
	hour   *budget
	tokens *tokenSource // for an API account
}

// New returns a client for the appliance at addr (https://HOST[:PORT], no
// path, query or user info; http:// only with AllowHTTP). creds may be nil
// for calls that need none (the probe, client scripts).
func New(addr string, creds Credentials, o Options) (*Client, error) {
	base, err := checkAddress(addr, o.AllowHTTP)
	if err != nil {
		return nil, err
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 60 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 500 * time.Millisecond
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 60 * time.Second
	}
	switch strings.ToUpper(o.Method) {
	case "", http.MethodPost:
		o.Method = http.MethodPost
	case http.MethodGet:
		o.Method = http.MethodGet
	default:
		return nil, fmt.Errorf("method %q: use POST or GET", o.Method)
	}
	if o.Suffix != "" && o.Suffix != ".ns" {
		return nil, fmt.Errorf("suffix %q: use none or .ns", o.Suffix)
	}
	lim := o.Limiter
	if lim == nil {
		r := o.Rate
		if r <= 0 {
			r = DefaultRate
		}
		if r > DefaultRate {
			return nil, fmt.Errorf("rate %g: the appliance allows at most %d requests a second", r, DefaultRate)
		}
		lim = rate.NewLimiter(rate.Limit(r), 1)
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
	if o.HourlyLimit <= 0 || o.HourlyLimit > DefaultHourlyLimit {
		o.HourlyLimit = DefaultHourlyLimit
	}
	c := &Client{base: base, creds: creds, o: o, lim: lim, hour: newBudget(o.HourlyLimit)}
	// Redirects are answered, never followed: see redirectError.
	c.hc = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var cc *ClientCredentials
	switch v := creds.(type) {
	case ClientCredentials:
		cc = &v
	case *ClientCredentials:
		cc = v
	}
	if cc != nil {
		if strings.HasPrefix(base, "http://") {
			return nil, errors.New("API accounts work over HTTPS only: give https://HOST (plain http cannot be allowed with an API account)")
		}
		if c.tokens, err = newTokenSource(c, *cc); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Base returns the appliance's checked address, scheme://host[:port].
func (c *Client) Base() string { return c.base }

func checkAddress(addr string, allowHTTP bool) (string, error) {
	a, err := ParseAddress(addr, allowHTTP)
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// Param is one request parameter, before encoding.
type Param struct{ Key, Value string }

// Params are request parameters in the order they are sent.
type Params []Param

// Add appends key=value.
func (p *Params) Add(key, value string) { *p = append(*p, Param{key, value}) }

// Get returns the value of the first key, or "".
func (p Params) Get(key string) string {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

// Encode joins the parameters as key=value&..., every key and value
// encoded with brcs.Encode (a space is %20, '+' and '&' stay data).
func (p Params) Encode() string {
	var b strings.Builder
	for i, kv := range p {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(brcs.Encode(kv.Key))
		b.WriteByte('=')
		b.WriteString(brcs.Encode(kv.Value))
	}
	return b.String()
}

// Call describes one request.
type Call struct {
	// Path is the endpoint, e.g. ReportPath; the client adds its Suffix
	// to /api/ paths.
	Path string
	// Name names the call in errors ("get_api_info", "AccessSession").
	Name string
	// Params are the call's parameters; credentials are added by the
	// client unless NoAuth.
	Params Params
	// RawQuery, when set, is sent as the query as it is, by GET (the
	// client scripting API); Params are then ignored.
	RawQuery string
	// NoAuth sends no credentials.
	NoAuth bool
	// Write marks a call that changes state: it is never retried once
	// sent, since a retry could act twice.
	Write bool
}

// Response is an answer with status 200 whose body is still to be read.
// Close it when done.
type Response struct {
	// Body streams the answer. A read that waits longer than the idle
	// timeout fails with an *Error.
	Body io.ReadCloser
	// Header is the answer's header.
	Header http.Header
	// Endpoint is scheme://host/path, for messages.
	Endpoint string
}

// Close closes the body.
func (r *Response) Close() error { return r.Body.Close() }

// Open sends the call and returns the answer's body as a stream, for
// reports, recordings and backups that can be larger than memory.
//
// Open retries a read (a call without Write) when the connection fails,
// or the appliance answers 5xx or 429 (waiting for Retry-After), up to
// Options.Attempts; once Open has returned, the stream is not retried.
// Any status but 200 becomes an *Error carrying the appliance's <error>
// text when it sent one. A redirect is refused (an *Error for which
// IsAPIDisabled holds when it points at /login), as is an HTML page
// (the API is disabled or the address is not the appliance). An <error>
// sent with status 200 is left to the caller: see ReadError and Decode.
//
// The stream has no overall deadline; a read that gets no byte for
// Options.IdleTimeout fails with an *Error. Cancel ctx to stop it.
// Credentials never appear in an error.
func (c *Client) Open(ctx context.Context, call Call) (*Response, error) {
	resp, err := c.open(ctx, call)
	return resp, c.seal(err)
}

// Redact marks err, when it is an *Error, so that its message never shows
// this client's password, client secret or tokens, should the appliance
// quote one back; it returns err. Open and Fetch do this for their errors;
// readers of streamed answers that make an *Error of an <error> in the
// stream call it too.
func (c *Client) Redact(err error) error { return c.seal(err) }

// seal marks an error with the values it must never show.
func (c *Client) seal(err error) error {
	if e := asError(err); e != nil {
		e.secrets = &secretList{c.secrets()}
	}
	return err
}

// secrets are the password, client secret and tokens of this client.
func (c *Client) secrets() []string {
	var out []string
	switch v := c.creds.(type) {
	case UserPassword:
		out = append(out, v.Password)
	case *UserPassword:
		out = append(out, v.Password)
	}
	if c.tokens != nil {
		out = append(out, c.tokens.secrets()...)
	}
	return out
}

func (c *Client) open(ctx context.Context, call Call) (*Response, error) {
	var last *Error
	wait := c.o.Backoff
	attempts := c.o.Attempts
	if call.Write {
		attempts = 1
	}
	for attempt := 1; attempt <= attempts; attempt++ {
		if attempt > 1 {
			d := max(wait, last.RetryAfter)
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, c.fail(call, 0, ctx.Err())
			case <-t.C:
			}
			wait *= 2
		}
		resp, err := c.once(ctx, call)
		if err == nil {
			return resp, nil
		}
		if !errors.As(err, &last) || !last.Retryable || ctx.Err() != nil {
			return nil, err
		}
		if last.RetryAfter > c.o.MaxRetryAfter {
			return nil, err
		}
	}
	if attempts > 1 {
		last.Attempts = attempts
	}
	return nil, last
}

// Fetch sends the call and reads the whole answer, at most limit bytes
// (an *Error beyond), under Options.Timeout for each attempt. Reads are
// retried as Open does, and also when the body breaks off.
func (c *Client) Fetch(ctx context.Context, call Call, limit int64) ([]byte, http.Header, error) {
	body, h, err := c.fetch(ctx, call, limit)
	return body, h, c.seal(err)
}

func (c *Client) fetch(ctx context.Context, call Call, limit int64) ([]byte, http.Header, error) {
	attempts := c.o.Attempts
	if call.Write {
		attempts = 1
	}
	var last *Error
	wait := c.o.Backoff
	for attempt := 1; ; attempt++ {
		body, h, err := c.fetchOnce(ctx, call, limit)
		if err == nil {
			return body, h, nil
		}
		if !errors.As(err, &last) || !last.Retryable || ctx.Err() != nil || attempt >= attempts || last.RetryAfter > c.o.MaxRetryAfter {
			if last != nil && last.Retryable && attempt > 1 {
				last.Attempts = attempt
			}
			return nil, nil, err
		}
		t := time.NewTimer(max(wait, last.RetryAfter))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, nil, c.fail(call, 0, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

func (c *Client) fetchOnce(ctx context.Context, call Call, limit int64) ([]byte, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	o := *c
	o.o.Attempts = 1
	resp, err := o.open(ctx, call)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, nil, e
		}
		return nil, nil, &Error{Endpoint: resp.Endpoint, Call: call.Name, Status: http.StatusOK, Err: fmt.Errorf("reading the answer: %w", explain(err)), Retryable: !call.Write}
	}
	if int64(len(body)) > limit {
		return nil, nil, &Error{Endpoint: resp.Endpoint, Call: call.Name, Status: http.StatusOK, Kind: TooLarge, Err: fmt.Errorf("the answer is larger than %d bytes", limit)}
	}
	return body, resp.Header, nil
}

func (c *Client) endpoint(call Call) string {
	p := call.Path
	if c.o.Suffix != "" && strings.HasPrefix(p, "/api/") && call.RawQuery == "" {
		p += c.o.Suffix
	}
	return c.base + p
}

func (c *Client) fail(call Call, status int, err error) *Error {
	return &Error{Endpoint: c.endpoint(call), Call: call.Name, Status: status, Err: explain(err)}
}

// once sends the call. An API account's call refused for its token
// (access_denied: expired, revoked, evicted) is sent once more with a new
// token: the appliance refused it before acting, so this is safe for calls
// that change state too.
func (c *Client) once(ctx context.Context, call Call) (*Response, error) {
	resp, used, err := c.send(ctx, call, "")
	if err != nil && used != "" && isAccessDenied(err) {
		c.trace1("the appliance refused the token (access_denied): minting a new one and sending the call once more")
		resp, _, err = c.send(ctx, call, used)
	}
	return resp, err
}

func (c *Client) send(ctx context.Context, call Call, refused string) (_ *Response, used string, _ error) {
	endpoint := c.endpoint(call)
	params := append(Params(nil), call.Params...)
	header := http.Header{}
	if !call.NoAuth && call.RawQuery == "" && c.tokens != nil {
		tok, err := c.tokens.token(ctx, refused)
		if err != nil {
			return nil, "", err
		}
		header.Set("Authorization", "Bearer "+tok)
		used = tok
	} else if !call.NoAuth && call.RawQuery == "" {
		if c.creds == nil {
			return nil, used, &Error{Endpoint: endpoint, Call: call.Name, Kind: Auth, Err: errors.New("no credentials given")}
		}
		if err := c.creds.Authorize(ctx, &params, header); err != nil {
			return nil, used, &Error{Endpoint: endpoint, Call: call.Name, Kind: Auth, Err: err}
		}
	}
	method := c.o.Method
	var body io.Reader
	link := endpoint
	switch {
	case call.RawQuery != "":
		method, link = http.MethodGet, endpoint+"?"+call.RawQuery
	case len(params) == 0:
		method = http.MethodGet
	case method == http.MethodGet:
		link = endpoint + "?" + params.Encode()
	default:
		body = strings.NewReader(params.Encode())
	}
	if err := c.wait(ctx); err != nil {
		return nil, used, &Error{Endpoint: endpoint, Call: call.Name, Err: err}
	}
	// The idle timer cancels the request when a read waits too long.
	rctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(rctx, method, link, body)
	if err != nil {
		cancel()
		return nil, used, &Error{Endpoint: endpoint, Call: call.Name, Err: errors.New("cannot build the request")}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Close = true
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.hc.Do(req)
	if err != nil {
		cancel()
		// *url.Error quotes the whole link: keep only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		c.trace(method, endpoint, params, "no answer")
		kind := Transport
		if isCertificateError(err) {
			kind = Certificate
		}
		return nil, used, &Error{Endpoint: endpoint, Call: call.Name, Kind: kind, Err: explain(err),
			Retryable: !call.Write && kind == Transport && !errors.Is(err, context.Canceled)}
	}
	c.trace(method, endpoint, params, resp.Status)
	if msg := c.hour.observe(resp.Header); msg != "" && c.o.Warn != nil {
		c.o.Warn(msg)
	}
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(strings.ToLower(resp.Header.Get("Content-Type")), "application/json") {
		// An OAuth refusal can come with 200 too: read the body.
		defer cancel()
		defer resp.Body.Close()
		if e := statusError(resp, endpoint, call); e.Code != "" {
			return nil, used, e
		}
		return nil, used, &Error{Endpoint: endpoint, Call: call.Name, Status: resp.StatusCode, Kind: Malformed, Err: errors.New("the appliance answered JSON, not XML")}
	}
	if resp.StatusCode != http.StatusOK {
		defer cancel()
		defer resp.Body.Close()
		return nil, used, statusError(resp, endpoint, call)
	}
	br := bufio.NewReaderSize(&idleReader{r: resp.Body, idle: c.o.IdleTimeout, cancel: cancel, endpoint: endpoint, call: call.Name}, 4096)
	rb := &readCloser{Reader: br, close: func() error { cancel(); return resp.Body.Close() }}
	if looksHTML(resp.Header, br) {
		rb.Close()
		return nil, used, &Error{Endpoint: endpoint, Call: call.Name, Status: resp.StatusCode, Kind: APIDisabled,
			Err: errors.New("the appliance answered with an HTML page: check the address is the appliance's public site and that the XML API is enabled (/login > Management > API Configuration)")}
	}
	return &Response{Body: rb, Header: resp.Header, Endpoint: endpoint}, used, nil
}

// trace writes a line naming the request; values are never written.
func (c *Client) trace(method, endpoint string, p Params, status string) {
	if c.o.Trace == nil {
		return
	}
	keys := make([]string, 0, len(p))
	for _, kv := range p {
		keys = append(keys, kv.Key)
	}
	c.trace1(fmt.Sprintf("%s %s [%s] -> %s", method, endpoint, strings.Join(keys, " "), status))
}

// trace1 writes a trace line, with any password, secret or token redacted
// (a status line is the appliance's to choose).
func (c *Client) trace1(line string) {
	if c.o.Trace != nil {
		c.o.Trace(redact(line, c.secrets()))
	}
}

// wait waits for both budgets: the rate a second and the hourly one.
func (c *Client) wait(ctx context.Context) error {
	if err := c.lim.Wait(ctx); err != nil {
		return err
	}
	return c.hour.wait(ctx)
}

// statusError turns a non-200 answer into an *Error.
func statusError(resp *http.Response, endpoint string, call Call) *Error {
	e := &Error{Endpoint: endpoint, Call: call.Name, Status: resp.StatusCode, Kind: HTTPStatus}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return redirectError(e, endpoint, resp.Header.Get("Location"))
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		e.Retryable = !call.Write
	case resp.StatusCode >= 500:
		e.Retryable = !call.Write
	case resp.StatusCode == http.StatusUnauthorized:
		e.Kind = Auth
	}
	if ae := readError(body); ae != nil {
		e.Message, e.Code, e.Namespace = ae.Message, ae.Code, ae.Namespace
		e.Err = fmt.Errorf("the appliance answered %s: %s", resp.Status, ae.Message)
	} else if code, msg := jsonError(body); code != "" {
		// An OAuth refusal: {"error": "access_denied", "message": "..."}.
		e.Code, e.Message = code, msg
		if code == "access_denied" && resp.StatusCode != http.StatusTooManyRequests {
			e.Kind = Auth
		}
		e.Err = fmt.Errorf("the appliance answered %s: %s: %s", resp.Status, code, msg)
	} else {
		e.Err = fmt.Errorf("the appliance answered %s", resp.Status)
	}
	return e
}

// jsonError reads an OAuth refusal's error code and message.
func jsonError(body []byte) (code, msg string) {
	var v struct{ Error, Message string }
	if json.Unmarshal(bytes.TrimSpace(body), &v) != nil {
		return "", ""
	}
	return strings.TrimSpace(v.Error), strings.TrimSpace(v.Message)
}

func redirectError(e *Error, endpoint, location string) *Error {
	from, _ := url.Parse(endpoint)
	to, err := from.Parse(location)
	switch {
	case err != nil || location == "":
		e.Err = errors.New("the appliance redirected without a usable Location; refused")
	case to.Host != from.Host:
		e.Err = fmt.Errorf("the appliance redirected to another host (%s); refused", to.Host)
	case to.Scheme != from.Scheme:
		e.Err = fmt.Errorf("the appliance redirected from %s to %s; refused", from.Scheme, to.Scheme)
	case strings.HasPrefix(to.Path, "/login"):
		e.Kind = APIDisabled
		e.Err = fmt.Errorf("the appliance redirected to %s: is the XML API enabled (/login > Management > API Configuration)?", to.Path)
	default:
		e.Err = fmt.Errorf("the appliance redirected to %s; refused", to.Path)
	}
	return e
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func looksHTML(h http.Header, br *bufio.Reader) bool {
	ct := strings.ToLower(h.Get("Content-Type"))
	if strings.HasPrefix(ct, "text/html") {
		return true
	}
	head, _ := br.Peek(512)
	s := strings.ToLower(strings.TrimSpace(string(head)))
	return strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html")
}

type readCloser struct {
	io.Reader
	once  sync.Once
	close func() error
	err   error
}

func (r *readCloser) Close() error {
	r.once.Do(func() { r.err = r.close() })
	return r.err
}

// idleReader fails a read that waits longer than idle, by cancelling the
// request's context.
type idleReader struct {
	r        io.Reader
	idle     time.Duration
	cancel   context.CancelFunc
	endpoint string
	call     string

	mu    sync.Mutex
	timer *time.Timer
	fired bool
}

func (r *idleReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	if r.timer == nil {
		r.timer = time.AfterFunc(r.idle, func() {
			r.mu.Lock()
			r.fired = true
			r.mu.Unlock()
			r.cancel()
		})
	} else {
		r.timer.Reset(r.idle)
	}
	r.mu.Unlock()
	n, err := r.r.Read(p)
	r.mu.Lock()
	r.timer.Stop()
	fired := r.fired
	r.mu.Unlock()
	if err != nil && err != io.EOF {
		if fired {
			return n, &Error{Endpoint: r.endpoint, Call: r.call, Status: http.StatusOK, Kind: Transport,
				Err: fmt.Errorf("no data for %s: the transfer stalled (idle timeout)", r.idle)}
		}
		return n, &Error{Endpoint: r.endpoint, Call: r.call, Status: http.StatusOK, Kind: Transport, Err: fmt.Errorf("reading the answer: %w", explain(err)), Retryable: true}
	}
	return n, err
}
