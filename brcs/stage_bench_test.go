package brcs

import (
	"os"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/brcs-toolkit/brcs/grammar"
)

func BenchmarkStageGrammar(b *testing.B) {
	src, _ := os.ReadFile("../testdata/bench/typical.brcs-support")
	s := string(src)
	b.ReportAllocs()
	for b.Loop() {
		grammar.Parse("x", s)
	}
}

func BenchmarkStageBuild(b *testing.B) {
	src, _ := os.ReadFile("../testdata/bench/typical.brcs-support")
	f, _ := grammar.Parse("x", string(src))
	b.ReportAllocs()
	for b.Loop() {
		build("x", string(src), f, NoTemplate)
	}
}

func BenchmarkStageValidate(b *testing.B) {
	src, _ := os.ReadFile("../testdata/bench/typical.brcs-support")
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
	src, _ := os.ReadFile("../testdata/bench/typical.brcs-support")
	s := string(src)
	b.ReportAllocs()
	for b.Loop() {
		l, _ := grammar.Lexer{}.LexString("x", s)
		lexer.Upgrade(l)
	}
}

// BenchmarkStageLex is the hand-written lexer alone over the typical script.
func BenchmarkStageLex(b *testing.B) {
	src, _ := os.ReadFile("../testdata/bench/typical.brcs-support")
	s := string(src)
	b.ReportAllocs()
	for b.Loop() {
		l, _ := grammar.Lexer{}.LexString("x", s)
		for t, _ := l.Next(); !t.EOF(); t, _ = l.Next() {
		}
	}
}
