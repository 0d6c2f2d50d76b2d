package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

// peakHeap samples the heap every 10 ms while f runs and returns the
// highest values seen of two measures: the heap's objects, garbage not
// yet swept included (what the process holds at worst), and the heap the
// last garbage collection found live (what the code retains).
func peakHeap(f func()) (objects, live uint64) {
	runtime.GC()
	var peakObjects, peakLive atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peakObjects.Load() {
				peakObjects.Store(v)
			}
			if v := s[1].Value.Uint64(); v > peakLive.Load() {
				peakLive.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peakObjects.Load(), peakLive.Load()
}

// BenchmarkPeakHeap streams N generated sessions (10 events each) from the
// TLS stand-in through "report sessions" to JSON Lines and reports the
// peak live heap of the process, stand-in included. Memory must not grow
// with N: run with -benchtime 1x and compare the two sizes.
func BenchmarkPeakHeap(b *testing.B) {
	for _, n := range []int{20000, 200000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			r := newReportRig(b)
			start := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
			r.s.Update(func(d *appliancetest.Data) {
				d.Reports.Generated = &appliancetest.Generated{N: n, Start: start, Step: time.Minute, Events: 10}
			})
			until := start.Add(time.Duration(n+1) * time.Minute).Format(time.RFC3339)
			var peak, live uint64
			for b.Loop() {
				p, l := peakHeap(func() {
					e := cliutil.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Now: time.Now}
					args := append(append([]string(nil), r.base...), "report", "sessions", "--since", start.Format(time.RFC3339), "--until", until, "--window", "100000h")
					if code := Main(args, e); code != 0 {
						b.Fatalf("exit %d", code)
					}
				})
				peak, live = max(peak, p), max(live, l)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(live)/(1<<20), "peak-live-MiB")
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sessions/s")
		})
	}
}
