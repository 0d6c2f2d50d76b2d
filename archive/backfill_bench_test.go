package archive

import (
	"context"
	"iter"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/time/rate"

	brcs "github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// BenchmarkBackfill measures a first `archive sync` against the TLS
// stand-in: the requests it sends and its wall time (the client's rate
// limit lifted, so the time is the work; at the appliance's 20 requests a
// second, add requests/20 seconds), adaptive beside fixed 1-hour windows,
// then the requests of a second sync an hour later.
//
//	sparse: 11 years holding 50 sessions, all in March 2015
//	busy:   one month holding 50,000 generated sessions (10 events each)
//
// The fixed 1-hour backfill of 11 years sends 96,432 requests; it runs
// only with BRCS_BENCH_FULL=1, since it takes minutes.
func BenchmarkBackfill(b *testing.B) {
	sparse := &appliancetest.Generated{N: 50, Start: t0, Step: 13 * time.Hour, Events: 10}
	busy := &appliancetest.Generated{N: 50000, Start: t0, Step: 31 * 24 * time.Hour / 50000, Events: 10}
	for _, c := range []struct {
		name string
		gen  *appliancetest.Generated
		span time.Duration
	}{
		{"sparse", sparse, t0.AddDate(11, 0, 0).Sub(t0)},
		{"busy", busy, 31 * 24 * time.Hour},
	} {
		for _, fixed := range []bool{false, true} {
			name := c.name + "/adaptive"
			if fixed {
				name = c.name + "/fixed-1h"
			}
			b.Run(name, func(b *testing.B) {
				if fixed && c.name == "sparse" && os.Getenv("BRCS_BENCH_FULL") == "" {
					b.Skip("96,432 requests, minutes: set BRCS_BENCH_FULL=1 to run it")
				}
				s := appliancetest.NewTLS("support")
				defer s.Close()
				s.Update(func(d *appliancetest.Data) { d.Reports.Generated = c.gen })
				cl, err := brcs.New(s.URL, brcs.UserPassword{Username: "test", Password: "test"},
					brcs.Options{CACertsPEM: s.CACertPEM(), Limiter: rate.NewLimiter(rate.Inf, 1)})
				if err != nil {
					b.Fatal(err)
				}
				src := func(ctx context.Context, q reporting.Query) iter.Seq2[*reporting.Session, error] {
					return cl.Sessions(ctx, q, reporting.Options{})
				}
				for b.Loop() {
					a, err := Open(context.Background(), filepath.Join(b.TempDir(), "a.db"))
					if err != nil {
						b.Fatal(err)
					}
					o := SyncOptions{Since: t0, Until: t0.Add(c.span), Window: time.Hour, Fixed: fixed}
					start := time.Now()
					res, err := a.Sync(context.Background(), src, o)
					if err != nil {
						b.Fatal(err)
					}
					took := time.Since(start)
					if res.Sessions != c.gen.N {
						b.Fatalf("%d sessions archived, want %d", res.Sessions, c.gen.N)
					}
					o.Until = o.Until.Add(time.Hour)
					again, err := a.Sync(context.Background(), src, o)
					if err != nil {
						b.Fatal(err)
					}
					a.Close()
					b.ReportMetric(float64(res.Requests), "requests")
					b.ReportMetric(took.Seconds(), "wall-s")
					b.ReportMetric(float64(res.Requests)/brcs.DefaultRate, "s-at-20/s")
					b.ReportMetric(float64(again.Requests), "second-sync-requests")
				}
			})
		}
	}
}
