package grammar

import (
	"sync"

	"github.com/alecthomas/participle/v2/lexer"
)

// DeclarativeFile is the same grammar as [File] with the command written in
// participle struct tags too. It is the executable statement of the
// grammar that [Parse] must agree with.
type DeclarativeFile struct {
	Header lexer.Token        `parser:"@Header?"`
	First  DeclarativeCommand `parser:"@@"`
	Lines  []DeclarativeLine  `parser:"@@*"`
}

// DeclarativeLine is a newline and the command after it.
type DeclarativeLine struct {
	Newline lexer.Token        `parser:"@Newline"`
	Command DeclarativeCommand `parser:"@@"`
}

// DeclarativeCommand is command = parameter { "&" parameter }.
type DeclarativeCommand struct {
	Pos   lexer.Position
	First DeclarativeParam  `parser:"@@"`
	Rest  []DeclarativeRest `parser:"@@*"`
}

// DeclarativeRest is "&" parameter.
type DeclarativeRest struct {
	Amp   lexer.Token      `parser:"@Amp"`
	Param DeclarativeParam `parser:"@@"`
}

// DeclarativeParam is parameter = [ String ] [ "=" [ String ] ].
type DeclarativeParam struct {
	Pos   lexer.Position
	Key   lexer.Token `parser:"@String?"`
	Eq    lexer.Token `parser:"( @Eq"`
	Value lexer.Token `parser:"  @String? )?"`
}

var declarative = sync.OnceValue(newParser[DeclarativeFile])

// ParseDeclarative parses src with the all-struct-tag grammar and returns
// the result in the same shape as [Parse], so the two can be compared.
func ParseDeclarative(filename, src string) (*File, error) {
	d, err := declarative().ParseString(filename, src)
	if err != nil {
		return nil, err
	}
	conv := func(dc DeclarativeCommand) Command {
		c := Command{Pos: Pos{dc.Pos.Offset, dc.Pos.Line, dc.Pos.Column}}
		params := []DeclarativeParam{dc.First}
		for _, r := range dc.Rest {
			params = append(params, r.Param)
		}
		if len(params) == 1 && params[0].Key.Type == 0 && params[0].Eq.Type == 0 {
			return c // an empty line
		}
		for _, p := range params {
			c.Params = append(c.Params, Param{Pos: Pos{p.Pos.Offset, p.Pos.Line, p.Pos.Column}, Key: p.Key.Value, HasEq: p.Eq.Type != 0, Value: p.Value.Value})
		}
		return c
	}
	f := &File{Header: d.Header, First: conv(d.First)}
	for _, l := range d.Lines {
		f.Lines = append(f.Lines, Line{Newline: l.Newline, Command: conv(l.Command)})
	}
	return f, nil
}
