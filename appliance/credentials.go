package appliance

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Credentials authorize a call. The appliance of the guide (API 1.14.0)
// takes a user name and password as request parameters; later versions
// use OAuth client credentials and a bearer header.
type Credentials interface {
	// Authorize adds the credentials to a call's parameters or header.
	Authorize(ctx context.Context, p *Params, h http.Header) error
}

// UserPassword are the credentials of the guide: a user account's name and
// password, sent as the username and password parameters. Its String never
// shows the password.
type UserPassword struct {
	Username string
	Password string
}

// Authorize adds username and password first, as the guide's examples do.
func (u UserPassword) Authorize(_ context.Context, p *Params, _ http.Header) error {
	if u.Username == "" {
		return errors.New("no user name given")
	}
	*p = append(Params{{"username", u.Username}, {"password", u.Password}}, *p...)
	return nil
}

// String shows the user name only.
func (u UserPassword) String() string { return "user " + u.Username + " (password hidden)" }

// GoString shows the user name only, also for %#v.
func (u UserPassword) GoString() string { return u.String() }

// ClientCredentials are an OAuth API account (PA 16.1 / RS 16.2 and
// later, every cloud site): a client id and secret, created at /login >
// Management > API Configuration. New exchanges them at /oauth2/token for a
// bearer token that calls carry instead of a user name and password, and
// keeps one token per appliance and client id, shared through TokenCache by
// every process of the user. API accounts work over HTTPS only.
type ClientCredentials struct {
	ClientID string
	Secret   string
	// TokenCache is the folder where the token is shared between
	// processes (created 0700, files 0600); "" keeps it in memory only.
	// DefaultTokenCache is the usual place.
	TokenCache string
	// Now is the clock that dates tokens (nil: time.Now).
	Now func() time.Time
}

// Authorize refuses: an API account's token is minted by the Client that
// New builds from these credentials.
func (ClientCredentials) Authorize(context.Context, *Params, http.Header) error {
	return errors.New("API account credentials are used through appliance.New")
}

// String shows the client id only.
func (c ClientCredentials) String() string { return "API account " + c.ClientID + " (secret hidden)" }

// GoString shows the client id only, also for %#v.
func (c ClientCredentials) GoString() string { return c.String() }
