package appliance

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// TokenPath is the OAuth token endpoint of PA 16.1 / RS 16.2 and later.
const TokenPath = "/oauth2/token"

// DefaultTokenCache is the folder where brcsapi shares API account tokens
// between processes: brcsapi in the user's cache folder.
func DefaultTokenCache() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for the token: %w", err)
	}
	return filepath.Join(dir, "brcsapi"), nil
}

// renewMargin is how long before its expiry a token is renewed: five
// minutes, as public clients do, or half the lifetime of a short one.
func renewMargin(lifetime time.Duration) time.Duration {
	return min(5*time.Minute, lifetime/2)
}

// cachedToken is a token as the cache file keeps it. It is a credential.
type cachedToken struct {
	Appliance string `json:"appliance"`
	ClientID  string `json:"client_id"`
	// SecretCheck ties the token to the secret that minted it, so that a
	// process with another secret never borrows it.
	SecretCheck     string    `json:"secret_check"`
	AccessToken     string    `json:"access_token"`
	Minted          time.Time `json:"minted"`
	Expiry          time.Time `json:"expiry"`
	LifetimeSeconds float64   `json:"lifetime_seconds"`
}

func (t *cachedToken) renewAt() time.Time {
	return t.Expiry.Add(-renewMargin(time.Duration(t.LifetimeSeconds * float64(time.Second))))
}

// tokenSource mints and shares the token of one API account on one
// appliance. Minting goes through golang.org/x/oauth2/clientcredentials.
type tokenSource struct {
	base, id, secret, dir string
	now                   func() time.Time
	client                *Client

	mu  sync.Mutex // held while a token is found or minted
	cur *cachedToken

	umu  sync.Mutex
	used []string // every token this process sent, for redaction
}

func newTokenSource(c *Client, cc ClientCredentials) (*tokenSource, error) {
	if cc.ClientID == "" {
		return nil, errors.New("no client id given for the API account")
	}
	if cc.Secret == "" {
		return nil, errors.New("no client secret given for the API account")
	}
	now := cc.Now
	if now == nil {
		now = time.Now
	}
	return &tokenSource{base: c.base, id: cc.ClientID, secret: cc.Secret, dir: cc.TokenCache, now: now, client: c}, nil
}

func (s *tokenSource) secretCheck() string {
	m := hmac.New(sha256.New, []byte(s.secret))
	m.Write([]byte("brcsapi token cache\x00" + s.base + "\x00" + s.id))
	return hex.EncodeToString(m.Sum(nil))
}

// path is the cache file of this appliance and client id.
func (s *tokenSource) path() string {
	sum := sha256.Sum256([]byte(s.base + "\x00" + s.id))
	return filepath.Join(s.dir, "token-"+hex.EncodeToString(sum[:16])+".json")
}

// usable reports whether t may be sent now: this account's, minted with
// this secret, not the token just refused, and not due for renewal.
func (s *tokenSource) usable(t *cachedToken, refused string) bool {
	return t != nil && t.AccessToken != "" && t.AccessToken != refused && t.Appliance == s.base && t.ClientID == s.id &&
		hmac.Equal([]byte(t.SecretCheck), []byte(s.secretCheck())) && s.now().Before(t.renewAt())
}

// token returns a token to send: the one in memory, else the cached one,
// else a new one minted under the cache's lock, so that processes started
// together mint once. refused is a token the appliance just refused.
func (s *tokenSource) token(ctx context.Context, refused string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usable(s.cur, refused) {
		return s.cur.AccessToken, nil
	}
	if s.dir == "" {
		return s.mint(ctx)
	}
	path := s.path()
	if err := s.ownDir(); err != nil {
		return "", err
	}
	if t := s.read(path); s.usable(t, refused) {
		return s.use(t, "from the token cache"), nil
	}
	// Wait for another process's mint, but not for ever: a lock held by
	// something else (another user's flock on a planted file) costs this
	// run its sharing, never the run itself.
	lctx, cancel := context.WithTimeout(ctx, lockWait)
	lock, err := fsutil.LockContext(lctx, path+".lock", 20*time.Millisecond)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return "", &Error{Endpoint: s.base + TokenPath, Call: "token cache", Err: context.Cause(ctx)}
		}
		s.client.trace1(fmt.Sprintf("token cache: cannot lock %s: %v (the token stays in memory)", path+".lock", err))
		return s.mint(ctx)
	}
	defer lock.Unlock()
	// Another process may have minted while this one waited, or been
	// refused with this same secret: then this one is refused too,
	// without asking again, so that many processes with a wrong secret
	// make one request, not a storm.
	if t := s.read(path); s.usable(t, refused) {
		return s.use(t, "from the token cache"), nil
	}
	if e := s.readRefusal(path); e != nil {
		return "", e
	}
	tok, err := s.mint(ctx)
	if IsClientRefused(err) {
		s.writeRefusal(path, asError(err))
	}
	if err != nil {
		return "", err
	}
	os.Remove(path + refusalSuffix)
	if err := s.write(path); err != nil {
		s.client.trace1(fmt.Sprintf("token cache: cannot write %s: %s (the token stays in memory)", path, fsutil.Reason(err)))
	}
	return tok, nil
}

// lockWait bounds the wait for the token cache's lock: minting takes a
// second or two, so a lock held longer is not another process minting.
const lockWait = 10 * time.Second

// ownDir makes the token cache folder, or checks the one there: a folder
// (not a link), this user's, that nobody else may write or read (a wider
// one of this user's is narrowed to 0700). Tokens are credentials: they
// are never read from, nor written into, a folder someone else controls.
func (s *tokenSource) ownDir() error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return s.cacheError("cannot create the token cache folder %s: %v", s.dir, fsutil.Reason(err))
	}
	fi, err := os.Lstat(s.dir)
	switch {
	case err != nil:
		return s.cacheError("cannot use the token cache folder %s: %v", s.dir, fsutil.Reason(err))
	case !fi.IsDir():
		return s.cacheError("the token cache folder %s is not a folder (a link, or a file); refusing to use it", s.dir)
	case !ownFile(fi):
		return s.cacheError("the token cache folder %s belongs to another user; refusing to keep a credential there", s.dir)
	case runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0:
		if err := os.Chmod(s.dir, 0o700); err != nil {
			return s.cacheError("cannot make the token cache folder %s private: %v", s.dir, fsutil.Reason(err))
		}
	}
	return nil
}

func (s *tokenSource) cacheError(format string, args ...any) error {
	return &Error{Endpoint: s.base + TokenPath, Call: "token cache", Err: fmt.Errorf(format+" (choose another folder with --token-cache, or --token-cache off)", args...)}
}

func (s *tokenSource) use(t *cachedToken, from string) string {
	s.cur = t
	s.remember(t.AccessToken)
	s.client.trace1(fmt.Sprintf("token %s, valid until %s", from, t.Expiry.UTC().Format(time.RFC3339)))
	return t.AccessToken
}

func (s *tokenSource) remember(tok string) {
	s.umu.Lock()
	defer s.umu.Unlock()
	for _, u := range s.used {
		if u == tok {
			return
		}
	}
	s.used = append(s.used, tok)
}

// secrets are the values that must never be shown: the secret and every
// token this process sent.
func (s *tokenSource) secrets() []string {
	s.umu.Lock()
	defer s.umu.Unlock()
	// The Basic header too, as an appliance may echo it: encoded as the
	// request sends it (RFC 6749 2.3.1) and raw.
	basic := []string{
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(s.id) + ":" + url.QueryEscape(s.secret))),
		base64.StdEncoding.EncodeToString([]byte(s.id + ":" + s.secret)),
	}
	return append(append([]string{s.secret}, basic...), s.used...)
}

// read returns the cached token, or nil when there is none or the file
// cannot be trusted (readable by others, or not a token).
func (s *tokenSource) read(path string) *cachedToken {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || (runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0) {
		return nil
	}
	raw, err := fsutil.ReadFileLimit(path, 1<<16)
	if err != nil {
		return nil
	}
	var t cachedToken
	if json.Unmarshal(raw, &t) != nil {
		return nil
	}
	return &t
}

// write replaces the cache file atomically, 0600.
func (s *tokenSource) write(path string) error {
	raw, err := json.MarshalIndent(s.cur, "", "  ")
	if err != nil {
		return err
	}
	f, err := fsutil.CreateAtomic(path, 0o600)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(append(raw, '\n')); err != nil {
		return err
	}
	return f.Commit()
}

// refusalSuffix names the file that remembers, for a short while, that the
// appliance refused the client id and secret. It holds no secret.
const refusalSuffix = ".refused"

// refusalMemory is how long a refusal is remembered: long enough for
// processes started together, short enough for a fixed account.
const refusalMemory = 30 * time.Second

type refusal struct {
	SecretCheck string    `json:"secret_check"`
	At          time.Time `json:"at"`
	Status      int       `json:"status"`
	Code        string    `json:"code"`
	Message     string    `json:"message"`
	Reason      string    `json:"reason"`
}

func (s *tokenSource) writeRefusal(path string, e *Error) {
	raw, _ := json.Marshal(refusal{SecretCheck: s.secretCheck(), At: s.now().UTC(), Status: e.Status, Code: e.Code, Message: e.Message, Reason: e.Err.Error()})
	f, err := fsutil.CreateAtomic(path+refusalSuffix, 0o600)
	if err != nil {
		return
	}
	defer f.Abort()
	if _, err := f.Write(raw); err == nil {
		f.Commit()
	}
}

// readRefusal returns the refusal another process met with this secret
// moments ago, or nil.
func (s *tokenSource) readRefusal(path string) *Error {
	raw, err := fsutil.ReadFileLimit(path+refusalSuffix, 1<<16)
	if err != nil {
		return nil
	}
	var r refusal
	if json.Unmarshal(raw, &r) != nil || !hmac.Equal([]byte(r.SecretCheck), []byte(s.secretCheck())) {
		return nil
	}
	if age := s.now().Sub(r.At); age < 0 || age > refusalMemory {
		return nil
	}
	s.client.trace1("token request not sent: the appliance refused this client id and secret " + s.now().Sub(r.At).Round(time.Second).String() + " ago")
	return &Error{Endpoint: s.base + TokenPath, Call: "token request", Kind: Auth, Status: r.Status, Code: r.Code, Message: r.Message, Err: errors.New(r.Reason)}
}

// refusedClient are the token errors that no retry can mend: the client id
// or secret is wrong, or the account may not mint.
var refusedClient = map[string]bool{"invalid_client": true, "invalid_credentials": true, "unauthorized_client": true, "invalid_grant": true}

// mint asks /oauth2/token for a new token: POST, the client id and secret
// by HTTP Basic only (never in the body or the URL), grant_type=
// client_credentials.
func (s *tokenSource) mint(ctx context.Context) (string, error) {
	c := s.client
	endpoint := s.base + TokenPath
	call := Call{Path: TokenPath, Name: "token request"}
	if err := c.wait(ctx); err != nil {
		return "", &Error{Endpoint: endpoint, Call: call.Name, Err: err}
	}
	cfg := clientcredentials.Config{ClientID: s.id, ClientSecret: s.secret, TokenURL: endpoint,
		// In the header only: the library's default would try the body
		// too after a refusal, sending the secret twice.
		AuthStyle: oauth2.AuthStyleInHeader}
	tctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	tctx = context.WithValue(tctx, oauth2.HTTPClient, c.hc)
	start := s.now()
	tok, err := cfg.Token(tctx)
	if err != nil && s.encodingMatters() && IsClientRefused(s.tokenError(endpoint, call, err)) {
		// RFC 6749 form-encodes the id and secret inside Basic, as the
		// library does; a server that reads them raw refuses a secret
		// holding + / = so. Asked once more with them raw.
		raw := *c.hc
		raw.Transport = rawBasic{base: c.hc.Transport, id: s.id, secret: s.secret}
		tok, err = cfg.Token(context.WithValue(tctx, oauth2.HTTPClient, &raw))
	}
	if err != nil {
		e := s.tokenError(endpoint, call, err)
		c.trace(http.MethodPost, endpoint, Params{{"grant_type", ""}}, statusWords(e.Status, "no answer"))
		return "", e
	}
	c.trace(http.MethodPost, endpoint, Params{{"grant_type", ""}}, "200 OK")
	if tok.AccessToken == "" || !strings.EqualFold(tok.Type(), "Bearer") {
		return "", &Error{Endpoint: endpoint, Call: call.Name, Status: http.StatusOK, Kind: Malformed, Err: errors.New("the appliance answered no bearer token")}
	}
	if why := checkToken(tok.AccessToken); why != "" {
		return "", &Error{Endpoint: endpoint, Call: call.Name, Status: http.StatusOK, Kind: Malformed, Err: errors.New("the appliance's token is " + why + "; it was not kept")}
	}
	// clientcredentials dates the token by the real clock; the lifetime
	// the appliance gave is dated here by ours.
	life := time.Duration(tok.ExpiresIn) * time.Second
	if n, ok := tok.Extra("expires_in").(float64); ok && n > 0 {
		life = time.Duration(n * float64(time.Second))
	} else if life <= 0 && !tok.Expiry.IsZero() {
		life = time.Until(tok.Expiry)
	}
	if life <= 0 {
		life = time.Hour // the documented lifetime
	}
	t := &cachedToken{Appliance: s.base, ClientID: s.id, SecretCheck: s.secretCheck(), AccessToken: tok.AccessToken,
		Minted: start.UTC(), Expiry: start.Add(life).UTC(), LifetimeSeconds: life.Seconds()}
	s.use(t, "minted")
	return t.AccessToken, nil
}

// encodingMatters reports whether the form encoding of RFC 6749 changes
// the id or the secret (a secret holding + / =), so that a server reading
// Basic raw would see other credentials.
func (s *tokenSource) encodingMatters() bool {
	return url.QueryEscape(s.id) != s.id || url.QueryEscape(s.secret) != s.secret
}

// rawBasic sends the token request's Basic credentials as they are,
// not form-encoded.
type rawBasic struct {
	base       http.RoundTripper
	id, secret string
}

func (r rawBasic) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.SetBasicAuth(r.id, r.secret)
	base := r.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req)
}

// maxToken bounds a bearer token: the cache reads at most 64 KiB, and a
// token goes into every request's header.
const maxToken = 8 << 10

// checkToken says what is wrong with a bearer token (RFC 6750's b64token:
// letters, digits, -._~+/ and trailing =), or "".
func checkToken(t string) string {
	if len(t) > maxToken {
		return fmt.Sprintf("%d bytes long, over the %d a bearer token may take here", len(t), maxToken)
	}
	body := strings.TrimRight(t, "=")
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return fmt.Sprintf("not a bearer token (character %d is %q)", i+1, c)
		}
	}
	return ""
}

func statusWords(status int, none string) string {
	if status == 0 {
		return none
	}
	return fmt.Sprintf("%d %s", status, http.StatusText(status))
}

// tokenError explains a failed token request.
func (s *tokenSource) tokenError(endpoint string, call Call, err error) *Error {
	e := &Error{Endpoint: endpoint, Call: call.Name, Kind: Auth}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		e.Kind = Transport
		if isCertificateError(err) {
			e.Kind = Certificate
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || e.Kind != Transport {
			e.Err = explain(err)
			return e
		}
		if strings.HasPrefix(err.Error(), "oauth2: ") {
			// An answer of 200 that is no token: a page, not the appliance.
			e.Kind, e.Status = Malformed, http.StatusOK
			e.Err = errors.New("the appliance's answer is not a token: check the address is the appliance's public site (PA 16.1 / RS 16.2 or later)")
			return e
		}
		e.Err, e.Retryable = explain(err), !call.Write
		return e
	}
	if re.Response != nil {
		e.Status = re.Response.StatusCode
	}
	if e.Status >= 300 && e.Status < 400 {
		return redirectError(e, endpoint, re.Response.Header.Get("Location"))
	}
	var body struct{ Error, Message, ErrorDescription string }
	_ = json.Unmarshal(re.Body, &body)
	e.Code = firstOf(re.ErrorCode, body.Error)
	e.Message = firstOf(body.Message, re.ErrorDescription, body.ErrorDescription)
	said := ""
	if e.Code != "" {
		said = " (" + e.Code
		if e.Message != "" {
			said += ": " + e.Message
		}
		said += ")"
	}
	switch {
	case refusedClient[e.Code] || (e.Code == "" && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden)):
		e.Err = fmt.Errorf("the appliance refused the API account: the client id or the client secret is wrong, or the account is disabled%s; check them at /login > Management > API Configuration", said)
	case e.Status == http.StatusNotFound:
		e.Kind = HTTPStatus
		e.Err = errors.New("the appliance has no /oauth2/token: it predates API accounts (PA 16.1 / RS 16.2); use a user account (--username) instead")
	case e.Status == http.StatusTooManyRequests || e.Status >= 500 || e.Code == "server_error":
		e.Kind, e.Retryable = HTTPStatus, !call.Write
		if e.Status == http.StatusTooManyRequests {
			e.RetryAfter = retryAfter(re.Response.Header.Get("Retry-After"), time.Now())
		}
		e.Err = fmt.Errorf("the token request failed: the appliance answered %s%s", statusWords(e.Status, "nothing"), said)
	default:
		e.Err = fmt.Errorf("the appliance refused the token request: %s%s", statusWords(e.Status, "nothing"), said)
	}
	return e
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// IsClientRefused reports whether the appliance refused an API account's
// client id or secret (invalid_client and its kind): trying again cannot
// help.
func IsClientRefused(err error) bool {
	e := asError(err)
	return e != nil && e.Call == "token request" && e.Kind == Auth
}

// isAccessDenied reports whether a call was refused for its token
// (expired, revoked, or evicted by the 30-token cap): the appliance did
// not act on it, so it may be sent again with a new token.
func isAccessDenied(err error) bool {
	e := asError(err)
	return e != nil && e.Code == "access_denied" && e.Status != http.StatusTooManyRequests
}
