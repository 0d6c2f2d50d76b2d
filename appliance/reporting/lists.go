package reporting

import (
	"encoding/xml"
	"strings"
)

// The model reads a list element (<rep_list>, <session_details>, an
// event's <data>, ...) through listOf, which keeps whatever the element
// holds besides its items (attributes, other children, text) as one
// Element in the parent's Extra, so that an export loses nothing.

// itemTag names the items of a list element.
type itemTag interface{ tag() string }

type (
	tagCustomer       struct{}
	tagRepresentative struct{}
	tagEvent          struct{}
	tagCustom         struct{}
	tagShell          struct{}
	tagFile           struct{}
	tagCategory       struct{}
	tagValue          struct{}
	tagRow            struct{}
	tagDestination    struct{}
)

func (tagCustomer) tag() string       { return "customer" }
func (tagRepresentative) tag() string { return "representative" }
func (tagEvent) tag() string          { return "event" }
func (tagCustom) tag() string         { return "custom_attribute" }
func (tagShell) tag() string          { return "command_shell_recording" }
func (tagFile) tag() string           { return "file" }
func (tagCategory) tag() string       { return "category" }
func (tagValue) tag() string          { return "value" }
func (tagRow) tag() string            { return "row" }
func (tagDestination) tag() string    { return "destination" }

// listOf is a list element as read: its items, and the rest.
type listOf[T any, N itemTag] struct {
	Items []T
	rest  []Element // one Element per list element that held more
}

// UnmarshalXML reads the items named by N and keeps everything else.
func (l *listOf[T, N]) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	var n N
	var items chunks[T]
	rest := Element{XMLName: se.Name}
	var inner strings.Builder
	for _, a := range se.Attr {
		if !isNamespaceDecl(a) {
			rest.Attrs = append(rest.Attrs, a)
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == n.tag() {
				var v T
				if err := d.DecodeElement(&v, &t); err != nil {
					return err
				}
				items.add(v)
				continue
			}
			var e Element
			if err := d.DecodeElement(&e, &t); err != nil {
				return err
			}
			e.writeXML(&inner)
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); s != "" {
				xml.EscapeText(&inner, []byte(s))
			}
		case xml.EndElement:
			l.Items = append(l.Items, items.all()...)
			if rest.Inner = inner.String(); rest.Inner != "" || len(rest.Attrs) > 0 {
				l.rest = append(l.rest, rest)
			}
			return nil
		}
	}
}

// into moves what l read to its place in the model: the items to items,
// the rest after extra's own elements. Each UnmarshalXML with lists ends
// with one call a list, in the order its rest is kept.
func (l *listOf[T, N]) into(items *[]T, extra *[]Element) {
	*items = l.Items
	*extra = append(*extra, l.rest...)
}

// chunks collects items in chunks that double up to a limit, then makes
// one slice of the exact size: for a long list that allocates about twice
// its size, where append's growth by a quarter allocates five times.
type chunks[T any] struct {
	done [][]T
	cur  []T
	n    int
}

func (c *chunks[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.done = append(c.done, c.cur)
		}
		c.cur = make([]T, 0, min(max(2*cap(c.cur), 4), 1024))
	}
	c.cur = append(c.cur, v)
	c.n++
}

func (c *chunks[T]) all() []T {
	if len(c.done) == 0 {
		return c.cur
	}
	out := make([]T, 0, c.n)
	for _, d := range c.done {
		out = append(out, d...)
	}
	return append(out, c.cur...)
}

func isNamespaceDecl(a xml.Attr) bool {
	return a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")
}

// writeXML writes e back as XML, by local names.
func (e Element) writeXML(b *strings.Builder) {
	e.writeStart(b)
	b.WriteString(e.Inner + "</" + e.XMLName.Local + ">")
}

// writeStart writes e's start tag, by local names.
func (e Element) writeStart(b *strings.Builder) {
	b.WriteString("<" + e.XMLName.Local)
	for _, a := range e.Attrs {
		if isNamespaceDecl(a) {
			continue
		}
		b.WriteString(" " + a.Name.Local + `="`)
		xml.EscapeText(b, []byte(a.Value))
		b.WriteString(`"`)
	}
	b.WriteString(">")
}

// UnmarshalXML keeps an element the model does not know: its name, its
// attributes, and its content written back as XML by local names (text,
// child elements, comments).
func (e *Element) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	*e = Element{XMLName: se.Name, Attrs: se.Attr}
	var b strings.Builder
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			Element{XMLName: t.Name, Attrs: t.Attr}.writeStart(&b)
			depth++
		case xml.EndElement:
			if depth == 0 {
				e.Inner = b.String()
				return nil
			}
			depth--
			b.WriteString("</" + t.Name.Local + ">")
		case xml.CharData:
			escapeText(&b, t)
		case xml.Comment:
			b.WriteString("<!--" + string(t) + "-->")
		}
	}
}

// escapeText writes s as XML text: unlike xml.EscapeText, line breaks
// and tabs stay as they are.
func escapeText(b *strings.Builder, s []byte) {
	for _, c := range string(s) {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(c)
		}
	}
}

// UnmarshalXML reads a <session>, its lists through listOf.
func (s *Session) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	type plain Session // without this method
	var raw struct {
		*plain
		Customers listOf[Customer, tagCustomer]             `xml:"customer_list"`
		Reps      listOf[Representative, tagRepresentative] `xml:"rep_list"`
		Events    listOf[Event, tagEvent]                   `xml:"session_details"`
		Custom    listOf[CustomAttribute, tagCustom]        `xml:"custom_attributes"`
		Shells    listOf[ShellRecording, tagShell]          `xml:"command_shell_recordings"`
	}
	raw.plain = (*plain)(s)
	if err := d.DecodeElement(&raw, &se); err != nil {
		return err
	}
	raw.Customers.into(&s.Customers, &s.Extra)
	raw.Reps.into(&s.Representatives, &s.Extra)
	raw.Events.into(&s.Events, &s.Extra)
	raw.Custom.into(&s.CustomAttributes, &s.Extra)
	raw.Shells.into(&s.ShellRecordings, &s.Extra)
	return nil
}

// UnmarshalXML reads an <event> of a session, its lists through listOf.
func (e *Event) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	type plain Event
	var raw struct {
		*plain
		Files  listOf[File, tagFile]             `xml:"files"`
		System listOf[InfoCategory, tagCategory] `xml:"system_information"`
		Data   listOf[Value, tagValue]           `xml:"data"`
	}
	raw.plain = (*plain)(e)
	if err := d.DecodeElement(&raw, &se); err != nil {
		return err
	}
	raw.Files.into(&e.Files, &e.Extra)
	raw.System.into(&e.SystemInformation, &e.Extra)
	raw.Data.into(&e.Data, &e.Extra)
	return nil
}

// UnmarshalXML reads a <team_activity>, its lists through listOf.
func (t *TeamActivity) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	type plain TeamActivity
	var raw struct {
		*plain
		LoggedIn  listOf[TeamRep, tagRepresentative] `xml:"logged_in_privileged_users"`
		LoggedIn2 listOf[TeamRep, tagRepresentative] `xml:"logged_in_representatives"`
		Events    listOf[TeamEvent, tagEvent]        `xml:"events"`
	}
	raw.plain = (*plain)(t)
	if err := d.DecodeElement(&raw, &se); err != nil {
		return err
	}
	raw.LoggedIn.into(&t.LoggedIn, &t.Extra)
	raw.LoggedIn2.into(&t.LoggedIn2, &t.Extra)
	raw.Events.into(&t.Events, &t.Extra)
	return nil
}

// UnmarshalXML reads an <event> of a team, its lists through listOf.
func (e *TeamEvent) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	type plain TeamEvent
	var raw struct {
		*plain
		Destinations listOf[Party, tagDestination] `xml:"destinations"`
		Files        listOf[File, tagFile]         `xml:"files"`
		Data         listOf[Value, tagValue]       `xml:"data"`
	}
	raw.plain = (*plain)(e)
	if err := d.DecodeElement(&raw, &se); err != nil {
		return err
	}
	raw.Destinations.into(&e.Destinations, &e.Extra)
	raw.Files.into(&e.Files, &e.Extra)
	raw.Data.into(&e.Data, &e.Extra)
	return nil
}
