package appliance_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

var march1 = time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)

func lsids[T any](t *testing.T, seq func(func(*T, error) bool), id func(*T) string) []string {
	t.Helper()
	var out []string
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, id(v))
	}
	return out
}

// A walk in fixed windows of six hours finds every session one request over the range holds,
// each once.
func TestSessionsWalkMatchesOneRequest(t *testing.T) {
	t.Parallel()
	_, c := standin.Start(t)
	ctx := context.Background()
	whole := lsids(t, c.Sessions(ctx, reporting.Query{Report: reporting.AccessSession, StartTime: walkPtr(march1.Unix()), Duration: walkPtr(int64(2 * 86400))}, reporting.Options{}),
		func(s *reporting.Session) string { return s.LSID })
	require.NotEmpty(t, whole)
	var last reporting.Progress
	walked := lsids(t, c.SessionsWalk(ctx, reporting.Walker[reporting.Session]{Report: reporting.AccessSession, From: march1, To: march1.AddDate(0, 0, 2), Start: 6 * time.Hour, Fixed: true},
		reporting.Options{}, func(p reporting.Progress) { last = p }), func(s *reporting.Session) string { return s.LSID })
	assert.ElementsMatch(t, whole, walked)
	assert.Equal(t, 8, last.Windows, "fixed windows of six hours")
	assert.Equal(t, 1.0, last.Covered)

	rows := lsids(t, c.ListingWalk(ctx, reporting.Walker[reporting.SessionSummary]{Report: reporting.AccessSessionListing, From: march1, To: march1.AddDate(0, 0, 2)}, reporting.Options{}, nil),
		func(s *reporting.SessionSummary) string { return s.LSID })
	assert.ElementsMatch(t, whole, rows)
}

// A team active on both days comes once for each window.
func TestTeamOverKeepsEveryWindow(t *testing.T) {
	t.Parallel()
	_, c := standin.Start(t)
	ctx := context.Background()
	ws, err := reporting.Windows(reporting.Team, false, march1, march1.AddDate(0, 0, 2), 24*time.Hour)
	require.NoError(t, err)
	require.Len(t, ws, 2)
	var each []string
	for _, w := range ws {
		each = append(each, lsids(t, c.Team(ctx, w.Query, reporting.Options{}, nil), teamName)...)
	}
	require.NotEmpty(t, each)
	assert.Equal(t, each, lsids(t, c.TeamOver(ctx, ws, reporting.Options{}), teamName))

	sums := lsids(t, c.SummaryOver(ctx, ws, reporting.Options{}), func(u *reporting.UserSummary) string { return u.ID })
	assert.NotEmpty(t, sums)
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(sums))), len(sums), "each user once")
}

func teamName(a *reporting.TeamActivity) string { return a.Name }

func walkPtr[T any](v T) *T { return &v }

// SessionsWalk reads a range in windows that follow the sessions.
func ExampleClient_SessionsWalk() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	day := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	wk := reporting.Walker[reporting.Session]{Report: reporting.AccessSession, From: day, To: day.AddDate(0, 1, 0)}
	n := 0
	for _, err := range c.SessionsWalk(context.Background(), wk, reporting.Options{}, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println(n, "sessions in March 2015")
	// Output: 4 sessions in March 2015
}
