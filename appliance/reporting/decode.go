package reporting

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMaxElementBytes caps one <session> (or <team_activity>, or row)
// when Options.MaxElementBytes is zero.
const DefaultMaxElementBytes = 64 << 20

// BytesPerTag sets the default tag limit: one streamed element may hold
// one tag (a '<') per BytesPerTag bytes of its byte limit, so 2 Mi tags
// for 64 MiB. Real sessions hold one tag per 25 to 30 bytes; an answer of
// empty elements (<event/> after <event/>) holds one per 8, and each
// costs the model far more than its bytes.
const BytesPerTag = 32

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
	// MaxElementTags caps the tags ('<') of one streamed element, so that
	// the memory of the decoded model, not only the bytes read, is bounded.
	// 0 means MaxElementBytes/BytesPerTag.
	MaxElementTags int64
	// NoResults adds patterns of root <error> texts meaning "nothing found"
	// to the built-in NoResults.
	NoResults []*regexp.Regexp
	// Dropped, when not nil, counts what an answer held that was not
	// yielded.
	Dropped *Dropped
}

// Dropped counts the sessions an answer held that were not yielded.
type Dropped struct {
	// Duplicates are sessions (or listing rows) whose lsid came earlier in
	// the same answer: each lsid is yielded once, the first time.
	Duplicates int
	// OutsideWindow are sessions outside the time window asked for
	// (counted by appliance.Client.Sessions, which knows the query).
	OutsideWindow int
	// DuplicateLSIDs names the first MaxDuplicatesNamed of the
	// Duplicates, so that a caller can say which sessions came twice.
	DuplicateLSIDs []string
}

// MaxDuplicatesNamed bounds Dropped.DuplicateLSIDs: an answer repeating
// one session a million times costs a count, not a million names.
const MaxDuplicatesNamed = 100

// Total is the number of sessions dropped.
func (d Dropped) Total() int { return d.Duplicates + d.OutsideWindow }

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
		return fmt.Sprintf("%s: %s (%s)", where, Clip(e.Message), Quote(e.Code))
	}
	return fmt.Sprintf("%s: %s", where, Clip(e.Message))
}

// TooLargeError is a streamed element larger than Options.MaxElementBytes,
// or holding more tags than Options.MaxElementTags.
type TooLargeError struct {
	Element string // session, team_activity, ...
	ID      string // the lsid (or team id) of the element
	Limit   int64  // bytes, or tags when Tags is set
	Tags    bool
}

func (e *TooLargeError) Error() string {
	what := fmt.Sprintf("is larger than %d bytes", e.Limit)
	if e.Tags {
		what = fmt.Sprintf("holds more than %d tags", e.Limit)
	}
	return fmt.Sprintf("<%s> %s %s (the per-element limit); raise the limit or narrow the window", Clip(e.Element), Clip(e.ID), what)
}

// ErrTruncated is wrapped by the error for an answer that ends before its
// list element closes: a cut connection, never a complete report.
var ErrTruncated = errors.New("the answer is truncated")

// maxQuoted is how much of an outside value an error message shows.
const maxQuoted = 64

// Quote quotes s for an error message (Go syntax, so controls and
// invisible characters show as escapes), cut to a readable length with
// its size said when it is longer.
func Quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(cut(s, maxQuoted)), len(s))
}

// Clip is s cut to a readable length for an error message, with its size
// said when it is longer. Unlike Quote it adds no quotes.
func Clip(s string) string {
	const maxText = 256
	if len(s) <= maxText {
		return s
	}
	return fmt.Sprintf("%s… (%d bytes)", cut(s, maxText), len(s))
}

// cut is the first n bytes of s, backed off to a whole character.
func cut(s string, n int) string {
	s = s[:n]
	for i := 0; i < utf8.UTFMax && len(s) > 0; i++ {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

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

func (o Options) maxTags() int64 {
	if o.MaxElementTags > 0 {
		return o.MaxElementTags
	}
	return max(o.max()/BytesPerTag, 1)
}

// CheckLSID refuses an lsid that is not 32 lower-case hexadecimal digits,
// quoting it cut to a readable length.
func CheckLSID(lsid string) error {
	if lsidRe.MatchString(lsid) {
		return nil
	}
	return fmt.Errorf("lsid %s is not 32 lower-case hexadecimal digits", Quote(lsid))
}

// list describes one report's answer: its list element, the items in it
// and the attribute that names an item.
type list struct {
	root, item, idAttr string
	// lsids: the id is an lsid, checked, and yielded once per answer.
	lsids bool
}

var (
	sessionList = list{"session_list", "session", "lsid", true}
	listingList = list{"session_summary_list", "session_summary", "lsid", true}
	summaryList = list{"summary_list", "summary", "id", false}
	teamList    = list{"team_activity_list", "team_activity", "id", false}
)

// lists are the answers of the reports that are lists.
var lists = map[Report]list{AccessSession: sessionList, AccessSessionListing: listingList, AccessSessionSummary: summaryList, Team: teamList}

// Sessions decodes an AccessSession answer (<session_list>) one <session> at
// a time. An empty list and a "no results" root <error> both yield nothing;
// any other <error> is yielded as an *APIError, and so is a session whose
// lsid is not 32 lower-case hex digits. A session whose lsid came earlier
// in the answer is dropped (counted in Options.Dropped). Iteration stops
// after the first error.
func Sessions(r io.Reader, o Options) iter.Seq2[*Session, error] {
	return stream(r, o, sessionList, nil, (*Session).finish)
}

// Listing decodes an AccessSessionListing answer (<session_summary_list>).
func Listing(r io.Reader, o Options) iter.Seq2[*SessionSummary, error] {
	return stream[SessionSummary](r, o, listingList, nil, nil)
}

// Summaries decodes an AccessSessionSummary answer (<summary_list>).
func Summaries(r io.Reader, o Options) iter.Seq2[*UserSummary, error] {
	return stream[UserSummary](r, o, summaryList, nil, nil)
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
	return stream(r, o, teamList, other, (*TeamActivity).finish)
}

// capReader counts the bytes and tags the XML decoder consumes, so that
// one element can be held to a budget. It is an io.ByteReader, so the
// decoder adds no buffering of its own and the count is exact. When tee
// is set, every byte read is also appended to it.
type capReader struct {
	br              *bufio.Reader
	n, tags         int64
	limit, tagLimit int64 // 0: none
	tagsHit         bool
	tee             *bytes.Buffer
}

var errCap = errors.New("element limit reached")

func (c *capReader) ReadByte() (byte, error) {
	if c.limit > 0 && c.n >= c.limit {
		return 0, errCap
	}
	b, err := c.br.ReadByte()
	if err != nil {
		return b, err
	}
	c.n++
	if b == '<' {
		if c.tags++; c.tagLimit > 0 && c.tags > c.tagLimit {
			c.tagsHit = true
			return 0, errCap
		}
	}
	if c.tee != nil {
		c.tee.WriteByte(b)
	}
	return b, nil
}

// Read is there for io.Reader; encoding/xml reads through ReadByte.
func (c *capReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := c.ReadByte()
	if err != nil {
		return 0, err
	}
	p[0] = b
	return 1, nil
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

// decoder is the state of one answer's decoding: the counted input, the
// XML decoder over it, and the limits of one step.
type decoder struct {
	o  Options
	l  list
	cr *capReader
	d  *xml.Decoder
}

func newDecoder(r io.Reader, o Options, l list) *decoder {
	cr := &capReader{br: bufio.NewReaderSize(r, 32<<10)}
	return &decoder{o: o, l: l, cr: cr, d: xml.NewTokenDecoder(wellFormed{xml.NewDecoder(cr)})}
}

// wellFormed refuses what encoding/xml lets through but XML does not: an
// attribute given twice in one start tag, of which only one value would
// be kept. The decoder over it checks nesting and translates name spaces.
type wellFormed struct{ d *xml.Decoder }

func (w wellFormed) Token() (xml.Token, error) {
	tok, err := w.d.RawToken()
	if se, ok := tok.(xml.StartElement); ok && len(se.Attr) > 1 {
		seen := make(map[xml.Name]struct{}, len(se.Attr))
		for _, a := range se.Attr {
			if _, twice := seen[a.Name]; twice {
				return nil, fmt.Errorf("<%s> has the attribute %s twice: this is not well-formed XML", Clip(se.Name.Local), Clip(a.Name.Local))
			}
			seen[a.Name] = struct{}{}
		}
	}
	return tok, err
}

// step starts a new budget: every step reads at most MaxElementBytes and
// MaxElementTags (an element, a token between elements, the root
// <error>), so nothing grows without bound.
func (dc *decoder) step() {
	dc.cr.limit = dc.cr.n + dc.o.max()
	dc.cr.tagLimit = dc.cr.tags + dc.o.maxTags()
	dc.cr.tagsHit = false
}

// tooLarge turns a reached limit into a *TooLargeError.
func (dc *decoder) tooLarge(err error, elem, id string) error {
	if !errors.Is(err, errCap) {
		return nil
	}
	if dc.cr.tagsHit {
		return &TooLargeError{Element: elem, ID: id, Limit: dc.o.maxTags(), Tags: true}
	}
	return &TooLargeError{Element: elem, ID: id, Limit: dc.o.max()}
}

// wrap names where err happened, unless it is a reached limit.
func (dc *decoder) wrap(err error, elem, id, format string, args ...any) error {
	if tl := dc.tooLarge(err, elem, id); tl != nil {
		return tl
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// root reads up to the root element and checks it: nil with ok set for
// the list, nil without ok for a "no results" answer, or the error the
// answer is.
func (dc *decoder) root() (ok bool, err error) {
	var se xml.StartElement
	for {
		dc.step()
		tok, err := dc.d.Token()
		if err == io.EOF {
			return false, fmt.Errorf("the answer is empty, expected <%s>: %w", dc.l.root, ErrTruncated)
		}
		if err != nil {
			return false, dc.wrap(err, dc.l.root, "(before the root element)", "reading <%s>", dc.l.root)
		}
		if s, isStart := tok.(xml.StartElement); isStart {
			se = s
			break
		}
	}
	switch se.Name.Local {
	case dc.l.root:
		return true, nil
	case "error":
		dc.step()
		return false, dc.apiError(se, false)
	case "html", "HTML":
		return false, fmt.Errorf("the appliance answered an HTML page, not <%s>: is the XML API enabled?", dc.l.root)
	}
	return false, fmt.Errorf("the appliance answered <%s>, expected <%s>", Clip(se.Name.Local), dc.l.root)
}

// apiError reads an <error>: nil for a "no results" text, else the
// *APIError.
func (dc *decoder) apiError(se xml.StartElement, nested bool) error {
	var e errorElem
	if err := dc.d.DecodeElement(&e, &se); err != nil {
		where := "(the answer's error message)"
		if nested {
			where = "(the report's error message)"
		}
		return dc.wrap(err, "error", where, "reading <error>")
	}
	msg := strings.TrimSpace(e.Text)
	if dc.o.IsNoResults(msg) {
		return nil
	}
	return &APIError{Message: msg, Code: e.Code, Nested: nested}
}

// next reads the next token inside the list: a start element, or ok
// false when the list closed.
func (dc *decoder) next(count int) (se xml.StartElement, ok bool, err error) {
	for {
		dc.step()
		tok, err := dc.d.Token()
		if cutShort(err) {
			return se, false, fmt.Errorf("the answer ended inside <%s> after %d <%s> elements: %w", dc.l.root, count, dc.l.item, ErrTruncated)
		}
		if err != nil {
			return se, false, dc.wrap(err, dc.l.root, fmt.Sprintf("(text between elements after %d <%s>)", count, dc.l.item),
				"reading <%s> after %d <%s> elements", dc.l.root, count, dc.l.item)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return se, false, nil // the root closed: a complete answer
		case xml.StartElement:
			return t, true, nil
		}
	}
}

// cutShort reports whether err is the input's end before the answer's:
// encoding/xml says so with a syntax error.
func cutShort(err error) bool {
	var se *xml.SyntaxError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF"))
}

// itemError names a failure inside an item.
func (dc *decoder) itemError(err error, id string) error {
	if tl := dc.tooLarge(err, dc.l.item, id); tl != nil {
		return tl
	}
	if cutShort(err) {
		return fmt.Errorf("the answer ended inside <%s> %s: %w", dc.l.item, Clip(id), ErrTruncated)
	}
	return fmt.Errorf("<%s> %s: %w", dc.l.item, Clip(id), err)
}

// skipOther reads an element that is neither an item nor an <error>,
// through other when it takes it.
func (dc *decoder) skipOther(se xml.StartElement, other func(*xml.Decoder, xml.StartElement) (bool, error)) error {
	handled := false
	var err error
	if other != nil {
		handled, err = other(dc.d, se)
	}
	if err == nil && !handled {
		err = dc.d.Skip()
	}
	if err != nil {
		return dc.wrap(err, se.Name.Local, "", "reading <%s>", Clip(se.Name.Local))
	}
	return nil
}

// stream is the one decoding loop behind every report: find the root, hand
// each item element to the caller, turn <error> into a result.
func stream[T any](r io.Reader, o Options, l list,
	other func(*xml.Decoder, xml.StartElement) (bool, error), finish func(*T)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		dc := newDecoder(r, o, l)
		fail := func(err error) { yield(nil, err) }
		if ok, err := dc.root(); !ok {
			if err != nil {
				fail(err)
			}
			return
		}
		// The lsids of this answer, 16 bytes each: a repeat is dropped.
		seen := map[[16]byte]struct{}{}
		for count := 0; ; {
			se, ok, err := dc.next(count)
			if err != nil {
				fail(err)
				return
			}
			if !ok {
				return
			}
			switch se.Name.Local {
			case l.item:
				id := attr(se, l.idAttr)
				if l.lsids {
					if err := CheckLSID(id); err != nil {
						fail(fmt.Errorf("<%s> refused: %w", l.item, err))
						return
					}
				}
				v := new(T)
				if err := dc.d.DecodeElement(v, &se); err != nil {
					fail(dc.itemError(err, id))
					return
				}
				if l.lsids {
					var key [16]byte
					hex.Decode(key[:], []byte(id)) // checked above
					if _, dup := seen[key]; dup {
						if o.Dropped != nil {
							o.Dropped.Duplicates++
							if len(o.Dropped.DuplicateLSIDs) < MaxDuplicatesNamed {
								o.Dropped.DuplicateLSIDs = append(o.Dropped.DuplicateLSIDs, id)
							}
						}
						continue
					}
					seen[key] = struct{}{}
				}
				if finish != nil {
					finish(v)
				}
				count++
				if !yield(v, nil) {
					return
				}
			case "error":
				if err := dc.apiError(se, true); err != nil {
					fail(err)
					return
				}
			default:
				if err := dc.skipOther(se, other); err != nil {
					fail(err)
					return
				}
			}
		}
	}
}
