package appliance_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

const secret = "s3cr3t-Pw&+%"

// secretStandIn is a stand-in whose admin's password is secret, and a
// client that traces into the returned buffer.
func secretStandIn(t *testing.T, o appliance.Options) (*appliancetest.Server, *appliance.Client, *syncBuffer) {
	t.Helper()
	trace := &syncBuffer{}
	o.Trace = func(line string) { trace.WriteString(line + "\n") }
	s, c := standIn(t, "alice", secret, o)
	s.Update(func(d *appliancetest.Data) {
		d.Users["alice"] = &appliancetest.User{ID: 7, Password: secret, Admin: true, CommandAPI: true}
	})
	return s, c, trace
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) WriteString(x string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(x)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// allCalls makes one call of each kind, returning every error.
func allCalls(ctx context.Context, c *appliance.Client) []error {
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(c.APIInfo(ctx))
	add(c.CheckHealth(ctx))
	add(c.Probe(ctx))
	add(c.SessionAttributes(ctx, appliancetest.SessionA))
	add(c.SetSessionAttributes(ctx, appliancetest.SessionA, appliance.Set("external_key", "K")))
	add(c.ImportJumpShortcut(ctx, appliance.Shortcut{Kind: appliance.LocalJump, Hostname: "h", Group: "remote_access"}))
	add(c.Backup(ctx, discard{}))
	add(c.TerminateSession(ctx, appliancetest.SessionA))
	return errs
}

func TestOneConnectionPerCallAndNoPasswordInURLs(t *testing.T) {
	s, c, trace := secretStandIn(t, appliance.Options{})
	for _, err := range allCalls(context.Background(), c) {
		require.NoError(t, err)
	}
	reqs := s.Requests()
	require.Len(t, reqs, 8)
	for _, r := range reqs {
		assert.True(t, r.NewConnection, r.Path)
		assert.True(t, r.Close, "Connection: close, as the guide asks: %s", r.Path)
		assert.False(t, r.PasswordInURL, r.Path)
		assert.NotContains(t, r.RawQuery, "password")
	}
	assert.False(t, s.PasswordInAnyURL())
	assert.Empty(t, reqs[2].Form, "the probe sends no credentials")
	assert.Contains(t, trace.String(), "POST "+s.URL+"/api/command [username password action]")
	assert.NotContains(t, trace.String(), secret)
}

// No error holds the password, whatever goes wrong.
func TestNoPasswordInErrors(t *testing.T) {
	for _, b := range []appliancetest.Behavior{appliancetest.LoginPage, appliancetest.XMLError, appliancetest.Empty,
		appliancetest.ServerError, appliancetest.Unavailable, appliancetest.NotFound, appliancetest.RedirectOtherHost,
		appliancetest.RedirectHTTP, appliancetest.RedirectLogin, appliancetest.Drop, appliancetest.NotAScript,
		appliancetest.Unauthorized, appliancetest.TooManyRequests, appliancetest.Truncated} {
		for _, method := range []string{"POST", "GET"} {
			s, c, trace := secretStandIn(t, appliance.Options{Method: method, Attempts: 2, MaxRetryAfter: time.Millisecond,
				Limiter: rate.NewLimiter(rate.Inf, 1)})
			s.SetRetryAfter(time.Second)
			s.SetStallAfter(10)
			s.Misbehave(b, 0)
			for i, err := range allCalls(context.Background(), c) {
				if err == nil {
					continue
				}
				for _, shown := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
					assert.NotContains(t, shown, secret, "behaviour %d call %d", b, i)
					assert.NotContains(t, shown, "s3cr3t", "behaviour %d call %d", b, i)
				}
			}
			assert.NotContains(t, trace.String(), "s3cr3t")
		}
	}
	creds := appliance.UserPassword{Username: "alice", Password: secret}
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", creds, creds, creds, creds), "s3cr3t")
}

func TestGetModeNoticedByTheLog(t *testing.T) {
	s, c, _ := secretStandIn(t, appliance.Options{Method: "GET"})
	_, err := c.APIInfo(context.Background())
	require.NoError(t, err)
	assert.True(t, s.PasswordInAnyURL(), "the stand-in's log notices a password in a URL")
	assert.NotContains(t, s.Requests()[0].RawQuery, "s3cr3t", "and redacts it")
}

func TestWritesAreNeverRetried(t *testing.T) {
	ctx := context.Background()
	writes := map[string]func(*appliance.Client) error{
		"set": func(c *appliance.Client) error {
			_, err := c.SetSessionAttributes(ctx, appliancetest.SessionA, appliance.Set("external_key", "K"))
			return err
		},
		"import": func(c *appliance.Client) error {
			_, err := c.ImportJumpShortcut(ctx, appliance.Shortcut{Kind: appliance.LocalJump, Hostname: "h", Group: "remote_access"})
			return err
		},
		"terminate": func(c *appliance.Client) error {
			_, err := c.TerminateSession(ctx, appliancetest.SessionA)
			return err
		},
	}
	for name, write := range writes {
		for _, b := range []appliancetest.Behavior{appliancetest.ServerError, appliancetest.Unavailable, appliancetest.Drop, appliancetest.TooManyRequests, appliancetest.Truncated} {
			s, c := standIn(t, "test", "test", appliance.Options{Attempts: 5})
			s.SetRetryAfter(0)
			s.SetStallAfter(5)
			s.Misbehave(b, 0)
			require.Error(t, write(c), "%s %d", name, b)
			assert.Len(t, s.Requests(), 1, "%s under behaviour %d: tried once", name, b)
		}
	}
}

func TestReadsAreRetried(t *testing.T) {
	for _, b := range []appliancetest.Behavior{appliancetest.ServerError, appliancetest.Unavailable, appliancetest.Drop, appliancetest.TooManyRequests, appliancetest.Truncated} {
		s, c := standIn(t, "test", "test", appliance.Options{Attempts: 3})
		s.SetRetryAfter(0)
		s.SetStallAfter(5)
		s.Misbehave(b, 2)
		info, err := c.APIInfo(context.Background())
		require.NoError(t, err, "behaviour %d", b)
		assert.Equal(t, "1.14.0", info.Version)
		assert.Len(t, s.Requests(), 3)
	}
	s, c := standIn(t, "test", "test", appliance.Options{Attempts: 3})
	s.Misbehave(appliancetest.ServerError, 0)
	_, err := c.CheckHealth(context.Background())
	assert.ErrorContains(t, err, "500 Internal Server Error (after 3 attempts)")
	assert.Len(t, s.Requests(), 3)
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel() // waits the 1 s Retry-After
	s, c := standIn(t, "test", "test", appliance.Options{Backoff: time.Millisecond})
	s.SetRetryAfter(time.Second)
	s.Misbehave(appliancetest.TooManyRequests, 1)
	start := time.Now()
	_, err := c.APIInfo(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "waited for Retry-After, not the 1 ms backoff")
	assert.Len(t, s.Requests(), 2)

	// A Retry-After longer than allowed ends the call at once.
	s, c = standIn(t, "test", "test", appliance.Options{MaxRetryAfter: time.Second})
	s.SetRetryAfter(120 * time.Second)
	s.Misbehave(appliancetest.TooManyRequests, 0)
	_, err = c.APIInfo(context.Background())
	var e *appliance.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 429, e.Status)
	assert.Equal(t, 120*time.Second, e.RetryAfter)
	assert.Len(t, s.Requests(), 1)
}

func TestRedirectsRefused(t *testing.T) {
	for b, want := range map[appliancetest.Behavior]string{
		appliancetest.RedirectLogin:     "redirected to /login: is the XML API enabled",
		appliancetest.RedirectOtherHost: "redirected to another host (other.example); refused",
		appliancetest.RedirectHTTP:      "redirected from https to http; refused",
	} {
		s, c := standIn(t, "test", "test", appliance.Options{})
		s.Misbehave(b, 0)
		_, err := c.APIInfo(context.Background())
		assert.ErrorContains(t, err, want)
		assert.Equal(t, b == appliancetest.RedirectLogin, appliance.IsAPIDisabled(err))
		assert.Len(t, s.Requests(), 1, "never followed")
	}
}

func TestHTMLAnd401(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	s.Misbehave(appliancetest.LoginPage, 0)
	_, err := c.APIInfo(context.Background())
	assert.True(t, appliance.IsAPIDisabled(err), "%v", err)
	assert.ErrorContains(t, err, "HTML page")
	s.Misbehave(appliancetest.Unauthorized, 0)
	_, err = c.APIInfo(context.Background())
	assert.True(t, appliance.IsAuth(err), "%v", err)
}

func TestStreamsEndByIdleTimeout(t *testing.T) {
	t.Parallel() // waits for its idle timeout
	s, c := standIn(t, "test", "test", appliance.Options{IdleTimeout: 200 * time.Millisecond, Attempts: 1})
	s.Update(func(d *appliancetest.Data) { d.BackupSize = 1 << 20 })
	s.SetStallAfter(100 << 10)
	s.Misbehave(appliancetest.Stall, 0)
	var got bytes.Buffer
	start := time.Now()
	_, err := c.Backup(context.Background(), &got)
	require.Error(t, err)
	assert.ErrorContains(t, err, "stalled (idle timeout)")
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Greater(t, got.Len(), 0, "the transfer had begun")

	s.Misbehave(appliancetest.Truncated, 0)
	_, err = c.Backup(context.Background(), discard{})
	assert.True(t, appliance.IsTransport(err), "a truncated backup is a transport error, not a short file: %v", err)
	assert.ErrorContains(t, err, "reading the answer")
}

// Timeout bounds waiting for an answer's headers, also for a stream.
func TestHeadersBoundedByTimeout(t *testing.T) {
	t.Parallel() // waits for its timeout
	s, c := standIn(t, "test", "test", appliance.Options{Timeout: 300 * time.Millisecond, IdleTimeout: 2 * time.Second})
	s.Update(func(d *appliancetest.Data) { d.BackupSize = 2 << 20 })
	s.SetDelay(500 * time.Millisecond)
	s.Misbehave(appliancetest.Slow, 0)
	_, err := c.Backup(context.Background(), discard{})
	assert.ErrorContains(t, err, "timed out", "headers later than Timeout fail")
}

func TestBackupRefusesNonFiles(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	d, err := c.Backup(context.Background(), discard{})
	require.NoError(t, err)
	assert.Equal(t, int64(256<<10), d.Size)
	assert.Len(t, d.SHA256, 64)
	assert.Equal(t, "access.example.com-backup.nsb", d.Name)
	for b, want := range map[appliancetest.Behavior]string{
		appliancetest.XMLError:  "The API is disabled.",
		appliancetest.Empty:     "empty backup",
		appliancetest.LoginPage: "HTML page",
	} {
		s.Misbehave(b, 0)
		var got bytes.Buffer
		_, err := c.Backup(context.Background(), &got)
		assert.ErrorContains(t, err, want)
		assert.Zero(t, got.Len(), "nothing written")
	}
	s.Misbehave(appliancetest.Normal, 0)
	_, c = standIn(t, "test", "wrong", appliance.Options{})
	_, err = c.Backup(context.Background(), discard{})
	assert.True(t, appliance.IsAuth(err))
}

func TestSafeName(t *testing.T) {
	for cd, want := range map[string]string{
		`attachment; filename="site.nsb"`:     "site.nsb",
		`attachment; filename="../../x.nsb"`:  "",
		`attachment; filename="/etc/passwd"`:  "",
		`attachment; filename=".bashrc"`:      "",
		`attachment; filename="a\\b.nsb"`:     "",
		`attachment; filename="c:x.nsb"`:      "",
		"attachment; filename=\"a\x01b.nsb\"": "",
		``:                                    "",
	} {
		assert.Equal(t, want, appliance.SafeName(cd), cd)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	s := appliancetest.NewTLS("support")
	defer s.Close()
	c, err := appliance.New(s.URL, appliance.UserPassword{Username: "test", Password: "test"}, appliance.Options{})
	require.NoError(t, err)
	_, err = c.Probe(context.Background())
	assert.True(t, appliance.IsCertificate(err), "%v", err)
	assert.ErrorContains(t, err, "--ca-cert")
	assert.Empty(t, s.Requests())
}

func TestProbe(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	p, err := c.Probe(context.Background())
	require.NoError(t, err)
	assert.True(t, p.Healthy)
	assert.Equal(t, 200, p.Status)
	assert.Empty(t, p.Message, "the stand-in's page is HTML, for a browser: no text kept")
	s.Update(func(d *appliancetest.Data) { d.Health.Success = false })
	p, err = c.Probe(context.Background())
	require.NoError(t, err)
	assert.False(t, p.Healthy)
	assert.Equal(t, 500, p.Status)
	assert.Len(t, s.Requests(), 2, "a 500 is the probe's answer, not retried")
}

// The guide: the probe answers 200 when healthy and 500 when not, with a
// page for people. Its status decides; a redirect is still refused.
func TestProbeJudgedByStatus(t *testing.T) {
	page := "<!DOCTYPE html>\n<html><head><title>OK</title></head><body>OK</body></html>\n"
	for _, c := range []struct {
		name        string
		serve       func(w http.ResponseWriter)
		status      int
		healthy     bool
		message     string
		err         string
		apiDisabled bool
	}{
		{name: "HTML page, 200", status: 200, healthy: true, serve: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			io.WriteString(w, page)
		}},
		{name: "HTML page without Content-Type, 200", status: 200, healthy: true, serve: func(w http.ResponseWriter) {
			w.Header()["Content-Type"] = nil
			io.WriteString(w, page)
		}},
		{name: "plain text, 200", status: 200, healthy: true, message: "OK", serve: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "OK\n")
		}},
		{name: "HTML page, 500", status: 500, serve: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.WriteHeader(500)
			io.WriteString(w, page)
		}},
		{name: "redirect to /login", err: "redirected to /login: is the XML API enabled", apiDisabled: true, serve: func(w http.ResponseWriter) {
			w.Header().Set("Location", "/login")
			w.WriteHeader(http.StatusFound)
		}},
		{name: "redirect to a portal", err: "redirected to /portal; refused", serve: func(w http.ResponseWriter) {
			w.Header().Set("Location", "/portal")
			w.WriteHeader(http.StatusFound)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != appliance.ProbePath {
					http.NotFound(w, r)
					return
				}
				c.serve(w)
			}))
			defer srv.Close()
			cl, err := appliance.New(srv.URL, nil, appliance.Options{AllowHTTP: true})
			require.NoError(t, err)
			p, err := cl.Probe(context.Background())
			if c.err != "" {
				assert.ErrorContains(t, err, c.err)
				assert.Equal(t, c.apiDisabled, appliance.IsAPIDisabled(err))
				assert.Nil(t, p)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.status, p.Status)
			assert.Equal(t, c.healthy, p.Healthy)
			assert.Equal(t, c.message, p.Message)
		})
	}
}

func TestNewRefuses(t *testing.T) {
	for addr, want := range map[string]string{
		"http://access.example.com":        "plain http is refused",
		"https://u:p@access.example.com":   "credentials do not belong in the address",
		"https://access.example.com/api":   "give only the host and port",
		"https://access.example.com/?a=b":  "give only the host and port",
		"ftp://access.example.com":         "is not https; give https://HOST",
		"https://<your_Bomgar_FQDN>":       "appliance \"https://<your_Bomgar_FQDN>\"",
		"https://a'onmouseover='x":         "appliance \"https://a'onmouseover='x\"",
		"https://access.example.com:99999": "give a number from 1 to 65535",
	} {
		_, err := appliance.New(addr, nil, appliance.Options{})
		assert.ErrorContains(t, err, want, addr)
		if err != nil {
			assert.NotContains(t, err.Error(), ":p@")
		}
	}
	// The one address rule (ParseAddress) holds here too: a bare host
	// name means https.
	c, err := appliance.New("access.example.com:9443", nil, appliance.Options{})
	require.NoError(t, err)
	assert.Equal(t, "https://access.example.com:9443", c.Base())
	_, err = appliance.New("https://a.example", nil, appliance.Options{Rate: 21})
	assert.ErrorContains(t, err, "at most 20")
	_, err = appliance.New("https://a.example", nil, appliance.Options{Method: "PUT"})
	assert.EqualError(t, err, `method "PUT": use POST or GET`)
	_, err = appliance.New("https://a.example", nil, appliance.Options{Suffix: ".php"})
	assert.EqualError(t, err, `suffix ".php": use none or .ns`)
}

func TestNSSuffix(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{Suffix: ".ns"})
	_, err := c.APIInfo(context.Background())
	require.NoError(t, err)
	_, err = c.Backup(context.Background(), discard{})
	require.NoError(t, err)
	_, err = c.Probe(context.Background())
	require.NoError(t, err)
	paths := []string{}
	for _, r := range s.Requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/api/command.ns", "/api/backup.ns", "/check_health"}, paths)
}

func TestIsidRefusedByStandIn(t *testing.T) {
	_, c := standIn(t, "test", "test", appliance.Options{})
	body, _, err := c.Fetch(context.Background(), appliance.Call{Path: appliance.CommandPath, Name: "get_session_attributes",
		Params: appliance.Params{{Key: "action", Value: "get_session_attributes"}, {Key: "Isid", Value: appliancetest.SessionA}}}, 1<<20)
	require.NoError(t, err)
	_, err = appliance.ParseAttributes(body)
	assert.ErrorContains(t, err, "the session ID parameter is lsid")
}

func TestContextCancelStopsRetries(t *testing.T) {
	t.Parallel() // waits for its deadline
	s, c := standIn(t, "test", "test", appliance.Options{Attempts: 5, Backoff: time.Hour})
	s.Misbehave(appliancetest.ServerError, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.APIInfo(ctx)
	assert.True(t, errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "deadline"), "%v", err)
	assert.Len(t, s.Requests(), 1)
}
