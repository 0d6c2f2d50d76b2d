package grammar_test

import (
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/grammar"
)

func lex(t *testing.T, s string) []lexer.Token {
	t.Helper()
	l, err := grammar.Lexer{}.LexString("f", s)
	require.NoError(t, err)
	var out []lexer.Token
	for {
		tok, err := l.Next()
		require.NoError(t, err)
		if tok.EOF() {
			return out
		}
		out = append(out, tok)
	}
}

func TestLexerTokensAreTheEBNFUnits(t *testing.T) {
	toks := lex(t, "BRCS1.0\r\naction=x&k=a=b\rz")
	var got []string
	for _, tok := range toks {
		got = append(got, tok.Value)
	}
	assert.Equal(t, []string{"BRCS1.0", "\r\n", "action", "=", "x", "&", "k", "=", "a=b", "\r", "z"}, got,
		"a later '=' belongs to the value; a lone CR is lexed as a line break")
	assert.Equal(t, grammar.Header, toks[0].Type)
	assert.Equal(t, grammar.String, toks[8].Type)
	assert.Equal(t, lexer.Position{Filename: "f", Offset: 20, Line: 2, Column: 12}, toks[8].Pos)
	assert.Equal(t, lexer.Position{Filename: "f", Offset: 24, Line: 3, Column: 1}, toks[10].Pos)
}

func TestHeaderOnlyAtStartAndAlone(t *testing.T) {
	assert.Equal(t, grammar.Header, lex(t, "BRCS1.0")[0].Type)
	assert.Equal(t, grammar.String, lex(t, "BRCS1.0x")[0].Type)
	assert.Equal(t, grammar.String, lex(t, "BRCS10")[0].Type)
	assert.Equal(t, grammar.String, lex(t, "\nBRCS1.0")[1].Type)
}

func TestColumnsCountCharacters(t *testing.T) {
	toks := lex(t, "é=ü&x")
	assert.Equal(t, 2, toks[1].Pos.Column, "é is one column")
	assert.Equal(t, 5, toks[4].Pos.Column)
	assert.Equal(t, 2, grammar.Columns("\xff\xfe"), "each invalid byte is one column")
}

func TestParseShapes(t *testing.T) {
	f, err := grammar.Parse("f", "BRCS1.0\naction=login&&k\n\n=v")
	require.NoError(t, err)
	assert.True(t, grammar.Present(f.Header))
	assert.True(t, f.First.Empty())
	require.Len(t, f.Lines, 3)
	p := f.Lines[0].Command.Params
	require.Len(t, p, 3)
	assert.Equal(t, grammar.Param{Pos: p[0].Pos, Key: "action", HasEq: true, Value: "login"}, p[0])
	assert.Equal(t, grammar.Param{Pos: p[1].Pos}, p[1], "an empty parameter between two '&'")
	assert.Equal(t, grammar.Param{Pos: p[2].Pos, Key: "k"}, p[2], "a key with no '='")
	assert.True(t, f.Lines[1].Command.Empty())
	assert.Equal(t, []grammar.Param{{Pos: f.Lines[2].Command.Params[0].Pos, HasEq: true, Value: "v"}}, f.Lines[2].Command.Params)
}

func TestDeclarativeAgrees(t *testing.T) {
	for _, s := range []string{"", "BRCS1.0", "x", "&", "&&", "a=b=c&d\r\n\r=", "BRCS1.0\naction=x&y=z\n"} {
		a, err := grammar.Parse("f", s)
		require.NoError(t, err)
		b, err := grammar.ParseDeclarative("f", s)
		require.NoError(t, err)
		for _, f := range []*grammar.File{a, b} {
			if len(f.First.Params) == 0 {
				f.First.Params = nil
			}
			for i := range f.Lines {
				if len(f.Lines[i].Command.Params) == 0 {
					f.Lines[i].Command.Params = nil
				}
			}
		}
		assert.Equal(t, b, a, "%q", s)
	}
}

func TestEBNF(t *testing.T) {
	assert.Contains(t, grammar.EBNF(), "DeclarativeParam = <string>? (<eq> <string>?)? .")
}
