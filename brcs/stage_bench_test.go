package brcs

import (
	"os"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/brcs-toolkit/brcs/grammar"
)

// TypicalScript is the shared benchmark corpus: a header and 10 commands
// as a help desk would write them. A test file's, so exported to the
// benchmarks of brcs_test only.
func TypicalScript(b *testing.B) []byte {
	b.Helper()
	src, err := os.ReadFile("../testdata/bench/typical.brcs-support")
	if err != nil {
		b.Fatal(err)
	}
	return src
}

func BenchmarkStageGrammar(b *testing.B) {
	s := string(TypicalScript(b))
	b.ReportAllocs()
	for b.Loop() {
		grammar.Parse("x", s)
	}
}

func BenchmarkStageBuild(b *testing.B) {
	src := TypicalScript(b)
	f, _ := grammar.Parse("x", string(src))
	b.ReportAllocs()
	for b.Loop() {
		build("x", string(src), f, NoTemplate)
	}
}

func BenchmarkStageValidate(b *testing.B) {
	src := TypicalScript(b)
	s, _ := Parse("x", src, Options{})
	cat, _ := LookupProfile("")
	b.ReportAllocs()
	for b.Loop() {
		Validate(s, cat)
	}
}

// BenchmarkStageUpgrade is participle's lexer.Upgrade over the typical
// script alone: the token slice participle builds one append at a time,
// the floor under any parse through participle.
func BenchmarkStageUpgrade(b *testing.B) {
	s := string(TypicalScript(b))
	b.ReportAllocs()
	for b.Loop() {
		l, _ := grammar.Lexer{}.LexString("x", s)
		lexer.Upgrade(l)
	}
}

// BenchmarkStageLex is the hand-written lexer alone over the typical script.
func BenchmarkStageLex(b *testing.B) {
	s := string(TypicalScript(b))
	b.ReportAllocs()
	for b.Loop() {
		l, _ := grammar.Lexer{}.LexString("x", s)
		for t, _ := l.Next(); !t.EOF(); t, _ = l.Next() {
		}
	}
}
