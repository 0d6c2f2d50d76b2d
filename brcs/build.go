package brcs

// KeyValue is a parameter with its key and value decoded (not encoded).
type KeyValue struct {
	Key, Value string
}

// NewCommand builds the model of a command from decoded values, as if its
// canonical text (action=<action>&key=value..., every key and value
// encoded canonically) had been parsed on line 1: Raw is canonical, the
// positions are those of that text. Print it with String; check it with
// ValidateCommand. Building costs no parse.
func NewCommand(action string, params []KeyValue) *Command {
	c := &Command{Params: make([]Param, 0, 1+len(params))}
	pos := Position{Line: 1, Column: 1}
	add := func(key, value string) {
		if len(c.Params) > 0 {
			pos = advance(pos, "&", 1)
		}
		p := Param{HasEq: true}
		p.Key = builtText(key, pos)
		eq := advance(p.Key.End, "=", 1)
		p.Value = builtText(value, eq)
		p.Span = Span{p.Key.Start, p.Value.End}
		c.Params = append(c.Params, p)
		pos = p.Value.End
	}
	add("action", action)
	for _, kv := range params {
		add(kv.Key, kv.Value)
	}
	c.Span = Span{c.Params[0].Start, c.Params[len(c.Params)-1].End}
	return c
}

func builtText(decoded string, start Position) Text {
	raw := Encode(decoded)
	_, issues := decode(raw, nil) // only invalid UTF-8 can be found in canonical text
	return Text{Raw: raw, Decoded: decoded, Span: Span{start, advance(start, raw, len(raw))}, issues: issues}
}

// ValidateCommand checks one command on its own, as --run-script would
// take it, against cat (nil: the default profile).
func ValidateCommand(c *Command, cat *Catalogue) []Diagnostic {
	if cat == nil {
		cat, _ = LookupProfile(DefaultProfile)
	}
	v := validator{cat: cat}
	v.command(c, 0, 1)
	SortDiagnostics(v.diags)
	return v.diags
}
