package appliance_test

import (
	"bufio"
	"context"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// standIn starts a stand-in and a client for user and password with o.
func standIn(t *testing.T, user, password string, o appliance.Options) (*appliancetest.Server, *appliance.Client) {
	t.Helper()
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	o.CACertsPEM = s.CACertPEM()
	if o.Backoff == 0 {
		o.Backoff = time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Limiter == nil && o.Rate == 0 {
		// The stand-in has no budget to protect, and the 20 requests a
		// second are not what these tests check: unpaced, they do not
		// wait 50 ms before each request.
		o.Limiter = rate.NewLimiter(rate.Inf, 1)
	}
	c, err := appliance.New(s.URL, appliance.UserPassword{Username: user, Password: password}, o)
	require.NoError(t, err)
	return s, c
}

// guideCalls makes, for each example of the guide, the call it shows.
var guideCalls = map[string]func(context.Context, *appliance.Client) error{
	"set-external-key": func(ctx context.Context, c *appliance.Client) error {
		_, err := c.SetSessionAttributes(ctx, appliancetest.SessionA, appliance.Set("external_key", "ABC123"))
		return err
	},
	"set-custom-value": func(ctx context.Context, c *appliance.Client) error {
		_, err := c.SetSessionAttributes(ctx, appliancetest.SessionA, appliance.Set("custom_field1", "Custom Value"))
		return err
	},
	"get-attributes": func(ctx context.Context, c *appliance.Client) error {
		_, err := c.SessionAttributes(ctx, appliancetest.SessionA)
		return err
	},
	"import-local": shortcut(appliance.Shortcut{Kind: appliance.LocalJump, Hostname: "ABCDEF02", Group: "remote_access"}),
	"import-local-full": shortcut(appliance.Shortcut{Kind: appliance.LocalJump, Hostname: "ABCDEF02", Group: "remote_access",
		Tag: "Frequent Access", Comments: "Web server", JumpPolicy: "Notify", SessionPolicy: "Servers"}),
	"import-remote": shortcut(appliance.Shortcut{Kind: appliance.RemoteJump, Hostname: "ABCDEF02", Jumpoint: "London", Group: "remote_access"}),
	"import-rdp":    shortcut(appliance.Shortcut{Kind: appliance.RDP, Hostname: "ABCDEF02", Jumpoint: "London", Group: "remote_access"}),
	"import-rdp-full": shortcut(appliance.Shortcut{Kind: appliance.RDP, Hostname: "ABCDEF02", Jumpoint: "London", Group: "remote_access",
		Username: "admin", Domain: "example", DisplaySize: "1280x720", Quality: "perf_and_qual", Console: "1", IgnoreUntrusted: "1"}),
	"import-shell": shortcut(appliance.Shortcut{Kind: appliance.ShellJump, Hostname: "ABCDEF02", Jumpoint: "London", Protocol: "ssh", Group: "remote_access"}),
	"import-shell-full": shortcut(appliance.Shortcut{Kind: appliance.ShellJump, Hostname: "ABCDEF02", Jumpoint: "London", Protocol: "ssh", Group: "remote_access",
		Username: "admin", Port: "25", Terminal: "vt100", KeepAlive: "120"}),
	"terminate": func(ctx context.Context, c *appliance.Client) error {
		_, err := c.TerminateSession(ctx, appliancetest.SessionB)
		return err
	},
	"check-health": func(ctx context.Context, c *appliance.Client) error {
		_, err := c.CheckHealth(ctx)
		return err
	},
	"get-api-info": func(ctx context.Context, c *appliance.Client) error {
		_, err := c.APIInfo(ctx)
		return err
	},
	"backup": func(ctx context.Context, c *appliance.Client) error {
		_, err := c.Backup(ctx, discard{})
		return err
	},
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func shortcut(s appliance.Shortcut) func(context.Context, *appliance.Client) error {
	return func(ctx context.Context, c *appliance.Client) error {
		_, err := c.ImportJumpShortcut(ctx, s)
		return err
	}
}

// normalize sorts a query's pairs, spells the guide's Isid as lsid and
// redacts the password as the stand-in's log does.
func normalize(q string) []string {
	var out []string
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "Isid":
			k = "lsid"
		case "password":
			v = appliancetest.Redacted
		}
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// TestGuideRequests sends every example call of the guide and checks that
// the request carries exactly the example's parameters, byte for byte
// once sorted: in a POST form body (the default) and in a GET query.
func TestGuideRequests(t *testing.T) {
	f, err := os.Open("testdata/guide-requests.txt")
	require.NoError(t, err)
	defer f.Close()
	seen := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, link, ok := strings.Cut(line, "\t")
		require.True(t, ok, line)
		call := guideCalls[name]
		require.NotNil(t, call, "no call for the guide's example %s", name)
		u, err := url.Parse(link)
		require.NoError(t, err)
		user := u.Query().Get("username")
		for _, method := range []string{"POST", "GET"} {
			t.Run(name+"/"+method, func(t *testing.T) {
				s, c := standIn(t, user, u.Query().Get("password"), appliance.Options{Method: method})
				s.Update(func(d *appliancetest.Data) {
					d.Users[user] = &appliancetest.User{ID: 9, Password: u.Query().Get("password"), Admin: true, CommandAPI: true}
				})
				require.NoError(t, call(context.Background(), c))
				reqs := s.Requests()
				require.Len(t, reqs, 1)
				r := reqs[0]
				assert.Equal(t, u.Path, r.Path)
				assert.Equal(t, method, r.Method)
				sent := r.Body
				if method == "GET" {
					sent = r.RawQuery
					assert.Empty(t, r.Body)
					assert.True(t, r.PasswordInURL, "GET puts the password in the URL, and the log notices")
				} else {
					assert.Empty(t, r.RawQuery, "nothing in the URL")
					assert.False(t, r.PasswordInURL)
				}
				assert.Equal(t, normalize(u.RawQuery), normalize(sent))
			})
		}
		seen++
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, len(guideCalls), seen, "every call of the table has its example")
}
