package reporting_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

func TestParseRange(t *testing.T) {
	now := time.Date(2015, 3, 5, 12, 0, 0, 0, time.UTC)
	rg, err := reporting.ParseRange("7d", "now", now)
	require.NoError(t, err)
	assert.Equal(t, reporting.Range{From: now.AddDate(0, 0, -7), To: now}, rg)

	for _, c := range []struct{ since, until, bound string }{
		{"yesterday", "now", "since"},
		{"1d", "tomorrow", "until"},
		{"yesterday", "tomorrow", "since"}, // since is read first
	} {
		_, err := reporting.ParseRange(c.since, c.until, now)
		var be *reporting.BoundError
		require.ErrorAs(t, err, &be, "%s %s", c.since, c.until)
		assert.Equal(t, c.bound, be.Bound)
		_, perr := reporting.ParseTime(map[string]string{"since": c.since, "until": c.until}[c.bound], now)
		assert.Equal(t, perr.Error(), be.Err.Error(), "ParseTime's words")
		assert.Equal(t, c.bound+": "+perr.Error(), err.Error())
	}

	for _, c := range [][2]string{{"2015-03-02", "2015-03-01"}, {"now", "now"}} {
		rg, err := reporting.ParseRange(c[0], c[1], now)
		require.ErrorIs(t, err, reporting.ErrEmptyRange, "%v", c)
		assert.False(t, rg.To.After(rg.From), "both times are returned to say so: %v", rg)
		assert.False(t, rg.From.IsZero(), "%v", c)
	}
}

func TestRangeWindows(t *testing.T) {
	day := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	rg := reporting.Range{From: day, To: day.Add(24 * time.Hour), Ended: true}
	ws, err := rg.Windows(reporting.AccessSession, 0)
	require.NoError(t, err)
	require.Len(t, ws, 1, "0: one window for the whole range")
	assert.Equal(t, reporting.EndedBetween(reporting.AccessSession, rg.From, rg.To), ws[0].Query, "Ended: end_time windows")

	ws, err = rg.Windows(reporting.Team, 6*time.Hour)
	require.NoError(t, err)
	assert.Len(t, ws, 4)

	_, err = rg.Windows(reporting.Team, -time.Hour)
	assert.EqualError(t, err, "window -1h0m0s is shorter than a second")
}

func TestNewWalker(t *testing.T) {
	day := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	rg := reporting.Range{From: day, To: day.Add(48 * time.Hour), Ended: true}
	wk, err := reporting.NewWalker[reporting.Session](reporting.AccessSession, rg, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, reporting.AccessSession, wk.Report)
	assert.Equal(t, time.Hour, wk.Start)
	assert.True(t, wk.Ended)
	assert.Equal(t, [2]time.Time{rg.From, rg.To}, [2]time.Time{wk.From, wk.To})

	for _, start := range []time.Duration{0, -time.Hour} {
		wk, err := reporting.NewWalker[reporting.Session](reporting.AccessSession, rg, start)
		require.NoError(t, err)
		assert.Equal(t, 48*time.Hour, wk.Start, "%s: the whole range", start)
	}

	_, err = reporting.NewWalker[reporting.Session](reporting.AccessSession, rg, 500*time.Millisecond)
	assert.EqualError(t, err, "window 500ms is shorter than a second")
	short := reporting.Range{From: day, To: day.Add(time.Second / 2)}
	_, err = reporting.NewWalker[reporting.Session](reporting.AccessSession, short, 0)
	assert.ErrorIs(t, err, reporting.ErrEmptyRange, "a range under a second is empty, whatever the window")
	_, err = reporting.NewWalker[reporting.Session](reporting.AccessSession, reporting.Range{From: day, To: day.Add(-time.Hour)}, time.Hour)
	assert.ErrorIs(t, err, reporting.ErrEmptyRange, "a reversed range")
}

// The API counts whole seconds: a range that holds none is empty, and
// ParseRange refuses it.
func TestRangeEmptyCountsWholeSeconds(t *testing.T) {
	at := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		from, to time.Duration
		empty    bool
	}{
		{0, time.Second, false},
		{200 * time.Millisecond, 800 * time.Millisecond, true},
		{900 * time.Millisecond, 1100 * time.Millisecond, false}, // 00:00:00 to 00:00:01
		{0, 0, true},
		{time.Hour, 0, true},
	} {
		assert.Equal(t, c.empty, reporting.Range{From: at.Add(c.from), To: at.Add(c.to)}.Empty(), "%s to %s", c.from, c.to)
	}
	_, err := reporting.ParseRange("2015-03-01T00:00:00.2Z", "2015-03-01T00:00:00.8Z", at)
	assert.ErrorIs(t, err, reporting.ErrEmptyRange)
}

// A range cut into more than MaxWindows windows is refused before one is
// built: each window is a request.
func TestWindowsAtMostMaxWindows(t *testing.T) {
	at := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	ws, err := reporting.Windows(reporting.Team, false, at, at.Add(reporting.MaxWindows*time.Second), time.Second)
	require.NoError(t, err)
	assert.Len(t, ws, reporting.MaxWindows)
	_, err = reporting.Windows(reporting.Team, false, at, at.Add(reporting.MaxWindows*time.Second+time.Second), time.Second)
	assert.EqualError(t, err, "window 1s cuts the range of 27h46m41s into 100001 requests, more than 100000: give a longer window")
	_, err = reporting.Range{From: at, To: at.AddDate(10, 0, 0)}.Windows(reporting.Team, time.Second)
	assert.ErrorContains(t, err, "give a longer window", "ten years in seconds")
}

// A range as a person gives it, and its windows; the bounds' errors name
// the bound at fault.
func ExampleParseRange() {
	now := time.Date(2015, 3, 5, 12, 0, 0, 0, time.UTC)
	rg, err := reporting.ParseRange("2015-03-01", "2015-03-02", now)
	if err != nil {
		fmt.Println(err)
		return
	}
	ws, _ := rg.Windows(reporting.AccessSessionListing, 8*time.Hour)
	for _, w := range ws {
		fmt.Println(w.From.Format(time.RFC3339), w.To.Format(time.RFC3339))
	}
	_, err = reporting.ParseRange("7d", "soon", now)
	var be *reporting.BoundError
	fmt.Println(errors.As(err, &be), be.Bound)
	_, err = reporting.ParseRange("now", "1d", now)
	fmt.Println(errors.Is(err, reporting.ErrEmptyRange))
	// Output:
	// 2015-03-01T00:00:00Z 2015-03-01T08:00:00Z
	// 2015-03-01T08:00:00Z 2015-03-01T16:00:00Z
	// 2015-03-01T16:00:00Z 2015-03-02T00:00:00Z
	// true until
	// true
}

// NewWalker starts an adaptive walk over a range; the caller sets what
// names an item for the edge deduplication.
func ExampleNewWalker() {
	rg, _ := reporting.ParseRange("30d", "now", time.Date(2015, 3, 31, 0, 0, 0, 0, time.UTC))
	wk, err := reporting.NewWalker[reporting.SessionSummary](reporting.AccessSessionListing, rg, 24*time.Hour)
	if err != nil {
		fmt.Println(err)
		return
	}
	wk.ID = func(s *reporting.SessionSummary) string { return s.LSID }
	fmt.Println(wk.Report, wk.From.Format(time.DateOnly), wk.To.Format(time.DateOnly), wk.Start)
	// Output: AccessSessionListing 2015-03-01 2015-03-31 24h0m0s
}
