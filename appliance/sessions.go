package appliance

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// LSIDsPerRequest bounds the lsids= list of one AccessSession request;
// the guide states no maximum.
const LSIDsPerRequest = 100

// ByLSIDOptions tune SessionsByLSID.
type ByLSIDOptions struct {
	// Options decode each session.
	reporting.Options
	// PerRequest is the most lsids asked for in one request; 0 is
	// LSIDsPerRequest.
	PerRequest int
	// Dropped, when not nil, is told of each session the appliance sent
	// that was not asked for (another lsid, or one it already sent) and
	// that was dropped: lsid as the appliance wrote it (outside text, to
	// escape before showing), and why, in words.
	Dropped func(lsid, why string)
}

// SessionsByLSID streams the AccessSession sessions of lsids, asking for
// them in requests of at most o.PerRequest. Every lsid is checked
// (CheckLSID) before anything is sent, and one given twice is asked for
// once. The answer is held to the question: each session asked for is
// yielded at most once, and a session that was not asked for (another
// lsid, a second copy) is dropped and reported to o.Dropped. A session
// the appliance does not return is simply absent.
func (c *Client) SessionsByLSID(ctx context.Context, lsids []string, o ByLSIDOptions) iter.Seq2[*reporting.Session, error] {
	return func(yield func(*reporting.Session, error) bool) {
		asked := make(map[string]bool, len(lsids))   // every lsid asked for
		pending := make(map[string]bool, len(lsids)) // those not yet yielded
		var ids []string
		for _, id := range lsids {
			if err := CheckLSID(id); err != nil {
				yield(nil, err)
				return
			}
			if !asked[id] {
				asked[id], pending[id] = true, true
				ids = append(ids, id)
			}
		}
		per := o.PerRequest
		if per <= 0 {
			per = LSIDsPerRequest
		}
		opts := o.Options
		var dropped reporting.Dropped // what the decoder left out, to say
		opts.Dropped = &dropped
		for chunk := range slices.Chunk(ids, per) {
			more := c.Sessions(ctx, reporting.ByLSIDs(chunk...), opts)
			for s, err := range more {
				if err != nil {
					yield(nil, err)
					return
				}
				if !pending[s.LSID] {
					if o.Dropped != nil {
						why := "the appliance sent it, but it was not asked for"
						if asked[s.LSID] {
							why = "the appliance sent it twice; the first copy is kept"
						}
						o.Dropped(s.LSID, why)
					}
					continue
				}
				delete(pending, s.LSID)
				if !yield(s, nil) {
					return
				}
			}
			o.tell(&dropped)
		}
	}
}

// SplitLSIDs reads lists of lsids as people give them: each value one
// lsid or several separated by commas, spaces around them and empty
// entries dropped. It does not check them (CheckLSID; SessionsByLSID
// does).
func SplitLSIDs(values ...string) []string {
	var out []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// tell passes on what the decoder dropped from one answer (copies of a
// session within it) to the caller's Dropped and counter, and resets d.
func (o ByLSIDOptions) tell(d *reporting.Dropped) {
	if o.Dropped != nil {
		for _, id := range d.DuplicateLSIDs {
			o.Dropped(id, "the appliance sent it twice; the first copy is kept")
		}
		if n := d.Duplicates - len(d.DuplicateLSIDs); n > 0 {
			o.Dropped("", fmt.Sprintf("%d more copies of sessions in one answer; the first copies are kept", n))
		}
	}
	if o.Options.Dropped != nil {
		o.Options.Dropped.Duplicates += d.Duplicates
		o.Options.Dropped.OutsideWindow += d.OutsideWindow
	}
	*d = reporting.Dropped{}
}
