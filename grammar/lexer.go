package grammar

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token types produced by the lexer. They are the EBNF's own units: the
// header, a url-encoded string, "=", "&" and a newline.
const (
	// Header is "BRCS" digit "." digit, recognised only at the start of the input.
	Header lexer.TokenType = iota + 1
	// String is a run of bytes that are neither a separator nor a line break:
	// a key, a value or an action name, still percent-encoded.
	String
	// Eq is the "=" between a key and its value.
	Eq
	// Amp is the "&" between two parameters.
	Amp
	// Newline is "\n" or "\r\n". A lone "\r" is also lexed as a newline so that
	// the validator can point at it; the EBNF does not allow it.
	Newline
)

// Lexer is the hand-written lexer.Definition for BRCS. It is stateless and
// safe for concurrent use; each call to Lex returns a new scanner.
//
// Inside a parameter the first "=" separates the key from the value; any
// later "=" belongs to the value (RFC 3986 allows it in a query), so the
// value is one String token and the validator warns that it is not canonical.
type Lexer struct {
	// MaxTokens, when above 0, makes lexing fail past that many tokens, so
	// that a hostile input cannot make the parser build millions of nodes.
	MaxTokens int
}

var symbols = map[string]lexer.TokenType{
	"EOF":     lexer.EOF,
	"Header":  Header,
	"String":  String,
	"Eq":      Eq,
	"Amp":     Amp,
	"Newline": Newline,
}

// Symbols implements lexer.Definition. The map is shared, as participle's
// own lexers share theirs (participle asks for it on every parse): do not
// modify it.
func (Lexer) Symbols() map[string]lexer.TokenType { return symbols }

// Lex implements lexer.Definition.
func (d Lexer) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return d.LexString(filename, string(b))
}

// LexBytes implements lexer.BytesDefinition.
func (d Lexer) LexBytes(filename string, b []byte) (lexer.Lexer, error) {
	return d.LexString(filename, string(b))
}

// LexString implements lexer.StringDefinition. Token values are slices of
// input, so lexing allocates nothing per token.
func (d Lexer) LexString(filename string, input string) (lexer.Lexer, error) {
	return &scanner{src: input, pos: lexer.Position{Filename: filename, Line: 1, Column: 1}, max: d.MaxTokens}, nil
}

type scanner struct {
	src     string
	pos     lexer.Position
	inValue bool // after the first "=" of a parameter
	max     int  // Lexer.MaxTokens
	count   int  // tokens so far
}

// TooManyTokensError is returned when the input has more tokens than
// Lexer.MaxTokens allows.
type TooManyTokensError struct {
	Max int
	Pos lexer.Position
}

func (e *TooManyTokensError) Error() string {
	return fmt.Sprintf("%s: more than %d tokens", e.Pos, e.Max)
}

// IsHeader reports whether s is exactly "BRCS" digit "." digit.
func IsHeader(s string) bool {
	return len(s) == 7 && s[:4] == "BRCS" && isDigit(s[4]) && s[5] == '.' && isDigit(s[6])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (s *scanner) Next() (lexer.Token, error) {
	off := s.pos.Offset
	if off >= len(s.src) {
		return lexer.EOFToken(s.pos), nil
	}
	if s.count++; s.max > 0 && s.count > s.max {
		return lexer.Token{}, &TooManyTokensError{Max: s.max, Pos: s.pos}
	}
	if off == 0 && len(s.src) >= 7 && IsHeader(s.src[:7]) &&
		(len(s.src) == 7 || s.src[7] == '\n' || s.src[7] == '\r') {
		return s.emit(Header, 7), nil
	}
	switch c := s.src[off]; c {
	case '\n':
		return s.newline(1), nil
	case '\r':
		if off+1 < len(s.src) && s.src[off+1] == '\n' {
			return s.newline(2), nil
		}
		return s.newline(1), nil
	case '&':
		s.inValue = false
		return s.emit(Amp, 1), nil
	case '=':
		if !s.inValue {
			s.inValue = true
			return s.emit(Eq, 1), nil
		}
	}
	end := off
	for end < len(s.src) {
		c := s.src[end]
		if c == '\n' || c == '\r' || c == '&' || (c == '=' && !s.inValue) {
			break
		}
		end++
	}
	return s.emit(String, end-off), nil
}

func (s *scanner) newline(n int) lexer.Token {
	t := lexer.Token{Type: Newline, Value: s.src[s.pos.Offset : s.pos.Offset+n], Pos: s.pos}
	s.pos.Offset += n
	s.pos.Line++
	s.pos.Column = 1
	s.inValue = false
	return t
}

func (s *scanner) emit(typ lexer.TokenType, n int) lexer.Token {
	v := s.src[s.pos.Offset : s.pos.Offset+n]
	t := lexer.Token{Type: typ, Value: v, Pos: s.pos}
	s.pos.Offset += n
	s.pos.Column += Columns(v)
	return t
}

// Columns is how many columns s takes: one per character, and one per byte
// that is not part of valid UTF-8.
func Columns(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return i + utf8.RuneCountInString(s[i:])
		}
	}
	return len(s)
}
