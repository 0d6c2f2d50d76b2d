package appliancetest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func standinClient(s *Server) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func mint(t *testing.T, s *Server, hc *http.Client, id, secret string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/oauth2/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v
}

func call(t *testing.T, s *Server, hc *http.Client, tok string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/command", strings.NewReader("action=get_api_info"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestTokenCapLifetimeRevocationAndHourlyLimit(t *testing.T) {
	s := NewTLS("support")
	defer s.Close()
	var clock atomic.Int64 // seconds; read by the handlers, moved by the test
	clock.Store(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).Unix())
	s.Update(func(d *Data) {
		d.Clock = func() time.Time { return time.Unix(clock.Load(), 0) }
		d.TokenLifetime = 10 * time.Minute
		d.HourlyLimit = 3
	})
	hc := standinClient(s)

	status, v := mint(t, s, hc, FullClient, "wrong")
	if status != http.StatusUnauthorized || v["error"] != "invalid_client" {
		t.Fatalf("wrong secret: %d %v", status, v)
	}
	status, v = mint(t, s, hc, FullClient, FullClientSecret)
	if status != 200 || v["token_type"] != "Bearer" || v["expires_in"] != float64(600) {
		t.Fatalf("mint: %d %v", status, v)
	}
	first := v["access_token"].(string)
	if r := call(t, s, hc, first); r.StatusCode != 200 || r.Header.Get("X-RateLimit-Remaining") != "2" || r.Header.Get("X-RateLimit-Limit") != "3" {
		t.Fatalf("call: %d %v", r.StatusCode, r.Header)
	}
	for range 30 {
		mint(t, s, hc, FullClient, FullClientSecret)
	}
	if st := s.Tokens(FullClient); st.Valid != 30 || st.Evicted != 1 || st.Minted != 31 {
		t.Fatalf("the 31st mint evicts the oldest: %+v", st)
	}
	if r := call(t, s, hc, first); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("evicted token: %d", r.StatusCode)
	}
	_, v = mint(t, s, hc, FullClient, FullClientSecret)
	tok := v["access_token"].(string)
	call(t, s, hc, tok)
	call(t, s, hc, tok)
	if r := call(t, s, hc, tok); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("over the hourly limit: %d", r.StatusCode)
	}
	s.Update(func(d *Data) { d.HourlyLimit = 0 })
	clock.Add(600)
	if r := call(t, s, hc, tok); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired token: %d", r.StatusCode)
	}
	_, v = mint(t, s, hc, FullClient, FullClientSecret)
	tok = v["access_token"].(string)
	s.RevokeTokens(FullClient)
	if r := call(t, s, hc, tok); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", r.StatusCode)
	}
	if s.DeniedCalls() != 3 || s.RefusedMints() != 1 {
		t.Fatalf("denied %d, refused mints %d", s.DeniedCalls(), s.RefusedMints())
	}
}
