package brcs_test

import (
	"bytes"
	"net/url"
	"os"
	"testing"

	"github.com/brcs-toolkit/brcs/brcs"
)

// typicalScript is the shared benchmark corpus: a header and 10 commands
// as a help desk would write them.
func typicalScript(b *testing.B) []byte {
	b.Helper()
	src, err := os.ReadFile("../testdata/bench/typical.brcs-support")
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkTypicalCheck is Parse+Validate of the typical script.
func BenchmarkTypicalCheck(b *testing.B) {
	src := typicalScript(b)
	cat, err := brcs.LookupProfile("")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := brcs.Parse("typical.brcs-support", src, brcs.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if ds := brcs.Validate(s, cat); len(ds) != 0 {
			b.Fatal(ds)
		}
	}
}

// BenchmarkTypicalParseQuery is the baseline: net/url.ParseQuery on each
// command line of the same script (decoding only: no positions, no checks).
func BenchmarkTypicalParseQuery(b *testing.B) {
	src := typicalScript(b)
	lines := bytes.Split(bytes.TrimSpace(src), []byte("\n"))[1:]
	strs := make([]string, len(lines))
	for i, l := range lines {
		strs[i] = string(l)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range strs {
			if _, err := url.ParseQuery(l); err != nil {
				b.Fatal(err)
			}
		}
	}
}
