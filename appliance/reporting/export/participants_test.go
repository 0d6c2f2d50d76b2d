package export

import (
	"fmt"
	"testing"

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

// Events resolves every event's participants through Session.Participants
// (a map), which gives what Participant (a scan of the lists) gives: the
// time in proportion to the session (issue 18, item 13) is a benchmark,
// not a timed test: BenchmarkEventsParticipants, 10,000 and 40,000.
func TestEventsParticipants(t *testing.T) {
	s := crowded(3)
	s.Customers = []reporting.Customer{{GSNumber: "2", Hostname: "HOST"}, {GSNumber: "9", Hostname: "PC"}}
	who := s.Participants()
	for _, gs := range []string{"1", "2", "9", "0", "x", ""} {
		assert.Equal(t, s.Participant(gs), who.Of(gs), gs)
	}
	s.Events[0].PerformedBy.GSNumber, s.Events[0].Destination.GSNumber = "9", "1"
	rows := Events(s)
	assert.Equal(t, "PC", rows[0].Performer)
	assert.Equal(t, "rep0", rows[0].Destination)
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
