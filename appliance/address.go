package appliance

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Address is an appliance's checked address: a scheme, a host name or an
// IP address, and an optional port. Its String is what links and requests
// start with.
type Address struct {
	// Scheme is "https", or "http" when allowed.
	Scheme string
	// Host is a host name, an IPv4 address, or an IPv6 address without
	// its brackets.
	Host string
	// Port is 1 to 65535, or 0 when the address names none.
	Port int
}

// String returns scheme://host[:port], an IPv6 address in brackets.
func (a Address) String() string {
	if a.Scheme == "" {
		return ""
	}
	return a.Scheme + "://" + a.HostPort()
}

// HostPort returns host[:port], an IPv6 address in brackets.
func (a Address) HostPort() string {
	h := a.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if a.Port != 0 {
		h += ":" + strconv.Itoa(a.Port)
	}
	return h
}

// AddressError is an address that ParseAddress refused. Its text names
// what is wrong, with the input escaped and any user:password@ left out.
type AddressError struct {
	// Input is the address as given, credentials cut out.
	Input string
	// Reason says what is wrong and how to write it.
	Reason string
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("appliance %s: %s", quote(e.Input, 200), e.Reason)
}

// maxHostName is the longest DNS name (RFC 1035), without a final dot.
const maxHostName = 253

// ParseAddress checks an appliance's address and returns it. An address
// is a host name (letters, digits and '-' in dot-separated labels of at
// most 63 characters), an IPv4 address or an IPv6 address in brackets,
// with an optional :PORT of 1 to 65535, and optionally https:// before it
// (http:// only when allowHTTP; with no scheme, https is meant). A single
// trailing "/" is allowed; nothing else is: no path, query, fragment or
// user:password@. Surrounding spaces are ignored.
//
// The address goes into every request and every link written into a
// ticket, so it is checked character by character rather than as URL
// syntax: a placeholder left in ("https://<your_Bomgar_FQDN>"), a quote
// ("https://a'onmouseover='x") or shell syntax ("https://$(id)") is
// refused, never written out.
func ParseAddress(s string, allowHTTP bool) (Address, error) {
	in := strings.TrimSpace(s)
	fail := func(format string, args ...any) (Address, error) {
		return Address{}, &AddressError{Input: withoutUser(in), Reason: fmt.Sprintf(format, args...)}
	}
	if in == "" {
		return fail("no address; give https://HOST or https://HOST:PORT")
	}
	a := Address{Scheme: "https"}
	rest := in
	if i := strings.Index(rest, "://"); i >= 0 {
		switch scheme := strings.ToLower(rest[:i]); scheme {
		case "https":
		case "http":
			if !allowHTTP {
				return fail("plain http is refused (the vendor's guide advises against it); use https, or allow http explicitly on a network you trust")
			}
			a.Scheme = "http"
		default:
			return fail("the scheme %s is not https; give https://HOST", quote1(rest[:i]))
		}
		rest = rest[i+3:]
	}
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	switch {
	case strings.Contains(authority, "@"):
		return fail("credentials do not belong in the address; give the user name and password as their own settings")
	case tail != "" && tail != "/":
		return fail("give only the host and port; the path, query and fragment are the toolkit's to write")
	}
	rest = authority
	host, port, err := splitHostPort(rest)
	if err != "" {
		return fail("%s", err)
	}
	if port != "" {
		n, perr := strconv.Atoi(port)
		if perr != nil || n < 1 || n > 65535 || port[0] == '0' || strings.ContainsAny(port, "+-") {
			return fail("the port %s is not a port: give a number from 1 to 65535", quote(port, 40))
		}
		a.Port = n
	}
	if why := checkHost(host); why != "" {
		return fail("%s", why)
	}
	a.Host = host
	return a, nil
}

// splitHostPort splits HOST[:PORT] or [IPV6][:PORT]; the host of the
// second form is returned without brackets, and must be an IPv6 address.
func splitHostPort(s string) (host, port, why string) {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", "an IPv6 address in brackets lacks its ']'"
		}
		host, after := s[1:end], s[end+1:]
		switch {
		case after == "":
		case after[0] == ':':
			port = after[1:]
			if port == "" {
				return "", "", "a ':' with no port after it; give a number from 1 to 65535, or no ':'"
			}
		default:
			return "", "", fmt.Sprintf("%s follows the IPv6 address; only :PORT may", quote(after, 40))
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return "", "", fmt.Sprintf("%s in brackets is not an IPv6 address (zones such as %%eth0 are not accepted)", quote(host, 60))
		}
		return host, port, ""
	}
	if strings.Count(s, ":") > 1 {
		return "", "", "an IPv6 address goes in brackets: https://[2001:db8::1]:443"
	}
	host, port, found := strings.Cut(s, ":")
	if found && port == "" {
		return "", "", "a ':' with no port after it; give a number from 1 to 65535, or no ':'"
	}
	return host, port, ""
}

// checkHost says what is wrong with a host name or an IPv4 address, or
// returns "". A name whose labels are all digits must be an IPv4 address.
func checkHost(h string) string {
	if h == "" {
		return "no host; give https://HOST"
	}
	if strings.Contains(h, ":") {
		return "" // an IPv6 address, checked by splitHostPort
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Sprintf("the host %s holds %s, which no host name has: give a host name (letters, digits, '-' and '.') or an IP address",
				quote(h, 80), quote1(string(r)))
		}
	}
	if len(h) > maxHostName {
		return fmt.Sprintf("the host name is %d characters long; a host name has at most %d", len(h), maxHostName)
	}
	labels := strings.Split(h, ".")
	numeric := true
	for _, l := range labels {
		switch {
		case l == "":
			return fmt.Sprintf("the host %s has an empty label (two dots, or a dot at an end)", quote1(h))
		case len(l) > 63:
			return fmt.Sprintf("the host %s has a label of %d characters; a label has at most 63", quote(h, 80), len(l))
		case l[0] == '-' || l[len(l)-1] == '-':
			return fmt.Sprintf("the host %s has a label starting or ending with '-'", quote1(h))
		}
		if strings.Trim(l, "0123456789") != "" {
			numeric = false
		}
	}
	if numeric {
		if ip, err := netip.ParseAddr(h); err != nil || !ip.Is4() {
			return fmt.Sprintf("the host %s is not an IPv4 address (four numbers from 0 to 255, no leading zeros)", quote1(h))
		}
	}
	return ""
}

// quote puts s in double quotes, escaped and cut to max characters, so
// that a quote or a space in an address reads as part of it.
func quote(s string, max int) string {
	q := textsafe.QuoteMax(s, max)
	if !strings.HasPrefix(q, `"`) {
		q = `"` + strings.Replace(q, "…", `"…`, 1)
		if !strings.Contains(q, "…") {
			q += `"`
		}
	}
	return q
}

func quote1(s string) string { return quote(s, 0) }

// withoutUser cuts user:password@ out of an address, so that an error
// never shows a password.
func withoutUser(s string) string {
	i := strings.LastIndex(s, "@")
	if i < 0 {
		return s
	}
	start := 0
	if j := strings.Index(s, "://"); j >= 0 && j < i {
		start = j + 3
	}
	return s[:start] + "…@" + s[i+1:]
}
