package brcs

import (
	"os"
	"testing"

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
