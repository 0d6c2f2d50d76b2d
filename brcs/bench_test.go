package brcs_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"slices"
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

// manyKeys is one command with n distinct custom fields after a filter,
// the last one given twice: the shape of a hostile 748 KB command.
func manyKeys(n int) []byte {
	var b bytes.Buffer
	b.WriteString("BRCS1.0\naction=start_jump_item_session&client.hostname=A")
	for i := range n {
		fmt.Fprintf(&b, "&session.custom.k%d=", i)
	}
	fmt.Fprintf(&b, "&session.custom.k%d=", n-1)
	return b.Bytes()
}

// BenchmarkDuplicateKeys validates one command of 1,000 to 33,000 keys.
// The ns/key figure stays flat when the duplicate check is linear; it grew
// with the number of keys (2 s for 33,000) when each key was compared with
// every one before it.
func BenchmarkDuplicateKeys(b *testing.B) {
	cat, err := brcs.LookupProfile("")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 4000, 16000, 33000} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			s, err := brcs.Parse("many.brcs-support", manyKeys(n), brcs.Options{})
			if err != nil {
				b.Fatal(err)
			}
			dup := false
			for b.Loop() {
				ds := brcs.Validate(s, cat)
				dup = slices.ContainsFunc(ds, func(d brcs.Diagnostic) bool { return d.Rule == brcs.RuleDuplicateKey })
			}
			if !dup {
				b.Fatal("the duplicate key was not found")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
		})
	}
}
