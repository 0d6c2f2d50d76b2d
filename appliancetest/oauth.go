package appliancetest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// token is a minted access token.
type token struct {
	client string
	expiry time.Time
}

// TokenRequest is one request to /oauth2/token exactly as it came (the
// body's bytes too), for
// tests that check the exchange byte for byte. It holds the client's
// secret (in the Basic header): it is the test's own.
type TokenRequest struct {
	Method, RawQuery, ContentType, Authorization, Body string
}

// OAuth errors the stand-in answers, as the vendor documents them.
const (
	MsgAccessDenied    = "The resource owner or authorization server denied the request."
	MsgInvalidClient   = "Client authentication failed."
	MsgUserAccountsOff = "API access by user account is disabled on this site; use an API account"
)

func (s *Server) now() time.Time {
	if s.data.Clock != nil {
		return s.data.Clock()
	}
	return time.Now()
}

func oauthError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "message": msg})
}

// oauthToken serves /oauth2/token: HTTP Basic client id and secret (each
// form-encoded, as RFC 6749 says and golang.org/x/oauth2 sends), a form
// body grant_type=client_credentials, a JSON answer.
func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request) {
	raw, _ := r.Context().Value(rawBodyKey{}).(string)
	s.mu.Lock()
	s.tokenRequests = append(s.tokenRequests, TokenRequest{Method: r.Method, RawQuery: r.URL.RawQuery, ContentType: r.Header.Get("Content-Type"),
		Authorization: r.Header.Get("Authorization"), Body: raw})
	old := s.data.NoOAuth
	s.mu.Unlock()
	if old {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<!DOCTYPE html><html><body>Not Found</body></html>"))
		return
	}
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "Use POST.")
		return
	}
	if r.URL.RawQuery != "" || r.PostForm.Get("client_secret") != "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Send the client credentials by HTTP Basic authentication only.")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, secret, ok := basicAuth(r.Header.Get("Authorization"), s.data.RawBasic)
	a := s.data.APIAccounts[id]
	switch {
	case !ok || a == nil || a.Secret != secret:
		s.refusedMints++
		oauthError(w, http.StatusUnauthorized, "invalid_client", MsgInvalidClient)
		return
	case a.Disabled:
		s.refusedMints++
		oauthError(w, http.StatusBadRequest, "unauthorized_client", "The client is not authorized.")
		return
	}
	life := s.data.TokenLifetime
	if life <= 0 {
		life = time.Hour
	}
	capacity := s.data.TokenCap
	if capacity <= 0 {
		capacity = 30
	}
	b := make([]byte, 24)
	rand.Read(b)
	t := hex.EncodeToString(b)
	if s.tokens == nil {
		s.tokens = map[string]*token{}
	}
	s.tokens[t] = &token{client: id, expiry: s.now().Add(life)}
	s.minted[id] = append(s.minted[id], t)
	// The 31st valid token silently invalidates the oldest.
	var valid []string
	for _, old := range s.minted[id] {
		if tk := s.tokens[old]; tk != nil && s.now().Before(tk.expiry) {
			valid = append(valid, old)
		} else {
			delete(s.tokens, old)
		}
	}
	for len(valid) > capacity {
		delete(s.tokens, valid[0])
		valid = valid[1:]
		s.evicted[id]++
	}
	s.minted[id] = valid
	s.mints[id]++
	secs := int((life + time.Second - 1) / time.Second)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]any{"access_token": t, "token_type": "Bearer", "expires_in": secs})
}

// basicAuth reads an RFC 6749 Basic header: base64 of id:secret, each
// form-encoded.
func basicAuth(h string, raw bool) (id, secret string, ok bool) {
	enc, found := strings.CutPrefix(h, "Basic ")
	if !found {
		return "", "", false
	}
	dec, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", "", false
	}
	i, s, found := strings.Cut(string(dec), ":")
	if !found {
		return "", "", false
	}
	if raw {
		return i, s, true
	}
	if id, err = url.QueryUnescape(i); err != nil {
		return "", "", false
	}
	if secret, err = url.QueryUnescape(s); err != nil {
		return "", "", false
	}
	return id, secret, true
}

// bearer authenticates a call that carries an access token and checks the
// account's permission for it, answering the refusal and returning nil
// when not. The returned user carries the account's permissions in the
// guide's terms too, so that every handler serves it.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request, api, tok string) *User {
	s.mu.Lock()
	t := s.tokens[tok]
	if t != nil && !s.now().Before(t.expiry) {
		delete(s.tokens, tok)
		t = nil
	}
	var a *APIAccount
	if t != nil {
		a = s.data.APIAccounts[t.client]
	}
	if t == nil || a == nil || a.Disabled {
		s.deniedCalls++
		s.mu.Unlock()
		oauthError(w, http.StatusUnauthorized, "access_denied", MsgAccessDenied)
		return nil
	}
	limit := s.data.HourlyLimit
	if limit > 0 {
		now := s.now()
		calls := s.hourly[t.client]
		for len(calls) > 0 && !calls[0].After(now.Add(-time.Hour)) {
			calls = calls[1:]
		}
		if len(calls) >= limit {
			s.hourly[t.client] = calls
			s.mu.Unlock()
			w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("Retry-After", strconv.Itoa(int(calls[0].Add(time.Hour).Sub(now)/time.Second)+1))
			oauthError(w, http.StatusTooManyRequests, "access_denied", "Rate limit exceeded.")
			return nil
		}
		calls = append(calls, now)
		s.hourly[t.client] = calls
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(limit-len(calls)))
	}
	u := accountUser(a)
	s.mu.Unlock()
	if !accountMay(a, r) {
		s.xmlDoc(w, http.StatusOK, api, "error", "", MsgNoPerm)
		return nil
	}
	return u
}

// accountUser is the account in the guide's terms, for the handlers.
func accountUser(a *APIAccount) *User {
	cmd, rep := a.Perm("perm_command"), a.Perm("perm_reporting_support") == "1"
	u := &User{ID: a.ID, Admin: cmd == "full_access", CommandAPI: cmd == "full_access" || cmd == "read_only", ReportingAPI: rep,
		ViewReports: "none", ViewRecordings: rep, Perms: a.Perms}
	if rep {
		u.ViewReports = "all_sessions"
	}
	return u
}

// accountMay decides a call by the account's current permissions:
// perm_command read_only reads, full_access also changes; support session
// reports and recordings need perm_reporting_support; backups perm_backup.
func accountMay(a *APIAccount, r *http.Request) bool {
	switch strings.TrimSuffix(r.URL.Path, ".ns") {
	case "/api/command":
		switch r.Form.Get("action") {
		case "get_api_info":
			return true
		case "check_health", "get_session_attributes":
			return a.Perm("perm_command") == "full_access" || a.Perm("perm_command") == "read_only"
		}
		return a.Perm("perm_command") == "full_access"
	case "/api/reporting":
		return a.Perm("perm_reporting_support") == "1"
	case "/api/backup":
		return a.Perm("perm_backup") == "1"
	}
	return false
}

// RevokeTokens invalidates every token of the API account, as
// regenerating its secret does.
func (s *Server) RevokeTokens(clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, tk := range s.tokens {
		if tk.client == clientID {
			delete(s.tokens, t)
		}
	}
	s.minted[clientID] = nil
}

// TokenStats are what the stand-in counted of an API account's tokens.
type TokenStats struct {
	// Minted is how many tokens were minted, Valid how many are valid
	// now, Evicted how many the cap invalidated.
	Minted, Valid, Evicted int
}

// Tokens counts the API account's tokens.
func (s *Server) Tokens(clientID string) TokenStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := TokenStats{Minted: s.mints[clientID], Evicted: s.evicted[clientID]}
	for _, tk := range s.tokens {
		if tk.client == clientID && s.now().Before(tk.expiry) {
			st.Valid++
		}
	}
	return st
}

// RefusedMints is how many token requests were refused (a wrong client id
// or secret, a disabled account); DeniedCalls how many calls were refused
// for an invalid, expired or revoked token.
func (s *Server) RefusedMints() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refusedMints
}

// DeniedCalls is how many calls were refused with access_denied for an
// invalid, expired or revoked token.
func (s *Server) DeniedCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deniedCalls
}

// TokenRequests returns every request to /oauth2/token as it came.
func (s *Server) TokenRequests() []TokenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TokenRequest(nil), s.tokenRequests...)
}
