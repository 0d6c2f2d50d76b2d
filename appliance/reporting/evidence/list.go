package evidence

import (
	"iter"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// Row is one session of a ticket as a list shows it. Its fields are in
// the order of their JSON keys, sorted, as a map of them would print.
type Row struct {
	// End is when the session ended, RFC 3339 in UTC; "" while it runs
	// (or when it closed abnormally).
	End          string `json:"end,omitempty"`
	HasRecording bool   `json:"has_recording"`
	// Host is the primary customer's name, Rep the primary
	// representative's: values from outside, to escape before showing.
	Host string `json:"host"`
	LSID string `json:"lsid"`
	Rep  string `json:"rep"`
	// Shells is the number of command shell recordings listed.
	Shells int `json:"shells"`
	// Start is when the session started, RFC 3339 in UTC; "" when the
	// report gives no time.
	Start string `json:"start,omitempty"`
}

// RowOf is the row of session s.
func RowOf(s *reporting.Session) Row {
	r := Row{LSID: s.LSID, HasRecording: s.HasRecording(), Shells: len(s.ShellRecordings)}
	if s.PrimaryCustomer != nil {
		r.Host = s.PrimaryCustomer.Name
	}
	if s.PrimaryRep != nil {
		r.Rep = s.PrimaryRep.Name
	}
	if s.StartTime.Valid {
		r.Start = s.StartTime.Time().Format(time.RFC3339)
	}
	if s.EndTime.Valid {
		r.End = s.EndTime.Time().Format(time.RFC3339)
	}
	return r
}

// List streams the rows of sessions (from Find, or from an archive),
// each session once: one whose lsid is not one, or that comes again, is
// dropped and said (Options.Warn), as Write drops it from a folder. It
// stops at the first error of sessions.
func List(sessions iter.Seq2[*reporting.Session, error], o Options) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		seen := map[string]bool{}
		for s, err := range sessions {
			if err != nil {
				yield(Row{}, err)
				return
			}
			if leftOut(s, seen) != "" { // said as brcsapi ticket always said it
				o.warn("session %s: not a session ID, or a second copy; dropped", shownLSID(s.LSID))
				continue
			}
			if !yield(RowOf(s), nil) {
				return
			}
		}
	}
}
