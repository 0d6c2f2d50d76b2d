package reporting

import (
	"fmt"
	"strconv"
	"time"
)

// ParseTime reads a time as a person gives one: RFC 3339, a date (UTC
// midnight), "now", or a time relative to now, in the past: 7d, 12h, 30m,
// 90s. "" is the zero time.
func ParseTime(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	if v == "now" {
		return now, nil
	}
	if n := len(v); n > 1 {
		if k, err := strconv.Atoi(v[:n-1]); err == nil && k >= 0 {
			unit := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}[v[n-1]]
			if unit != 0 {
				return now.Add(-time.Duration(k) * unit), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 (2015-03-01T08:00:00Z), a date (2015-03-01) nor relative (7d, 12h, 30m)", v)
}
