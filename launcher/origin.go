package launcher

import (
	"bufio"
	"net/url"
	"strings"
)

// Origin returns where the browser says the file at path was downloaded
// from, best effort: Chromium on Linux records it in the
// user.xdg.origin.url extended attribute, Windows in the Zone.Identifier
// stream's HostUrl. "" when nothing was recorded.
func Origin(path string) string { return origin(path) }

// showOrigin returns the origin without its query, which for a login link
// holds a password.
func showOrigin(raw string) (shown, host string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath(), u.Hostname()
}

// hostURL reads HostUrl from a Zone.Identifier stream's text.
func hostURL(zone string) string {
	sc := bufio.NewScanner(strings.NewReader(zone))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "HostUrl="); ok {
			return v
		}
	}
	return ""
}
