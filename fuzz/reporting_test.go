package fuzz

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/xmlcheck"
)

func reportSeeds(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob("../appliance/reporting/testdata/*.xml")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.Replace(b, []byte("NSDECL"), []byte(`xmlns="http://www.bomgar.com/namespaces/API/reporting"`), 1))
	}
	f.Add([]byte(`<error>No Support report information matching your chosen criteria is available.</error>`))
	// Shapes an export could lose: what list elements and times hold
	// besides their items, unknown elements with children.
	f.Add([]byte(`<session_list><session lsid="c69a8e10bea9428f816cfababe9815fe" x="1"><start_time timestamp="1" id="2">t<tz>UTC</tz></start_time>` +
		`<rep_list scope="all">stray<representative gsnumber="1"><username>u</username></representative><other a="b">c</other></rep_list>` +
		`<session_details><event timestamp="1"><data><value name="a" value="b"/><vaXlue name="c"/></data><files><file><filename>f</filename><filesize>1</filesize></file></files></event></session_details>` +
		`<future a="1"><b c="2">three &amp; <d>four</d></b></future></session></session_list>`))
	f.Add([]byte(`<session_list><session lsid="c69a8e10bea9428f816cfababe9815fe"><session_details><event timestamp="x"><encoded_body>%%%</encoded_body></event></session_details></session></session_list>`))
}

// losesNothing fails t when an answer that decoded whole into items
// exports without one of its values (see xmlcheck).
func losesNothing[T any](t *testing.T, b []byte, item string, items []*T) {
	t.Helper()
	js, err := json.Marshal(items)
	if err != nil {
		t.Fatalf("decoded items do not export: %v", err)
	}
	lost, err := xmlcheck.Lost(b, item, js)
	if err != nil {
		return // what encoding/xml's tokenizer refuses is not an answer
	}
	if len(lost) > 0 {
		t.Fatalf("the export lost %q", lost)
	}
}

// decodeAll is every item of seq, and whether the whole answer decoded.
func decodeAll[T any](seq func(func(*T, error) bool)) ([]*T, bool) {
	var out []*T
	for v, err := range seq {
		if err != nil {
			return out, false
		}
		out = append(out, v)
	}
	return out, true
}

// FuzzDecodeSessionList: the AccessSession, Listing and Summary decoders
// never panic, stop within the per-element limit, and whatever they accept
// exports as JSON that holds every value and attribute of the answer's
// items.
func FuzzDecodeSessionList(f *testing.F) {
	reportSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var dropped reporting.Dropped
		o := reporting.Options{MaxElementBytes: 4096, Dropped: &dropped}
		if ss, whole := decodeAll(reporting.Sessions(bytes.NewReader(b), o)); whole && dropped.Total() == 0 {
			losesNothing(t, b, "session", ss)
		}
		dropped = reporting.Dropped{}
		if ls, whole := decodeAll(reporting.Listing(bytes.NewReader(b), o)); whole && dropped.Total() == 0 {
			losesNothing(t, b, "session_summary", ls)
		}
		if us, whole := decodeAll(reporting.Summaries(bytes.NewReader(b), o)); whole {
			losesNothing(t, b, "summary", us)
		}
	})
}

// FuzzDecodeTeam: the Team decoder never panics, respects the limit, and
// loses nothing of what it accepts.
func FuzzDecodeTeam(f *testing.F) {
	reportSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var w reporting.TeamWindow
		if as, whole := decodeAll(reporting.Teams(bytes.NewReader(b), reporting.Options{MaxElementBytes: 4096}, &w)); whole {
			losesNothing(t, b, "team_activity", as)
		}
	})
}
