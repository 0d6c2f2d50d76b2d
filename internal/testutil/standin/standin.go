// Package standin gives examples and tests a client of a stand-in
// appliance, so that each shows only the calls it is about. It imports
// appliance, which imports reporting and reporting/export: testutil and
// appliancetest cannot hold it, since the own tests of those packages
// import them.
package standin

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// Client starts a stand-in appliance for the site "support" and returns
// a client signed in to it as its test user, and stop, which closes the
// stand-in. New cannot refuse the stand-in's own address and CA; were it
// to, Client panics, which fails the example that called it.
func Client() (c *appliance.Client, stop func()) {
	s := appliancetest.NewTLS("support")
	c, err := signIn(s)
	if err != nil {
		s.Close()
		panic(err)
	}
	return c, s.Close
}

// Start is Client for a test, which also gets the stand-in (to change its
// data or read its requests); the stand-in is closed when t ends.
func Start(t testing.TB) (*appliancetest.Server, *appliance.Client) {
	t.Helper()
	s := appliancetest.NewTLS("support")
	t.Cleanup(s.Close)
	c, err := signIn(s)
	require.NoError(t, err)
	return s, c
}

func signIn(s *appliancetest.Server) (*appliance.Client, error) {
	return appliance.New(s.URL, appliance.UserPassword{Username: "test", Password: "test"}, appliance.Options{CACertsPEM: s.CACertPEM()})
}
