package export

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// crowded is a session of n representatives and n events whose gsnumbers
// match none of them: the worst case of resolving by scanning the lists.
func crowded(n int) *reporting.Session {
	s := &reporting.Session{LSID: "c69a8e10bea9428f816cfababe9815fe"}
	for i := range n {
		s.Representatives = append(s.Representatives, reporting.Representative{GSNumber: fmt.Sprint(i + 1), Username: fmt.Sprint("rep", i)})
		s.Events = append(s.Events, reporting.Event{Type: "Chat Message",
			PerformedBy: &reporting.Party{GSNumber: fmt.Sprint("x", i)}, Destination: &reporting.Party{GSNumber: fmt.Sprint("y", i)}})
	}
	return s
}

// fastest is the shortest of a few runs of f.
func fastest(f func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 5 {
		start := time.Now()
		f()
		best = min(best, time.Since(start))
	}
	return best
}

// Resolving every event's participants takes time in proportion to the
// session: four times the input, not sixteen times the time (issue 18,
// item 13). BenchmarkEventsParticipants shows the figures.
func TestEventsParticipantsLinear(t *testing.T) {
	small, large := crowded(2000), crowded(8000)
	ts := fastest(func() { Events(small) })
	tl := fastest(func() { Events(large) })
	t.Logf("2,000: %s, 8,000: %s (%.1f times)", ts, tl, float64(tl)/float64(ts))
	assert.Less(t, float64(tl)/float64(ts), 10.0, "4 times the input took %s against %s", tl, ts)
	// The resolution itself is Participant's.
	s := crowded(3)
	s.Customers = []reporting.Customer{{GSNumber: "2", Hostname: "HOST"}, {GSNumber: "9", Hostname: "PC"}}
	who := s.Participants()
	for _, gs := range []string{"1", "2", "9", "0", "x", ""} {
		assert.Equal(t, s.Participant(gs), who.Of(gs), gs)
	}
}

func BenchmarkEventsParticipants(b *testing.B) {
	for _, n := range []int{10000, 40000} {
		s := crowded(n)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			for b.Loop() {
				Events(s)
			}
		})
	}
}
