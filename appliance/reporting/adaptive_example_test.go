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
