package brcs_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brcs-toolkit/brcs/brcs"
)

// defaultProfile is the catalogue the benchmarks validate against.
func defaultProfile(b *testing.B) *brcs.Catalogue {
	b.Helper()
	cat, err := brcs.LookupProfile("")
	if err != nil {
		b.Fatal(err)
	}
	return cat
}

// check is the operation the Check benchmarks time: Parse, then Validate
// against cat, which finds nothing in a corpus that lints clean. (No
// b.Helper: it would be timed too.)
func check(b *testing.B, cat *brcs.Catalogue, name string, src []byte, opts brcs.Options) {
	s, err := brcs.Parse(name, src, opts)
	if err != nil {
		b.Fatal(err)
	}
	if ds := brcs.Validate(s, cat); len(ds) != 0 {
		b.Fatal(ds)
	}
}

// parseQueries is the baseline the Check benchmarks are held to:
// net/url.ParseQuery on each command line of n bytes of scripts
// (decoding only: no positions, no checks).
func parseQueries(b *testing.B, lines []string, n int) {
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			if _, err := url.ParseQuery(l); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkTypicalCheck is Parse+Validate of the typical script.
func BenchmarkTypicalCheck(b *testing.B) {
	src := brcs.TypicalScript(b)
	cat := defaultProfile(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		check(b, cat, "typical.brcs-support", src, brcs.Options{})
	}
}

// BenchmarkTypicalParseQuery is the baseline: net/url.ParseQuery on each
// command line of the same script (decoding only: no positions, no checks).
func BenchmarkTypicalParseQuery(b *testing.B) {
	src := brcs.TypicalScript(b)
	lines := bytes.Split(bytes.TrimSpace(src), []byte("\n"))[1:]
	strs := make([]string, len(lines))
	for i, l := range lines {
		strs[i] = string(l)
	}
	parseQueries(b, strs, len(src))
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
	cat := defaultProfile(b)
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

// smallScript is one file of the small-script corpus.
type smallScript struct {
	name string
	src  []byte
	opts brcs.Options
}

// smallScripts is the corpus of the scripts people really write, 2 to 4
// lines each: the guide's examples, login+jump+delete with \n and with
// \r\n line endings, and a template (testdata/bench/small).
func smallScripts(b *testing.B) []smallScript {
	b.Helper()
	paths, err := filepath.Glob("../testdata/bench/small/*")
	if err != nil || len(paths) == 0 {
		b.Fatal("no small-script corpus", err)
	}
	var out []smallScript
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		s := smallScript{name: filepath.Base(p), src: src}
		if strings.HasSuffix(p, ".tmpl") {
			s.opts.Template = brcs.Mustache
		}
		out = append(out, s)
	}
	return out
}

// BenchmarkSmallCheck is Parse+Validate of each script of the small-script
// corpus; one op is the whole corpus (allocations per script are allocs/op
// divided by its 7 files).
func BenchmarkSmallCheck(b *testing.B) {
	scripts := smallScripts(b)
	cat := defaultProfile(b)
	n := 0
	for _, s := range scripts {
		n += len(s.src)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for i := range scripts {
			check(b, cat, scripts[i].name, scripts[i].src, scripts[i].opts)
		}
	}
}

// BenchmarkSmallParseQuery is the baseline for BenchmarkSmallCheck:
// net/url.ParseQuery on each command line of the same scripts.
func BenchmarkSmallParseQuery(b *testing.B) {
	scripts := smallScripts(b)
	var lines []string
	n := 0
	for _, s := range scripts {
		n += len(s.src)
		for _, l := range strings.Split(strings.TrimSpace(string(s.src)), "\n")[1:] {
			lines = append(lines, strings.TrimSuffix(l, "\r"))
		}
	}
	parseQueries(b, lines, n)
}

// TestBenchCorpusIsValid holds the benchmark corpora to lint clean, so
// that the benchmarks measure the path valid scripts take.
func TestBenchCorpusIsValid(t *testing.T) {
	paths, err := filepath.Glob("../testdata/bench/small/*")
	if err != nil || len(paths) < 7 {
		t.Fatalf("small-script corpus: %v files, %v", len(paths), err)
	}
	for _, p := range append(paths, "../testdata/bench/typical.brcs-support") {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		opts := brcs.Options{}
		if strings.HasSuffix(p, ".tmpl") {
			opts.Template = brcs.Mustache
		}
		if _, ds, err := brcs.Check(p, src, opts); err != nil || len(ds) != 0 {
			t.Errorf("%s: %v %v", p, err, ds)
		}
	}
}
