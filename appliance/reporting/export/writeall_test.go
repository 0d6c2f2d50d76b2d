package export_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
)

func rows(ids ...string) func(func(*reporting.SessionSummary, error) bool) {
	return func(yield func(*reporting.SessionSummary, error) bool) {
		for _, id := range ids {
			if id == "!" {
				yield(nil, errors.New("cut short"))
				return
			}
			if !yield(&reporting.SessionSummary{LSID: id, ExternalKey: "k-" + id}, nil) {
				return
			}
		}
	}
}

func TestWriteAllKeepsClosesAndCounts(t *testing.T) {
	var b strings.Builder
	w, err := export.Listing(&b, "json")
	require.NoError(t, err)
	n := 0
	err = export.WriteAll(w, rows("a", "b", "c"), func(s *reporting.SessionSummary) bool { return s.LSID != "b" }, func() error { n++; return nil })
	require.NoError(t, err)
	assert.Equal(t, 2, n, "written is told of each item written, not of those left out")
	assert.Contains(t, b.String(), `"a"`)
	assert.NotContains(t, b.String(), `"b"`)
	assert.True(t, strings.HasSuffix(strings.TrimSpace(b.String()), "]"), "closed: %s", b.String())
}

func TestWriteAllStopsAtTheFirstErrorAndLeavesTheWriterOpen(t *testing.T) {
	var b strings.Builder
	w, err := export.Listing(&b, "json")
	require.NoError(t, err)
	err = export.WriteAll(w, rows("a", "!", "c"), nil, nil)
	assert.EqualError(t, err, "cut short")
	assert.NotContains(t, b.String(), "]", "not closed: the array is incomplete")

	stop := errors.New("disk full")
	w, err = export.Listing(&b, "jsonl")
	require.NoError(t, err)
	calls := 0
	err = export.WriteAll(w, rows("a", "b"), nil, func() error { calls++; return stop })
	assert.Equal(t, stop, err)
	assert.Equal(t, 1, calls)
}

func ExampleWriteAll() {
	// In a program: cl.Listing(ctx, q, reporting.Options{}), a report's rows.
	listing := rows("c69a8e10bea9428f816cfababe9815fe", "d1b40e0c2f9a4f6b8e5c7a3b9d2e4f60")
	w, _ := export.Listing(os.Stdout, "csv")
	ticket := func(s *reporting.SessionSummary) bool { return s.ExternalKey == "k-c69a8e10bea9428f816cfababe9815fe" }
	if err := export.WriteAll(w, listing, ticket, nil); err != nil {
		fmt.Println(err)
	}
	// Output:
	// lsid,has_recording,external_key
	// c69a8e10bea9428f816cfababe9815fe,0,k-c69a8e10bea9428f816cfababe9815fe
}
