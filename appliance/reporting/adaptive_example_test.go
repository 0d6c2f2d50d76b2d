package reporting_test

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// A backfill of eleven years whose only sessions ended on one day: the
// windows widen over the empty years, so the requests follow the
// sessions, not the hours.
func ExampleWalker() {
	day := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	requests := 0
	// fetch is normally (*appliance.Client).Sessions with the window's query.
	fetch := func(ctx context.Context, w reporting.Window) iter.Seq2[*reporting.Session, error] {
		requests++
		return func(yield func(*reporting.Session, error) bool) {
			for i := range 3 {
				end := day.Add(time.Duration(i) * time.Hour)
				if !end.Before(w.From) && !end.After(w.To) { // both bounds included, as appliances do
					s := &reporting.Session{LSID: fmt.Sprintf("%032x", i), EndTime: reporting.Timestamp{Unix: end.Unix(), Valid: true}}
					if !yield(s, nil) {
						return
					}
				}
			}
		}
	}
	wk := reporting.Walker[reporting.Session]{Report: reporting.AccessSession, Ended: true,
		From: day, To: day.AddDate(11, 0, 0), Start: time.Hour,
		ID: func(s *reporting.Session) string { return s.LSID }, Edge: reporting.OnEdge}
	n := 0
	for s, err := range wk.All(context.Background(), fetch, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
		_ = s
	}
	fmt.Println(n, "sessions in", requests, "requests")
	// Output:
	// 3 sessions in 143 requests
}

// Walk hands each window's items to a commit function, which keeps them
// together with its own state (a database transaction, a cursor); a window
// over the limit is dropped by its commit and asked again in halves.
func ExampleWalker_Walk() {
	start := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	// 40 sessions, one every 15 minutes from 08:00.
	fetch := func(ctx context.Context, w reporting.Window) iter.Seq2[*reporting.Session, error] {
		return func(yield func(*reporting.Session, error) bool) {
			for i := range 40 {
				end := start.Add(8*time.Hour + time.Duration(i)*15*time.Minute)
				if !end.Before(w.From) && !end.After(w.To) {
					if !yield(&reporting.Session{LSID: fmt.Sprintf("%032x", i), EndTime: reporting.Timestamp{Unix: end.Unix(), Valid: true}}, nil) {
						return
					}
				}
			}
		}
	}
	wk := reporting.Walker[reporting.Session]{Report: reporting.AccessSession, Ended: true, From: start, To: start.Add(24 * time.Hour),
		Start: 4 * time.Hour, Target: 8, Limit: reporting.Limit{Items: 12},
		ID: func(s *reporting.Session) string { return s.LSID }, Edge: reporting.OnEdge}
	kept := 0
	err := wk.Walk(context.Background(), fetch, func(w reporting.Window, items iter.Seq2[*reporting.Session, error]) error {
		n := 0
		for _, err := range items {
			if err != nil {
				return err // reporting.ErrSplit included: nothing of this window is kept
			}
			n++
		}
		kept += n // commit: the window's items and a cursor at w.To
		return nil
	}, func(p reporting.Progress) {
		fmt.Printf("%s-%s %2d sessions, %3.0f%% covered, %d requests\n", p.Window.From.Format("15:04"), p.Window.To.Format("15:04"), p.Items, 100*p.Covered, p.Requests)
	})
	fmt.Println(kept, err)
	// Output:
	// 00:00-04:00  0 sessions,  17% covered, 1 requests
	// 04:00-08:00  1 sessions,  33% covered, 3 requests
	// 08:00-10:00  8 sessions,  42% covered, 6 requests
	// 10:00-12:00  8 sessions,  50% covered, 7 requests
	// 12:00-14:00  8 sessions,  58% covered, 8 requests
	// 14:00-16:00  8 sessions,  67% covered, 9 requests
	// 16:00-18:00  7 sessions,  75% covered, 10 requests
	// 18:00-20:00  0 sessions,  83% covered, 11 requests
	// 20:00-00:00  0 sessions, 100% covered, 12 requests
	// 40 <nil>
}
