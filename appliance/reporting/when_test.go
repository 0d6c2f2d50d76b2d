package reporting_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2015, 3, 5, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"7d": now.AddDate(0, 0, -7), "12h": now.Add(-12 * time.Hour), "30m": now.Add(-30 * time.Minute),
		"2015-03-01": time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), "2015-03-01T08:00:00Z": time.Date(2015, 3, 1, 8, 0, 0, 0, time.UTC), "now": now,
	} {
		got, err := reporting.ParseTime(in, now)
		require.NoError(t, err, in)
		assert.True(t, want.Equal(got), "%s: %s", in, got)
	}
	for _, bad := range []string{"7", "d", "-1d", "yesterday", "7w"} {
		_, err := reporting.ParseTime(bad, now)
		assert.Error(t, err, bad)
	}
}

func ExampleParseTime() {
	now := time.Date(2015, 3, 5, 12, 0, 0, 0, time.UTC)
	for _, v := range []string{"7d", "2015-03-01", "yesterday"} {
		t, err := reporting.ParseTime(v, now)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(t.Format(time.RFC3339))
	}
	// Output:
	// 2015-02-26T12:00:00Z
	// 2015-03-01T00:00:00Z
	// "yesterday" is neither RFC 3339 (2015-03-01T08:00:00Z), a date (2015-03-01) nor relative (7d, 12h, 30m)
}
