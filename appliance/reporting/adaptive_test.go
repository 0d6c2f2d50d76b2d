package reporting

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walkFake serves closed sessions by end_time, both bounds included, as
// appliances do, and counts the requests.
type walkFake struct {
	ends     []time.Time
	requests int
	asked    []Window
}

func (f *walkFake) fetch(ctx context.Context, w Window) iter.Seq2[*Session, error] {
	f.requests++
	f.asked = append(f.asked, w)
	return func(yield func(*Session, error) bool) {
		from := *w.Query.EndTime
		to := from + *w.Query.Duration
		for i, e := range f.ends {
			if e.Unix() < from || e.Unix() > to {
				continue
			}
			s := &Session{LSID: fmt.Sprintf("%032x", i), EndTime: Timestamp{Unix: e.Unix(), Valid: true}}
			if !yield(s, nil) {
				return
			}
		}
	}
}

func walkSessions(from, to time.Time) *Walker[Session] {
	return &Walker[Session]{Report: AccessSession, Ended: true, From: from, To: to,
		ID: func(s *Session) string { return s.LSID }, Edge: OnEdge}
}

// collect walks and returns the lsids committed, in order.
func walkCollect(t *testing.T, wk *Walker[Session], f *walkFake) ([]string, []Progress) {
	t.Helper()
	var got []string
	var ps []Progress
	err := wk.Walk(context.Background(), f.fetch, func(w Window, items iter.Seq2[*Session, error]) error {
		var mine []string
		for s, err := range items {
			if err != nil {
				return err // dropped: nothing of this window is kept
			}
			mine = append(mine, s.LSID)
		}
		got = append(got, mine...)
		return nil
	}, func(p Progress) { ps = append(ps, p) })
	require.NoError(t, err)
	return got, ps
}

func walkUniq(t *testing.T, ids []string) map[string]bool {
	seen := map[string]bool{}
	for _, id := range ids {
		assert.False(t, seen[id], "%s committed twice", id)
		seen[id] = true
	}
	return seen
}

var walkT0 = time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)

// Eleven years holding 50 sessions in one month: the requests follow the
// sessions, not the hours (96,000 one-hour windows).
func TestWalkerSparseBackfill(t *testing.T) {
	var ends []time.Time
	for i := range 50 {
		ends = append(ends, walkT0.Add(time.Duration(i)*13*time.Hour))
	}
	f := &walkFake{ends: ends}
	to := walkT0.AddDate(11, 0, 0)
	got, ps := walkCollect(t, walkSessions(walkT0, to), f)
	assert.Len(t, walkUniq(t, got), 50)
	assert.Less(t, f.requests, 160, "about one request per 30 days of empty history")
	assert.Equal(t, 1.0, ps[len(ps)-1].Covered)
	assert.Equal(t, f.requests, ps[len(ps)-1].Requests)
	for i := 1; i < len(f.asked); i++ {
		assert.Equal(t, f.asked[i-1].To, f.asked[i].From, "windows are contiguous")
		assert.LessOrEqual(t, f.asked[i].To.Sub(f.asked[i].From), DefaultMaxWindow)
	}
}

// A window over the limit is asked again in halves, and what its
// consumer took of it is dropped: every session is committed once.
func TestWalkerSplitsAWindowOverTheLimit(t *testing.T) {
	var ends []time.Time
	for i := range 5000 { // one every 10 s
		ends = append(ends, walkT0.Add(time.Duration(i)*10*time.Second))
	}
	f := &walkFake{ends: ends}
	wk := walkSessions(walkT0, walkT0.Add(24*time.Hour))
	wk.Start = 24 * time.Hour
	wk.Target, wk.Limit = 100, Limit{Items: 300}
	got, ps := walkCollect(t, wk, f)
	assert.Len(t, walkUniq(t, got), 5000)
	assert.Len(t, got, 5000)
	for _, p := range ps {
		assert.LessOrEqual(t, p.Items, 300, "no committed window is over the limit")
	}
	assert.Greater(t, f.requests, len(ps), "some windows were asked again in halves")
}

// A session on the second two windows share is committed once, whatever
// the windows' sizes.
func TestWalkerEdgeDedupAcrossSizes(t *testing.T) {
	var ends []time.Time
	for h := range 24 * 40 { // one on every hour edge for 40 days
		ends = append(ends, walkT0.Add(time.Duration(h)*time.Hour))
	}
	f := &walkFake{ends: ends}
	wk := walkSessions(walkT0, walkT0.Add(40*24*time.Hour))
	wk.Target = 30
	got, _ := walkCollect(t, wk, f)
	assert.Len(t, walkUniq(t, got), len(ends))
	sizes := map[time.Duration]bool{}
	for _, w := range f.asked {
		sizes[w.To.Sub(w.From)] = true
	}
	assert.Greater(t, len(sizes), 2, "the windows changed size")
}

func TestWalkerFixed(t *testing.T) {
	f := &walkFake{}
	wk := walkSessions(walkT0, walkT0.Add(10*time.Hour))
	wk.Fixed = true
	walkCollect(t, wk, f)
	assert.Equal(t, 10, f.requests)
}

// A window that takes longer than Limit.Time is cut and asked in halves.
func TestWalkerSplitsASlowAnswer(t *testing.T) {
	var ends []time.Time
	for i := range 8 {
		ends = append(ends, walkT0.Add(time.Duration(i)*time.Hour+30*time.Minute))
	}
	f := &walkFake{ends: ends}
	wk := walkSessions(walkT0, walkT0.Add(8*time.Hour))
	wk.Start = 8 * time.Hour
	clock := walkT0
	wk.Now = func() time.Time { clock = clock.Add(time.Second); return clock } // each item takes a second
	wk.Limit = Limit{Time: 2500 * time.Millisecond}
	got, ps := walkCollect(t, wk, f)
	assert.Len(t, walkUniq(t, got), 8)
	assert.Less(t, ps[0].Window.To.Sub(ps[0].Window.From), 8*time.Hour)
}

// A consumer's error stops the walk, named by its window; nothing after it
// is asked.
func TestWalkerStopsAtAnError(t *testing.T) {
	boom := errors.New("boom")
	f := &walkFake{}
	wk := walkSessions(walkT0, walkT0.Add(10*time.Hour))
	err := wk.Walk(context.Background(), f.fetch, func(w Window, items iter.Seq2[*Session, error]) error {
		for range items {
		}
		return boom
	}, nil)
	assert.ErrorIs(t, err, boom)
	assert.ErrorContains(t, err, "window 2015-03-01T00:00:00Z to 2015-03-01T01:00:00Z")
	assert.Equal(t, 1, f.requests)
}

func TestWalkerAllYieldsOnce(t *testing.T) {
	var ends []time.Time
	for i := range 2000 {
		ends = append(ends, walkT0.Add(time.Duration(i)*time.Minute))
	}
	f := &walkFake{ends: ends}
	wk := walkSessions(walkT0, walkT0.Add(2000*time.Minute))
	wk.Start, wk.Target, wk.Limit = 2000*time.Minute, 100, Limit{Items: 200}
	var got []string
	for s, err := range wk.All(context.Background(), f.fetch, nil) {
		require.NoError(t, err)
		got = append(got, s.LSID)
	}
	assert.Len(t, walkUniq(t, got), 2000)
	assert.Len(t, got, 2000)
}

// An answer that arrived whole but slowly narrows the next window.
func TestWalkerNarrowsAfterASlowAnswer(t *testing.T) {
	f := &walkFake{ends: []time.Time{walkT0.Add(30 * time.Minute)}}
	wk := walkSessions(walkT0, walkT0.Add(10*time.Hour))
	wk.Start = 4 * time.Hour
	clock := walkT0
	wk.Now = func() time.Time { clock = clock.Add(40 * time.Second); return clock } // every look at the clock: 40 s later
	wk.Limit = Limit{Time: time.Minute}
	_, ps := walkCollect(t, wk, f)
	require.GreaterOrEqual(t, len(ps), 2)
	assert.Equal(t, 2*time.Hour, ps[1].Window.To.Sub(ps[1].Window.From), "halved, though it held one session")
}

// Stream yields each item while its window's answer is still coming (an
// export writes as it reads), never asks a window twice, and still adapts:
// 11 years holding 50 sessions take a request per month or so, not one
// per hour, and 2,000 sessions in one busy window come once each.
func TestWalkerStreamYieldsAsItReads(t *testing.T) {
	var ends []time.Time
	for i := range 50 {
		ends = append(ends, walkT0.Add(time.Duration(i)*13*time.Hour))
	}
	f := &walkFake{ends: ends}
	wk := walkSessions(walkT0, walkT0.AddDate(11, 0, 0))
	var got []string
	for s, err := range wk.Stream(context.Background(), f.fetch, nil) {
		require.NoError(t, err)
		got = append(got, s.LSID)
	}
	assert.Len(t, walkUniq(t, got), 50)
	assert.Len(t, got, 50, "each once")
	assert.Less(t, f.requests, 160)

	// One window of 2,000 sessions over a 200-item limit: streamed, not
	// split; the first item arrives before the answer is over.
	ends = nil
	for i := range 2000 {
		ends = append(ends, walkT0.Add(time.Duration(i)*time.Minute))
	}
	busy := &walkFake{ends: ends}
	wk = walkSessions(walkT0, walkT0.Add(2000*time.Minute))
	wk.Start, wk.Target, wk.Limit = 2000*time.Minute, 100, Limit{Items: 200}
	got = got[:0]
	for s, err := range wk.Stream(context.Background(), func(ctx context.Context, w Window) iter.Seq2[*Session, error] {
		answer := busy.fetch(ctx, w)
		return func(yield func(*Session, error) bool) {
			for s, err := range answer {
				if !yield(s, err) {
					return
				}
				if len(got) == 0 {
					panic("the first item was not yielded before the answer went on")
				}
			}
		}
	}, nil) {
		require.NoError(t, err)
		got = append(got, s.LSID)
	}
	assert.Len(t, got, 2000)
	assert.Len(t, walkUniq(t, got), 2000)
	assert.Equal(t, 1, busy.requests, "never asked again in halves")
}
