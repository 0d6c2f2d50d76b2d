package appliance

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAddressAccepts(t *testing.T) {
	for in, want := range map[string]string{
		"https://access.example.com":      "https://access.example.com",
		"https://access.example.com/":     "https://access.example.com",
		"access.example.com":              "https://access.example.com",
		"HTTPS://Access.Example.com:8443": "https://Access.Example.com:8443",
		"  https://a.example  ":           "https://a.example",
		"https://127.0.0.1:9443":          "https://127.0.0.1:9443",
		"https://[::1]:9443":              "https://[::1]:9443",
		"https://[2001:db8::7]":           "https://[2001:db8::7]",
		"https://a.example:1":             "https://a.example:1",
		"https://a.example:65535":         "https://a.example:65535",
		"https://localhost":               "https://localhost",
		"https://rs-01.corp":              "https://rs-01.corp",
		"https://3com.example":            "https://3com.example",
	} {
		a, err := ParseAddress(in, false)
		require.NoError(t, err, in)
		assert.Equal(t, want, a.String(), in)
	}
	a, err := ParseAddress("http://a.example:8080/", true)
	require.NoError(t, err)
	assert.Equal(t, Address{Scheme: "http", Host: "a.example", Port: 8080}, a)
	assert.Equal(t, "a.example:8080", a.HostPort())
}

// The shapes of issue 16 ("Links that go into tickets") and their kin:
// each is refused, and the error says what is wrong.
func TestParseAddressRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"https://<your_Bomgar_FQDN>":  `the host "<your_Bomgar_FQDN>" holds "<"`,
		"https://a'onmouseover='x":    `holds "'"`,
		"https://$(id)":               `holds "$"`,
		"https://a.example:99999":     `the port "99999" is not a port: give a number from 1 to 65535`,
		"https://a.example:0":         `the port "0" is not a port`,
		"https://a.example:080":       `the port "080" is not a port`,
		"https://a.example:+80":       `the port "+80" is not a port`,
		"https://a.example:":          "a ':' with no port after it",
		"https://a.example:https":     `the port "https" is not a port`,
		"http://a.example":            "plain http is refused",
		"ftp://a.example":             `the scheme "ftp" is not https`,
		"javascript://a.example":      `the scheme "javascript" is not https`,
		"https://":                    "no host",
		"":                            "no address",
		"https://u:secret@a.example":  "credentials do not belong",
		"https://a.example/x":         "give only the host and port",
		"https://a.example/?q=1":      "give only the host and port",
		"https://a.example/#f":        "give only the host and port",
		"https://a.example?q":         "give only the host and port",
		"https://a example":           `holds " "`,
		"https://a.example\n.evil":    `holds "\n"`,
		"https://a\u202e.example":     `holds "\u202e"`,
		"https://a..example":          "an empty label",
		"https://.a.example":          "an empty label",
		"https://-a.example":          "starting or ending with '-'",
		"https://a_b.example":         `holds "_"`,
		"https://1.2.3.999":           "is not an IPv4 address",
		"https://1.2.3":               "is not an IPv4 address",
		"https://010.0.0.1":           "is not an IPv4 address",
		"https://::1":                 "an IPv6 address goes in brackets",
		"https://[::1":                "lacks its ']'",
		"https://[::1]x":              `"x" follows the IPv6 address`,
		"https://[1.2.3.4]":           "is not an IPv6 address",
		"https://[fe80::1%25eth0]":    "is not an IPv6 address",
		"https://" + long(64) + ".ex": "a label of 64 characters",
		"https://" + strings.Repeat(long(60)+".", 5) + "ex": "at most 253",
	} {
		_, err := ParseAddress(in, false)
		require.Error(t, err, in)
		var ae *AddressError
		require.True(t, errors.As(err, &ae), "%q: %T", in, err)
		assert.Contains(t, err.Error(), want, in)
		assert.NotContains(t, err.Error(), "secret", "a password is never echoed")
		assert.NotContains(t, err.Error(), "\n", "the input is escaped")
	}
}

func long(n int) string { return strings.Repeat("a", n) }

func ExampleParseAddress() {
	for _, in := range []string{"https://access.example.com", "https://[2001:db8::1]:8443", "https://<your_Bomgar_FQDN>", "https://a.example:99999"} {
		a, err := ParseAddress(in, false)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(a)
	}
	// Output:
	// https://access.example.com
	// https://[2001:db8::1]:8443
	// appliance "https://<your_Bomgar_FQDN>": the host "<your_Bomgar_FQDN>" holds "<", which no host name has: give a host name (letters, digits, '-' and '.') or an IP address
	// appliance "https://a.example:99999": the port "99999" is not a port: give a number from 1 to 65535
}
