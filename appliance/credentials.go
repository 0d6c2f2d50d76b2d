package appliance

import (
	"context"
	"errors"
	"net/http"
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

// ErrOAuthNotSupported is returned by ClientCredentials.
var ErrOAuthNotSupported = errors.New("OAuth client credentials (API accounts of PA 16.1 and later) are not supported yet; use a user name and password")

// ClientCredentials are an OAuth API account (client id and secret), which
// appliances after the guide's version use through /oauth2/token. They
// are not supported yet: Authorize returns ErrOAuthNotSupported.
type ClientCredentials struct {
	ClientID string
	Secret   string
}

// Authorize returns ErrOAuthNotSupported.
func (ClientCredentials) Authorize(context.Context, *Params, http.Header) error {
	return ErrOAuthNotSupported
}

// String shows the client id only.
func (c ClientCredentials) String() string { return "client " + c.ClientID + " (secret hidden)" }

// GoString shows the client id only, also for %#v.
func (c ClientCredentials) GoString() string { return c.String() }
