package progress_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/brcs-toolkit/brcs/internal/progress"
)

// clock is a clock the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLineShapes(t *testing.T) {
	c := &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	bar := progress.New(nil, "importing", progress.Options{Total: 4, Now: c.now})
	bar.Set(2)
	assert.Equal(t, "importing [###############               ] 2/4", bar.String())

	mb := progress.New(nil, "backup", progress.Options{Bytes: true, Now: c.now})
	mb.Set(2_500_000)
	c.t = c.t.Add(2 * time.Second)
	assert.Equal(t, "backup 2.5 MB, 1.2 MB/s", mb.String())

	rows := progress.New(nil, "", progress.Options{Total: 10, Unit: "rows", Now: c.now})
	rows.Set(5)
	assert.Equal(t, "[###############               ] 5/10 rows", rows.String())
	c.t = c.t.Add(time.Second)
	assert.Equal(t, "[###############               ] 5/10 rows, 5 rows/s", rows.String())

	r := progress.New(nil, "archive sync", progress.Options{Unit: "sessions", Range: true, Now: c.now})
	r.Cover(1.5) // held to the range
	r.Set(3)
	assert.Equal(t, "archive sync 3 sessions, 100% of the range", r.String())
	c.t = c.t.Add(3 * time.Second)
	assert.Equal(t, "archive sync 3 sessions, 100% of the range, 1 sessions/s", r.String())
}

func TestLineDrawsAtMostEvery100msAndEnds(t *testing.T) {
	c := &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var b strings.Builder
	l := progress.New(&b, "rows", progress.Options{Total: 1000, Now: c.now})
	l.Set(1)
	l.Set(2) // too soon: not drawn
	c.t = c.t.Add(100 * time.Millisecond)
	l.Set(3)
	l.Set(1000) // the total is always drawn
	assert.Equal(t, 3, strings.Count(b.String(), "\r"), "%q", b.String())
	assert.NotContains(t, b.String(), " 2/1000")
	l.Done()
	assert.True(t, strings.HasSuffix(b.String(), "] 1000/1000\n"), "%q", b.String())
}

func TestShorterLineBlanksTheRest(t *testing.T) {
	c := &clock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var b strings.Builder
	l := progress.New(&b, "x", progress.Options{Unit: "rows", Now: c.now})
	c.t = c.t.Add(time.Second)
	l.Set(1000) // x 1000 rows, 1000 rows/s
	c.t = c.t.Add(2 * time.Second)
	b.Reset()
	l.Set(1001) // x 1001 rows, 334 rows/s: one character shorter
	assert.Equal(t, "\rx 1001 rows, 334 rows/s ", b.String())
}

func TestNilWriterDrawsNothing(t *testing.T) {
	l := progress.New(nil, "quiet", progress.Options{})
	n, err := l.Write(make([]byte, 10))
	assert.NoError(t, err)
	assert.Equal(t, 10, n)
	l.Done() // no panic, nothing to end
	assert.Equal(t, "quiet 10/0", l.String())
}

func ExampleNew() {
	var stderr strings.Builder // a terminal, in a real command
	bar := progress.New(&stderr, "importing", progress.Options{Total: 3})
	for i := 1; i <= 3; i++ {
		bar.Set(int64(i)) // 1 is drawn, 2 is too soon, 3 is the total
	}
	bar.Done()
	fmt.Printf("%q\n", stderr.String())
	// Output:
	// "\rimporting [##########                    ] 1/3\rimporting [##############################] 3/3\rimporting [##############################] 3/3\n"
}
