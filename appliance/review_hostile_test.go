package appliance_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil"
)

// An appliance that quotes the password back inside a report's <error>
// or a backup's: the errors of Sessions, CopyReport and Backup never show
// it (they were never redacted, unlike the Command API's).
func TestStreamedRefusalsRedactThePassword(t *testing.T) {
	const pw = "Sup3rSecretPw"
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, "<error>password %s is wrong</error>", r.Form.Get("password"))
	}))
	defer srv.Close()
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "test", Password: pw}, appliance.Options{CACertsPEM: certPEM(srv), Attempts: 1})
	require.NoError(t, err)
	ctx := context.Background()
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	var errs []error
	for _, err := range c.Sessions(ctx, reporting.StartedBetween(reporting.AccessSession, from, from.Add(time.Hour)), reporting.Options{}) {
		errs = append(errs, err)
	}
	_, err = c.CopyReport(ctx, reporting.StartedBetween(reporting.AccessSession, from, from.Add(time.Hour)), io.Discard, reporting.Options{})
	errs = append(errs, err)
	_, err = c.Backup(ctx, io.Discard)
	errs = append(errs, err)
	for i, err := range errs {
		require.Error(t, err, i)
		assert.NotContains(t, err.Error(), pw, i)
		var e *appliance.Error
		require.ErrorAs(t, err, &e)
		assert.NotContains(t, e.Text(), pw, i)
		assert.Contains(t, e.Text(), appliance.Redacted, i)
	}
}

// tokenServer answers /oauth2/token with answer, and every call with a
// health check.
func tokenServer(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == appliance.TokenPath {
			answer(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<health_check><success>1</success><appliance>a</appliance><version>25.1.2</version></health_check>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// An appliance that echoes the Authorization header of the token request
// shows the Basic value, which decodes to the secret: it is redacted too.
func TestEchoedBasicHeaderIsRedacted(t *testing.T) {
	const secret = "full-secret-Xq7+/wK2=z"
	srv := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"invalid_client","message":"bad header %s"}`, r.Header.Get("Authorization"))
	})
	c, err := appliance.New(srv.URL, appliance.ClientCredentials{ClientID: "cid1", Secret: secret}, appliance.Options{CACertsPEM: certPEM(srv), Attempts: 1})
	require.NoError(t, err)
	_, err = c.CheckHealth(context.Background())
	require.Error(t, err)
	encoded := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape("cid1") + ":" + url.QueryEscape(secret)))
	assert.NotContains(t, err.Error(), encoded)
	assert.NotContains(t, err.Error(), secret)
	assert.Contains(t, err.Error(), "the client id or the client secret is wrong")
	var e *appliance.Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, e.Text(), "the client id or the client secret is wrong", "said plainly, not as the appliance's words")
}

// A token with control characters, or of a megabyte, is refused when it
// is minted, never kept nor sent.
func TestHostileTokensRefused(t *testing.T) {
	for name, tok := range map[string]string{
		"control characters": "abc\x1b[31m\nInjected: 1",
		"huge":               strings.Repeat("A", 900<<10),
	} {
		t.Run(name, func(t *testing.T) {
			srv := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				b, _ := json.Marshal(tok)
				fmt.Fprintf(w, `{"access_token":%s,"token_type":"Bearer","expires_in":3600}`, b)
			})
			cache := t.TempDir()
			c, err := appliance.New(srv.URL, appliance.ClientCredentials{ClientID: "cid1", Secret: "s3cret", TokenCache: cache}, appliance.Options{CACertsPEM: certPEM(srv), Attempts: 1})
			require.NoError(t, err)
			_, err = c.CheckHealth(context.Background())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "it was not kept")
			entries, _ := os.ReadDir(cache)
			for _, e := range entries {
				assert.False(t, strings.HasSuffix(e.Name(), ".json"), "no token cached: %s", e.Name())
			}
		})
	}
}

// The token cache folder is the user's own and private: a link is
// refused, and so is (as root, where the test can make one) a folder of
// another user; a folder of the user's own that others may read is
// narrowed to 0700.
func TestTokenCacheFolderMustBeOwnAndPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes and owners")
	}
	srv := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok123","token_type":"Bearer","expires_in":3600}`)
	})
	health := func(cache string) error {
		c, err := appliance.New(srv.URL, appliance.ClientCredentials{ClientID: "cid1", Secret: "s3cret", TokenCache: cache}, appliance.Options{CACertsPEM: certPEM(srv), Attempts: 1})
		require.NoError(t, err)
		_, err = c.CheckHealth(context.Background())
		return err
	}
	root := t.TempDir()
	wide := filepath.Join(root, "wide")
	require.NoError(t, os.Mkdir(wide, 0o755))
	require.NoError(t, os.Chmod(wide, 0o777))
	require.NoError(t, health(wide))
	testutil.AssertMode(t, wide, 0o700, "narrowed")

	link := filepath.Join(root, "link")
	require.NoError(t, os.Symlink(wide, link))
	err := health(link)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a folder")

	if os.Getuid() == 0 {
		other := filepath.Join(root, "other")
		require.NoError(t, os.Mkdir(other, 0o777))
		require.NoError(t, os.Chown(other, 4002, 4002))
		err = health(other)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "belongs to another user")
		entries, _ := os.ReadDir(other)
		assert.Empty(t, entries, "nothing written into it")
	}
}

// A secret holding + / = is sent form-encoded inside Basic (RFC 6749
// 2.3.1, as the library does); a server that reads Basic raw refuses it
// so, and the client asks once more with the credentials raw. Both kinds
// of server accept the account; a wrong secret is still one refusal per
// form, never a loop.
func TestSecretWithPlusSlashEqualsAgainstARawBasicServer(t *testing.T) {
	const secret = "full-secret-Xq7+/wK2=z"
	for _, raw := range []bool{false, true} {
		s := appliancetest.NewTLS("support")
		t.Cleanup(s.Close)
		s.Update(func(d *appliancetest.Data) {
			d.RawBasic = raw
			d.APIAccounts[appliancetest.FullClient].Secret = secret
		})
		c, err := appliance.New(s.URL, appliance.ClientCredentials{ClientID: appliancetest.FullClient, Secret: secret}, appliance.Options{CACertsPEM: s.CACertPEM(), Attempts: 1})
		require.NoError(t, err)
		_, err = c.CheckHealth(context.Background())
		require.NoError(t, err, "raw Basic server: %v", raw)
		assert.Equal(t, 1, s.Tokens(appliancetest.FullClient).Minted)

		c, err = appliance.New(s.URL, appliance.ClientCredentials{ClientID: appliancetest.FullClient, Secret: secret + "x"}, appliance.Options{CACertsPEM: s.CACertPEM(), Attempts: 1})
		require.NoError(t, err)
		_, err = c.CheckHealth(context.Background())
		require.Error(t, err)
		assert.True(t, appliance.IsClientRefused(err), "%v", err)
	}
}
