package launcher

import (
	"net/url"
	"strings"
)

// maxOrigin is the longest download-origin record read; a longer one is
// an error, not dropped.
const maxOrigin = 64 << 10

// Origin returns where the browser says the file at path was downloaded
// from, best effort: Chromium on Linux records it in the
// user.xdg.origin.url extended attribute, Windows in the Zone.Identifier
// stream's HostUrl. "" when nothing was recorded, or the record could not
// be read (the launcher itself refuses then).
func Origin(path string) string {
	o, _ := origin(path)
	return o
}

// showOrigin returns the origin without its query, which for a login link
// holds a password, and its host. A recorded origin with no host to read
// (a blob: or data: address, or one url.Parse refuses) is still shown, up
// to its '?', with host "": it is an origin, and one no allow-list admits.
func showOrigin(raw string) (shown, host string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		shown, _, _ = strings.Cut(raw, "?")
		return shown, ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath(), u.Hostname()
}

// hostURL reads HostUrl from a Zone.Identifier stream's text.
func hostURL(zone string) string {
	// Lines of any length (bufio.Scanner stops at 64 KiB).
	for _, l := range strings.Split(zone, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "HostUrl="); ok {
			return v
		}
	}
	return ""
}
