package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseWhen reads an RFC 3339 time, a date (UTC midnight), or a time
// relative to now: 7d, 12h, 30m, 90s (in the past).
func parseWhen(v string, now time.Time) (time.Time, error) {
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

func splitIDs(values []string) []string {
	var out []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}
