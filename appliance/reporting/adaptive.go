package reporting

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"time"
)

// Defaults of a Walker.
const (
	DefaultStartWindow = time.Hour
	DefaultMaxWindow   = 30 * 24 * time.Hour
	DefaultTarget      = 1000 // items a window aims at
)

// ErrSplit is what a Walker's window yields, instead of its next item, when
// the answer went over the Walker's Limit: the consumer drops what it took
// of that window (rolls its transaction back) and returns the error; the
// Walker then asks for the two halves of the window instead.
var ErrSplit = errors.New("the window's answer is over the limit; it is asked again in halves")

// Limit bounds one answer. A window whose answer goes over any of them is
// cut short and asked again in halves, down to windows of one second,
// which are taken whatever their size. Zero fields do not bound.
type Limit struct {
	Items int           // items in one answer
	Bytes int64         // bytes of one answer, as counted by Walker.Size
	Time  time.Duration // time taken by one answer, from request to last item
}

// Walker asks for the windows of a range with sizes that follow the
// answers, so that the number of requests grows with the number of items,
// not with the length of the range: a window with fewer than Target/2
// items doubles the next one (up to Max), a window with more than Target
// halves it, and a window over Limit is asked again in halves. Windows are
// contiguous whatever their sizes, so the edge deduplication (an item on
// the last second of a window may come back in the next) keeps working.
//
// The zero Walker is not usable: set at least Report, From and To.
type Walker[T any] struct {
	Report   Report
	Ended    bool      // end_time windows (closed sessions) rather than start_time
	From, To time.Time // the range, [From, To), in whole seconds

	Start  time.Duration // the first window; 0: DefaultStartWindow
	Max    time.Duration // the widest window; 0: DefaultMaxWindow
	Fixed  bool          // every window is Start long (still split when over Limit)
	Target int           // items a window aims at; 0: DefaultTarget
	Limit  Limit         // the bound of one answer; zero: 4 × Target items

	// ID names an item for the edge deduplication; nil: no deduplication.
	ID func(*T) string
	// Edge says whether an item may come back in the next window; nil: all
	// may (OnEdge is the one for sessions).
	Edge func(*T, Window) bool
	// Size is an item's bytes, for Limit.Bytes; nil: bytes are not counted.
	Size func(*T) int64
	// Now is the clock of Limit.Time; nil: time.Now.
	Now func() time.Time
	// Taken are the ids a walk that ended at From already took on its last
	// window's edge; the first window drops them as it would its own.
	Taken []string
}

// Progress says how far a walk is, after each committed window.
type Progress struct {
	Window   Window
	Items    int     // items the window held (edge duplicates dropped)
	Total    int     // items of the walk so far
	Requests int     // requests sent so far, halved windows included
	Windows  int     // windows committed so far
	Covered  float64 // share of the range covered, 0 to 1
}

// Fetch asks for one window.
type Fetch[T any] func(ctx context.Context, w Window) iter.Seq2[*T, error]

// Commit takes the items of one window, deduplicated, and keeps them: it
// ranges over items and returns the first error it yields (ErrSplit
// included, after dropping what it took), or its own. It is called once
// per window asked, so a window asked again in halves is committed by its
// halves only.
type Commit[T any] func(w Window, items iter.Seq2[*T, error]) error

func (wk *Walker[T]) defaults() Walker[T] {
	c := *wk
	if c.Start <= 0 {
		c.Start = DefaultStartWindow
	}
	if c.Max <= 0 {
		c.Max = DefaultMaxWindow
	}
	c.Max = max(c.Max, c.Start)
	if c.Target <= 0 {
		c.Target = DefaultTarget
	}
	if c.Limit == (Limit{}) {
		c.Limit.Items = 4 * c.Target
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Walk asks for every window of the range in order and hands each to
// commit, stopping at the first error; progress, when not nil, hears of
// each committed window. An error names the window it happened in.
func (wk *Walker[T]) Walk(ctx context.Context, fetch Fetch[T], commit Commit[T], progress func(Progress)) error {
	c := wk.defaults()
	from, to := c.From.Truncate(time.Second), c.To.Truncate(time.Second)
	if !to.After(from) {
		return nil
	}
	size := c.Start.Truncate(time.Second)
	if size < time.Second {
		return fmt.Errorf("window %s is shorter than a second", c.Start)
	}
	var p Progress
	prevEdge := map[string]struct{}{} // ids on the last second of the last committed window
	for _, id := range c.Taken {
		prevEdge[id] = struct{}{}
	}
	for t := from; t.Before(to); {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := t.Add(size)
		if end.After(to) {
			end = to
		}
		w := c.window(t, end)
		p.Requests++
		n, took, edge, err := c.one(ctx, w, prevEdge, fetch, commit)
		if errors.Is(err, ErrSplit) && end.Sub(t) > time.Second {
			size = (end.Sub(t) / 2).Truncate(time.Second)
			continue // the first half, from the same start and edge
		}
		if err != nil {
			return fmt.Errorf("window %s to %s: %w", t.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), err)
		}
		prevEdge = edge
		p.Window, p.Items, p.Total, p.Windows = w, n, p.Total+n, p.Windows+1
		p.Covered = float64(end.Sub(from)) / float64(to.Sub(from))
		if progress != nil {
			progress(p)
		}
		size = c.next(end.Sub(t), n, took)
		t = end
	}
	return nil
}

// next sizes the window after one of length d that held n items and took
// as long to answer: an answer that took over half Limit.Time narrows the
// next window as a large one does.
func (c *Walker[T]) next(d time.Duration, n int, took time.Duration) time.Duration {
	slow := c.Limit.Time > 0 && took > c.Limit.Time/2
	switch {
	case c.Fixed:
		return c.Start.Truncate(time.Second)
	case slow:
		return max(d/2, time.Second).Truncate(time.Second)
	case n < c.Target/2:
		return min(2*d, c.Max)
	case n > c.Target:
		return max(d/2, time.Second).Truncate(time.Second)
	}
	return d
}

func (c *Walker[T]) window(from, to time.Time) Window {
	q := StartedBetween(c.Report, from, to)
	if c.Ended {
		q = EndedBetween(c.Report, from, to)
	}
	return Window{From: from, To: to, Query: q}
}

// one asks for window w and commits it; it returns the number of items
// committed and the ids on the window's edge.
func (c *Walker[T]) one(ctx context.Context, w Window, prevEdge map[string]struct{}, fetch Fetch[T], commit Commit[T]) (int, time.Duration, map[string]struct{}, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // a window cut short stops its request
	started := c.Now()
	splittable := w.To.Sub(w.From) > time.Second
	n, bytes, over := 0, int64(0), false
	edge := map[string]struct{}{}
	items := func(yield func(*T, error) bool) {
		for v, err := range fetch(ctx, w) {
			if err != nil {
				yield(nil, err)
				return
			}
			if c.ID != nil {
				id := c.ID(v)
				if _, dup := prevEdge[id]; dup {
					continue
				}
				if c.Edge == nil || c.Edge(v, w) {
					edge[id] = struct{}{}
				}
			}
			n++
			if c.Size != nil {
				bytes += c.Size(v)
			}
			if splittable && c.over(n, bytes, c.Now().Sub(started)) {
				over = true
				yield(nil, ErrSplit)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
	err := commit(w, items)
	if over && err == nil {
		// The consumer kept part of a window it was told to drop.
		return n, 0, nil, fmt.Errorf("the window was over the limit and its consumer did not return %w", ErrSplit)
	}
	return n, c.Now().Sub(started), edge, err
}

func (c *Walker[T]) over(n int, bytes int64, took time.Duration) bool {
	l := c.Limit
	return (l.Items > 0 && n > l.Items) || (l.Bytes > 0 && bytes > l.Bytes) || (l.Time > 0 && took > l.Time)
}

// All walks the range and yields every item once, window by window. A
// window's items are held until its answer is complete and within Limit,
// so nothing is yielded twice when a window is asked again in halves;
// memory is bounded by Limit.
func (wk *Walker[T]) All(ctx context.Context, fetch Fetch[T], progress func(Progress)) iter.Seq2[*T, error] {
	return wk.yieldAll(ctx, fetch, progress, true)
}

// Stream walks the range as All does, but yields each item as it
// arrives, so memory stays that of one item whatever a window holds. What
// was yielded cannot be taken back, so a window is never asked again in
// halves and Limit does not apply; the windows still widen over quiet
// times and narrow over busy ones, so the requests still grow with the
// items, not with the range. For exports and listings that write as they
// read; All (or Walk) where an answer must be bounded.
func (wk *Walker[T]) Stream(ctx context.Context, fetch Fetch[T], progress func(Progress)) iter.Seq2[*T, error] {
	c := *wk
	c.Limit = Limit{Items: math.MaxInt}
	return c.yieldAll(ctx, fetch, progress, false)
}

// yieldAll walks the range and yields its items: with hold, a window's
// items once its answer is complete (All); without, each as it arrives
// (Stream).
func (wk *Walker[T]) yieldAll(ctx context.Context, fetch Fetch[T], progress func(Progress), hold bool) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		stopped := errors.New("stopped")
		err := wk.Walk(ctx, fetch, func(w Window, items iter.Seq2[*T, error]) error {
			var held []*T
			for v, err := range items {
				if err != nil {
					return err
				}
				if hold {
					held = append(held, v)
				} else if !yield(v, nil) {
					return stopped
				}
			}
			for _, v := range held {
				if !yield(v, nil) {
					return stopped
				}
			}
			return nil
		}, progress)
		if err != nil && !errors.Is(err, stopped) {
			yield(nil, err)
		}
	}
}
