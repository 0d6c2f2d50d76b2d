package reporting

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strings"
)

// DefaultMaxElementBytes caps one <session> (or <team_activity>, or row)
// when Options.MaxElementBytes is zero.
const DefaultMaxElementBytes = 64 << 20

// NoResults are the texts real appliances put in a root <error> when a report
// has nothing to return (the guide says an empty list instead). Both mean an
// empty result. English and French are known; Options.NoResults adds more.
var NoResults = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^no\b.*\bmatching your chosen criteria is available\.?$`),
	regexp.MustCompile(`(?i)correspondant à vos critères n['’]est disponible\.?$`),
}

// Options tune the decoders. The zero value is ready to use.
type Options struct {
	// MaxElementBytes caps the bytes of one streamed element; exceeding it
	// is a *TooLargeError naming the element's lsid. 0 means
	// DefaultMaxElementBytes.
	MaxElementBytes int64
	// NoResults adds patterns of root <error> texts meaning "nothing found"
	// to the built-in NoResults.
	NoResults []*regexp.Regexp
}

// APIError is an <error> the appliance answered instead of a report, or
// inside the report's list element. It holds the appliance's message only,
// never the request.
type APIError struct {
	Message string
	Code    string // the code attribute, when sent
	Nested  bool   // inside the list element rather than the root
}

func (e *APIError) Error() string {
	where := "the appliance answered"
	if e.Nested {
		where = "the report holds an error"
	}
	if e.Code != "" {
		return fmt.Sprintf("%s: %s (%s)", where, e.Message, e.Code)
	}
	return fmt.Sprintf("%s: %s", where, e.Message)
}

// TooLargeError is a streamed element larger than Options.MaxElementBytes.
type TooLargeError struct {
	Element string // session, team_activity, ...
	ID      string // the lsid (or team id) of the element
	Limit   int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("<%s> %s is larger than %d bytes (the per-element limit); raise the limit or narrow the window", e.Element, e.ID, e.Limit)
}

// ErrTruncated is wrapped by the error for an answer that ends before its
// list element closes: a cut connection, never a complete report.
var ErrTruncated = errors.New("the answer is truncated")

// IsNoResults reports whether msg is a known "nothing matches" message.
func (o Options) IsNoResults(msg string) bool {
	msg = strings.TrimSpace(msg)
	for _, list := range [][]*regexp.Regexp{NoResults, o.NoResults} {
		for _, re := range list {
			if re.MatchString(msg) {
				return true
			}
		}
	}
	return false
}

func (o Options) max() int64 {
	if o.MaxElementBytes > 0 {
		return o.MaxElementBytes
	}
	return DefaultMaxElementBytes
}

// Sessions decodes an AccessSession answer (<session_list>) one <session> at
// a time. An empty list and a "no results" root <error> both yield nothing;
// any other <error> is yielded as an *APIError. Iteration stops after the
// first error.
func Sessions(r io.Reader, o Options) iter.Seq2[*Session, error] {
	return stream(r, o, "session_list", "session", "lsid", nil, (*Session).finish)
}

// Listing decodes an AccessSessionListing answer (<session_summary_list>).
func Listing(r io.Reader, o Options) iter.Seq2[*SessionSummary, error] {
	return stream[SessionSummary](r, o, "session_summary_list", "session_summary", "lsid", nil, nil)
}

// Summaries decodes an AccessSessionSummary answer (<summary_list>).
func Summaries(r io.Reader, o Options) iter.Seq2[*UserSummary, error] {
	return stream[UserSummary](r, o, "summary_list", "summary", "id", nil, nil)
}

// TeamWindow receives the start_time and end_time a Team answer states
// before its activities.
type TeamWindow struct {
	Start, End Timestamp
}

// Teams decodes a Team answer (<team_activity_list>) one <team_activity> at
// a time; w, when not nil, receives the list's start and end times as they
// are read.
func Teams(r io.Reader, o Options, w *TeamWindow) iter.Seq2[*TeamActivity, error] {
	other := func(d *xml.Decoder, se xml.StartElement) (bool, error) {
		if w == nil {
			return false, nil
		}
		switch se.Name.Local {
		case "start_time":
			return true, d.DecodeElement(&w.Start, &se)
		case "end_time":
			return true, d.DecodeElement(&w.End, &se)
		}
		return false, nil
	}
	return stream(r, o, "team_activity_list", "team_activity", "id", other, (*TeamActivity).finish)
}

// capReader counts the bytes the XML decoder consumes, so that one element
// can be held to a budget. It is an io.ByteReader, so the decoder adds no
// buffering of its own and the count is exact.
type capReader struct {
	br    *bufio.Reader
	n     int64
	limit int64 // 0: none
}

var errCap = errors.New("element limit reached")

func (c *capReader) ReadByte() (byte, error) {
	if c.limit > 0 && c.n >= c.limit {
		return 0, errCap
	}
	b, err := c.br.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.limit > 0 {
		if c.n >= c.limit {
			return 0, errCap
		}
		if rest := c.limit - c.n; int64(len(p)) > rest {
			p = p[:rest]
		}
	}
	n, err := c.br.Read(p)
	c.n += int64(n)
	return n, err
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

type errorElem struct {
	Code string `xml:"code,attr"`
	Text string `xml:",chardata"`
}

// stream is the one decoding loop behind every report: find the root, hand
// each item element to the caller, turn <error> into a result.
func stream[T any](r io.Reader, o Options, root, item, idAttr string,
	other func(*xml.Decoder, xml.StartElement) (bool, error), finish func(*T)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		cr := &capReader{br: bufio.NewReaderSize(r, 32<<10)}
		d := xml.NewDecoder(cr)
		fail := func(err error) { yield(nil, err) }
		// Every step reads at most MaxElementBytes: an element, a token
		// between elements, the root <error>. Nothing grows without bound.
		step := func() { cr.limit = cr.n + o.max() }
		tooLarge := func(err error, elem, id string) bool {
			if errors.Is(err, errCap) {
				fail(&TooLargeError{Element: elem, ID: id, Limit: o.max()})
				return true
			}
			return false
		}
		// The root element.
		var se xml.StartElement
		for {
			step()
			tok, err := d.Token()
			if tooLarge(err, root, "(before the root element)") {
				return
			}
			if err == io.EOF {
				fail(fmt.Errorf("the answer is empty, expected <%s>: %w", root, ErrTruncated))
				return
			}
			if err != nil {
				fail(fmt.Errorf("reading <%s>: %w", root, err))
				return
			}
			if s, ok := tok.(xml.StartElement); ok {
				se = s
				break
			}
		}
		switch se.Name.Local {
		case root:
		case "error":
			var e errorElem
			step()
			if err := d.DecodeElement(&e, &se); err != nil {
				if !tooLarge(err, "error", "(the answer's error message)") {
					fail(fmt.Errorf("reading <error>: %w", err))
				}
				return
			}
			msg := strings.TrimSpace(e.Text)
			if !o.IsNoResults(msg) {
				fail(&APIError{Message: msg, Code: e.Code})
			}
			return
		case "html", "HTML":
			fail(fmt.Errorf("the appliance answered an HTML page, not <%s>: is the XML API enabled?", root))
			return
		default:
			fail(fmt.Errorf("the appliance answered <%s>, expected <%s>", se.Name.Local, root))
			return
		}
		count := 0
		for {
			step()
			tok, err := d.Token()
			if tooLarge(err, root, fmt.Sprintf("(text between elements after %d <%s>)", count, item)) {
				return
			}
			if err == io.EOF {
				fail(fmt.Errorf("the answer ended inside <%s> after %d <%s> elements: %w", root, count, item, ErrTruncated))
				return
			}
			if err != nil {
				fail(fmt.Errorf("reading <%s> after %d <%s> elements: %w", root, count, item, err))
				return
			}
			switch t := tok.(type) {
			case xml.EndElement:
				return // the root closed: a complete answer
			case xml.StartElement:
				switch t.Name.Local {
				case item:
					id := attr(t, idAttr)
					v := new(T)
					err := d.DecodeElement(v, &t)
					if err != nil {
						switch {
						case tooLarge(err, item, id):
						case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF"):
							fail(fmt.Errorf("the answer ended inside <%s> %s: %w", item, id, ErrTruncated))
						default:
							fail(fmt.Errorf("<%s> %s: %w", item, id, err))
						}
						return
					}
					if finish != nil {
						finish(v)
					}
					count++
					if !yield(v, nil) {
						return
					}
				case "error":
					var e errorElem
					if err := d.DecodeElement(&e, &t); err != nil {
						if !tooLarge(err, "error", "(the report's error message)") {
							fail(fmt.Errorf("reading <error>: %w", err))
						}
						return
					}
					if msg := strings.TrimSpace(e.Text); !o.IsNoResults(msg) {
						fail(&APIError{Message: msg, Code: e.Code, Nested: true})
						return
					}
				default:
					handled := false
					if other != nil {
						if handled, err = other(d, t); err != nil {
							if !tooLarge(err, t.Name.Local, "") {
								fail(fmt.Errorf("reading <%s>: %w", t.Name.Local, err))
							}
							return
						}
					}
					if !handled {
						if err := d.Skip(); err != nil {
							if !tooLarge(err, t.Name.Local, "") {
								fail(fmt.Errorf("reading <%s>: %w", t.Name.Local, err))
							}
							return
						}
					}
				}
			}
		}
	}
}
