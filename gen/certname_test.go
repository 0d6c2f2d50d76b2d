package gen

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
)

// Whoever stands in the appliance's place chooses its certificate, and Go
// quotes the certificate's names in its errors ("certificate is valid for
// NAME, not HOST"): a new line and ESC in a name reached brcsgen's output
// as they were, a line of their own ("::error::..." in a CI log).
func TestCertificateNamesInErrorsAreEscaped(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "evil\n::error::cn\x1b[2J"},
		DNSNames:     []string{"evil\n::error::pwned\x1b[2J"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, f := fetcherFor(t, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), appliance.Options{Attempts: 1, Timeout: 2 * time.Second})
	_, err = f.Fetch(context.Background(), catalogue(t, ""), Jump{Hostname: "ABCDEF02"}.Command())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
	assert.NotContains(t, err.Error(), "\n", "one line: %q", err.Error())
	assert.NotContains(t, err.Error(), "\x1b")
}
