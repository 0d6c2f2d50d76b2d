// Package grammar is the parser of record for BRCS, the access-console
// script format. It implements the EBNF of the vendor's API guide with
// participle (github.com/alecthomas/participle/v2):
//
//	brcs_file  = header , newline , commands ;
//	header     = "BRCS" , digit , "." , digit ;
//	commands   = command { newline , command } ;
//	command    = "action=" , value , { "&" , parameter } ;
//	parameter  = url_encoded_string , "=" , url_encoded_string ;
//	newline    = "\n" | "\r\n" ;
//
// The lexer's tokens are the EBNF's own units: the header, a url-encoded
// string, "=", "&" and a newline.
//
// The grammar accepts a little more than the EBNF so that one mistake does
// not hide the next: the header may be missing, a line may be empty, a
// parameter may lack its key, its "=" or its value, and a lone "\r" counts
// as a line break. Each of those is a node that the brcs package's
// validator reports with its position; input the validator passes without
// an error is in the EBNF's language.
//
// Two parsers share the lexer. [Parse] is the one the toolkit uses: the
// file is read through participle's Parseable interface, token by token
// from participle's own PeekingLexer, each production as the EBNF writes
// it. [ParseDeclarative] writes every production in struct tags; it is
// several times slower, because participle's reflective captures cost
// about half a microsecond per token (measured on the shared 10-command
// script: 121 us all in tags, 31 us with the command as Parseable, 19 us
// with the line too). The fuzz target FuzzGrammarAgreement holds the two
// to the same result on every input.
package grammar

import (
	"fmt"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// File is a whole script: an optional header, then lines separated by
// newlines. When there is no header the first line is parsed as a command,
// so that a missing header is one finding, not a parse failure.
//
// It implements participle.Parseable: file = [ Header ] command
// { Newline command }. Reading the file token by token from participle's
// own PeekingLexer, rather than through struct tags, spares participle's
// reflective walk of every line; a first pass over the tokens sizes the
// lines and the parameters, so a script costs one slice of each.
type File struct {
	Header lexer.Token
	First  Command
	Lines  []Line
}

// Parse implements participle.Parseable.
func (f *File) Parse(lex *lexer.PeekingLexer) error {
	cp := lex.MakeCheckpoint()
	lines, params := 0, 1
	for t := lex.Next(); !t.EOF(); t = lex.Next() {
		switch t.Type {
		case Newline:
			lines++
			params++
		case Amp:
			params++
		}
	}
	lex.LoadCheckpoint(cp)
	buf := make([]Param, 0, params)
	if lex.Peek().Type == Header {
		f.Header = *lex.Next()
	}
	f.First.parse(lex, &buf)
	if lines > 0 {
		f.Lines = make([]Line, lines)
	}
	for i := range f.Lines {
		l := &f.Lines[i]
		t := lex.Next()
		if t.Type != Newline {
			return fmt.Errorf("%s: expected a line break, got %q", t.Pos, t.Value) // unreachable: a command stops only at one
		}
		l.Newline = *t
		l.Command.parse(lex, &buf)
	}
	return nil
}

// Line is a newline and the command after it, which may be empty.
//
// It implements participle.Parseable: line = Newline command.
type Line struct {
	Newline lexer.Token
	Command Command
}

// Parse implements participle.Parseable.
func (l *Line) Parse(lex *lexer.PeekingLexer) error {
	if lex.Peek().Type != Newline {
		return participle.NextMatch
	}
	l.Newline = *lex.Next()
	return l.Command.Parse(lex)
}

// Command is the parameters of one line, in order; the first one should be
// "action=<name>". A command with no parameters is an empty line.
//
// It implements participle.Parseable: command = parameter { "&" parameter },
// parameter = [ String ] [ "=" [ String ] ].
type Command struct {
	// Pos is where the command starts (for an empty line, where it would).
	Pos    Pos
	Params []Param
}

// Param is one parameter. Pos is where it starts (for an empty parameter,
// where it would start). The key, the "=" and the value follow one another
// on one line, so each of their positions follows from Pos and the lengths.
type Param struct {
	Pos   Pos
	Key   string
	HasEq bool
	Value string
}

// Pos is a position: Offset counts bytes from 0, Line and Column count
// from 1 (Column in characters). Unlike lexer.Position it carries no file
// name, which keeps a parameter small.
type Pos struct {
	Offset, Line, Column int
}

// Parse implements participle.Parseable. It consumes the tokens of one
// command and stops before a newline or the end of input.
func (c *Command) Parse(lex *lexer.PeekingLexer) error {
	n := 1
	cp := lex.MakeCheckpoint()
	for t := lex.Next(); t.Type != Newline && !t.EOF(); t = lex.Next() {
		if t.Type == Amp {
			n++
		}
	}
	lex.LoadCheckpoint(cp)
	buf := make([]Param, 0, n)
	c.parse(lex, &buf)
	return nil
}

// parse reads one command, appending its parameters to *buf; c.Params is
// the part of *buf they take (nil for an empty line).
func (c *Command) parse(lex *lexer.PeekingLexer, buf *[]Param) {
	t := lex.Peek()
	c.Pos = Pos{t.Pos.Offset, t.Pos.Line, t.Pos.Column}
	if t.Type == Newline || t.EOF() {
		return // an empty line
	}
	start := len(*buf)
	for {
		t := lex.Peek()
		p := Param{Pos: Pos{t.Pos.Offset, t.Pos.Line, t.Pos.Column}}
		if t.Type == String {
			p.Key = lex.Next().Value
			t = lex.Peek()
		}
		if t.Type == Eq {
			lex.Next()
			p.HasEq = true
			t = lex.Peek()
			if t.Type == String {
				p.Value = lex.Next().Value
				t = lex.Peek()
			}
		}
		*buf = append(*buf, p)
		if t.Type != Amp {
			break
		}
		lex.Next()
	}
	// A full slice expression: appending to one command's parameters never
	// writes over the next command's.
	c.Params = (*buf)[start:len(*buf):len(*buf)]
}

// Empty reports whether the command has no parameter at all.
func (c *Command) Empty() bool { return len(c.Params) == 0 }

// MaxTokens caps the tokens of one input. A script of 10 commands needs a
// few hundred; the cap keeps a hostile input far below participle's own
// limit of a million repetitions and the memory that many nodes would take.
const MaxTokens = 100_000

func newParser[G any]() *participle.Parser[G] {
	return participle.MustBuild[G](participle.Lexer(Lexer{MaxTokens: MaxTokens}), participle.UseLookahead(1))
}

// parser is built once; a built participle parser is safe for concurrent use.
var parser = sync.OnceValue(newParser[File])

// Parse parses src, which must hold no NUL byte (the brcs package refuses
// those before it gets here). filename appears only in positions. The
// grammar accepts every such input, so an error means a bug in this
// package; callers report it rather than panic.
func Parse(filename, src string) (*File, error) {
	return parser().ParseString(filename, src)
}

// EBNF returns the grammar as participle prints it.
func EBNF() string { return declarative().String() }

// Present reports whether an optional token was matched; an absent one is
// the zero Token.
func Present(t lexer.Token) bool { return t.Type != 0 }
