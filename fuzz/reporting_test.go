package fuzz

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
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
	f.Add([]byte(`<session_list><session lsid="x"><session_details><event timestamp="x"><encoded_body>%%%</encoded_body></event></session_details></session></session_list>`))
}

// FuzzDecodeSessionList: the AccessSession, Listing and Summary decoders
// never panic, stop within the per-element limit, and whatever they accept
// can be exported as JSON.
func FuzzDecodeSessionList(f *testing.F) {
	reportSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		o := reporting.Options{MaxElementBytes: 4096}
		for s, err := range reporting.Sessions(bytes.NewReader(b), o) {
			if err != nil {
				break
			}
			if _, err := json.Marshal(s); err != nil {
				t.Fatalf("a decoded session does not export: %v", err)
			}
		}
		for s, err := range reporting.Listing(bytes.NewReader(b), o) {
			if err != nil {
				break
			}
			if s.LSID == "" && len(b) == 0 {
				t.Fatal("a session from nothing")
			}
		}
		for _, err := range reporting.Summaries(bytes.NewReader(b), o) {
			if err != nil {
				break
			}
		}
	})
}

// FuzzDecodeTeam: the Team decoder never panics and respects the limit.
func FuzzDecodeTeam(f *testing.F) {
	reportSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var w reporting.TeamWindow
		for a, err := range reporting.Teams(bytes.NewReader(b), reporting.Options{MaxElementBytes: 4096}, &w) {
			if err != nil {
				break
			}
			if _, err := json.Marshal(a); err != nil {
				t.Fatalf("a decoded team does not export: %v", err)
			}
		}
	})
}
