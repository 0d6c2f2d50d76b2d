package reporting

import (
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Report is a value of generate_report.
type Report string

// The report types of the guide.
const (
	AccessSession          Report = "AccessSession"
	AccessSessionListing   Report = "AccessSessionListing"
	AccessSessionSummary   Report = "AccessSessionSummary"
	Team                   Report = "Team"
	AccessSessionRecording Report = "AccessSessionRecording"
	CommandShellRecording  Report = "CommandShellRecording"
)

// Kind says which parameter set a query uses.
type Kind int

// The parameter sets of section 3.0: four time windows, one session, a list
// of sessions.
const (
	NoKind    Kind = iota
	StartDate      // start_date + duration (days)
	StartTime      // start_time + duration (seconds)
	EndDate        // end_date + duration (days)
	EndTime        // end_time + duration (seconds)
	OneLSID        // lsid
	ManyLSIDs      // lsids
)

var kindParam = map[Kind]string{StartDate: "start_date", StartTime: "start_time", EndDate: "end_date", EndTime: "end_time", OneLSID: "lsid", ManyLSIDs: "lsids"}

// Param is one request parameter, in the order it is sent.
type Param struct{ Key, Value string }

// Query is one report request as a value. Build it with the constructors
// and check it with Params, which refuses anything the guide does not list
// before a byte is sent. Only one parameter set may be filled.
type Query struct {
	Report Report
	// Exactly one of these sets.
	StartDate, EndDate string // YYYY-MM-DD; Duration counts days
	StartTime, EndTime *int64 // UNIX seconds (UTC); Duration counts seconds
	LSID               string
	LSIDs              []string
	// Duration is required with a time set; 0 means "to the present".
	Duration *int64
	// ReportType is AccessSessionSummary's report_type; "user" is the only
	// value the guide accepts, and Params fills it when empty.
	ReportType string
	TeamID     *int // Team only, optional
	Instance   *int // CommandShellRecording, required
	Format     string
	// AnyLSID lets an lsid that is not 32 lower-case hex digits through.
	AnyLSID bool
}

func i64(v int64) *int64 { return &v }

// StartedBetween asks for sessions that began in [from, to).
func StartedBetween(r Report, from, to time.Time) Query {
	return Query{Report: r, StartTime: i64(from.Unix()), Duration: i64(int64(to.Sub(from) / time.Second))}
}

// StartedSince asks for sessions that began at or after from, to the present.
func StartedSince(r Report, from time.Time) Query {
	return Query{Report: r, StartTime: i64(from.Unix()), Duration: i64(0)}
}

// EndedBetween asks for closed sessions that ended in [from, to).
func EndedBetween(r Report, from, to time.Time) Query {
	return Query{Report: r, EndTime: i64(from.Unix()), Duration: i64(int64(to.Sub(from) / time.Second))}
}

// EndedSince asks for closed sessions that ended at or after from.
func EndedSince(r Report, from time.Time) Query {
	return Query{Report: r, EndTime: i64(from.Unix()), Duration: i64(0)}
}

// StartedOnDays asks by the appliance's calendar: sessions that began on
// date (YYYY-MM-DD) and the days-1 following (0: to the present).
func StartedOnDays(r Report, date string, days int64) Query {
	return Query{Report: r, StartDate: date, Duration: i64(days)}
}

// EndedOnDays is StartedOnDays for closed sessions by their end.
func EndedOnDays(r Report, date string, days int64) Query {
	return Query{Report: r, EndDate: date, Duration: i64(days)}
}

// ByLSID asks AccessSession for one session, or a recording report for its
// recording.
func ByLSID(r Report, lsid string) Query { return Query{Report: r, LSID: lsid} }

// ByLSIDs asks AccessSession for several sessions.
func ByLSIDs(lsids ...string) Query { return Query{Report: AccessSession, LSIDs: lsids} }

// ShellRecordingOf asks for command shell recording instance of lsid, as text
// when txt is set.
func ShellRecordingOf(lsid string, instance int, txt bool) Query {
	q := Query{Report: CommandShellRecording, LSID: lsid, Instance: &instance}
	if txt {
		q.Format = "txt"
	}
	return q
}

// Kind returns the parameter set in use, or NoKind when none or several.
func (q Query) Kind() Kind {
	k, n := q.kinds()
	if n != 1 {
		return NoKind
	}
	return k
}

func (q Query) kinds() (Kind, int) {
	var k Kind
	n := 0
	set := func(ok bool, kind Kind) {
		if ok {
			k = kind
			n++
		}
	}
	set(q.StartDate != "", StartDate)
	set(q.StartTime != nil, StartTime)
	set(q.EndDate != "", EndDate)
	set(q.EndTime != nil, EndTime)
	set(q.LSID != "", OneLSID)
	set(q.LSIDs != nil, ManyLSIDs)
	return k, n
}

var lsidRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

// allowed lists the parameter sets of each report.
var allowed = map[Report][]Kind{
	AccessSession:          {StartDate, StartTime, EndDate, EndTime, OneLSID, ManyLSIDs},
	AccessSessionListing:   {StartDate, StartTime, EndDate, EndTime},
	AccessSessionSummary:   {StartDate, StartTime, EndDate, EndTime},
	Team:                   {StartDate, StartTime, EndDate, EndTime},
	AccessSessionRecording: {OneLSID},
	CommandShellRecording:  {OneLSID},
}

func names(ks []Kind) string {
	var s []string
	for _, k := range ks {
		s = append(s, kindParam[k])
	}
	return strings.Join(s, ", ")
}

// Params checks q and returns the parameters to send after username and
// password, in the guide's order: generate_report first.
func (q Query) Params() ([]Param, error) {
	k, err := q.kind()
	if err != nil {
		return nil, err
	}
	p := []Param{{"generate_report", string(q.Report)}}
	for _, add := range []func(Kind) ([]Param, error){q.setParams, q.durationParams, q.summaryParams, q.teamParams, q.recordingParams} {
		ps, err := add(k)
		if err != nil {
			return nil, err
		}
		p = append(p, ps...)
	}
	return p, nil
}

// kind is the one parameter set q fills, refused unless its report takes
// it.
func (q Query) kind() (Kind, error) {
	kinds, ok := allowed[q.Report]
	if !ok {
		return NoKind, fmt.Errorf("generate_report=%s is not a report type; use one of AccessSession, AccessSessionListing, AccessSessionSummary, Team, AccessSessionRecording, CommandShellRecording", Quote(string(q.Report)))
	}
	k, n := q.kinds()
	if n != 1 {
		what := "none"
		if n > 1 {
			what = fmt.Sprintf("%d", n)
		}
		return NoKind, fmt.Errorf("%s takes exactly one of %s; this query gives %s", q.Report, names(kinds), what)
	}
	if !slices.Contains(kinds, k) {
		return NoKind, fmt.Errorf("%s does not take %s; use one of %s", q.Report, kindParam[k], names(kinds))
	}
	return k, nil
}

func (q Query) checkLSID(id string) error {
	if q.AnyLSID {
		return nil
	}
	return CheckLSID(id)
}

// setParams is the parameter of the set: a date, a time, or lsids.
func (q Query) setParams(k Kind) ([]Param, error) {
	switch k {
	case StartDate, EndDate:
		v := q.StartDate + q.EndDate
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return nil, fmt.Errorf("%s=%s is not a date; write YYYY-MM-DD", kindParam[k], Quote(v))
		}
		return []Param{{kindParam[k], v}}, nil
	case StartTime, EndTime:
		v := q.StartTime
		if v == nil {
			v = q.EndTime
		}
		if *v < 0 {
			return nil, fmt.Errorf("%s=%d is before 1970", kindParam[k], *v)
		}
		return []Param{{kindParam[k], strconv.FormatInt(*v, 10)}}, nil
	case OneLSID:
		if err := q.checkLSID(q.LSID); err != nil {
			return nil, err
		}
		return []Param{{"lsid", q.LSID}}, nil
	case ManyLSIDs:
		if len(q.LSIDs) == 0 {
			return nil, fmt.Errorf("lsids needs at least one session ID")
		}
		for _, id := range q.LSIDs {
			if err := q.checkLSID(id); err != nil {
				return nil, err
			}
		}
		return []Param{{"lsids", strings.Join(q.LSIDs, ",")}}, nil
	}
	return nil, nil
}

// durationParams is the duration a time set needs, and only a time set.
func (q Query) durationParams(k Kind) ([]Param, error) {
	timeSet := k >= StartDate && k <= EndTime
	switch {
	case timeSet && q.Duration == nil:
		return nil, fmt.Errorf("%s needs duration (0 means to the present)", kindParam[k])
	case timeSet && *q.Duration < 0:
		return nil, fmt.Errorf("duration=%d is negative; use 0 for \"to the present\"", *q.Duration)
	case !timeSet && q.Duration != nil:
		return nil, fmt.Errorf("duration goes with a time window, not with %s", kindParam[k])
	case timeSet:
		return []Param{{"duration", strconv.FormatInt(*q.Duration, 10)}}, nil
	}
	return nil, nil
}

// summaryParams is AccessSessionSummary's report_type.
func (q Query) summaryParams(Kind) ([]Param, error) {
	if q.Report != AccessSessionSummary {
		if q.ReportType != "" {
			return nil, fmt.Errorf("report_type goes with AccessSessionSummary only")
		}
		return nil, nil
	}
	rt := q.ReportType
	if rt == "" {
		rt = "user"
	}
	if rt != "user" {
		return nil, fmt.Errorf("report_type=%s is not accepted; user is the only value", Quote(rt))
	}
	return []Param{{"report_type", rt}}, nil
}

// teamParams is Team's optional team_id.
func (q Query) teamParams(Kind) ([]Param, error) {
	if q.TeamID == nil {
		return nil, nil
	}
	if q.Report != Team {
		return nil, fmt.Errorf("team_id goes with Team only")
	}
	return []Param{{"team_id", strconv.Itoa(*q.TeamID)}}, nil
}

// recordingParams are CommandShellRecording's instance and format.
func (q Query) recordingParams(Kind) ([]Param, error) {
	if q.Report != CommandShellRecording {
		if q.Instance != nil {
			return nil, fmt.Errorf("instance goes with CommandShellRecording only")
		}
		if q.Format != "" {
			return nil, fmt.Errorf("format goes with CommandShellRecording only")
		}
		return nil, nil
	}
	if q.Instance == nil {
		return nil, fmt.Errorf("CommandShellRecording needs instance (0 for the first shell)")
	}
	if *q.Instance < 0 {
		return nil, fmt.Errorf("instance=%d is negative; instances start at 0", *q.Instance)
	}
	p := []Param{{"instance", strconv.Itoa(*q.Instance)}}
	switch q.Format {
	case "":
	case "txt":
		p = append(p, Param{"format", "txt"})
	default:
		return nil, fmt.Errorf("format=%s is not accepted; txt is the only value", Quote(q.Format))
	}
	return p, nil
}

// Window is one time window of a range.
type Window struct {
	From, To time.Time
	Query    Query
}

// MaxWindows is the most windows Windows cuts a range into: 100,000
// requests are more than a day of them at the appliance's 20 a second.
const MaxWindows = 100_000

// Windows cuts [from, to) into windows of at most step, each a StartTime or
// EndTime query (ended selects EndTime) of report r. There is no
// pagination, so a long range is asked for piece by piece; bounds may be
// inclusive on the appliance, so pass the results through a Dedup.
func Windows(r Report, ended bool, from, to time.Time, step time.Duration) ([]Window, error) {
	// The API counts whole seconds, and duration=0 means "to the present":
	// a window of less than a second must never be sent.
	from, to, step = from.Truncate(time.Second), to.Truncate(time.Second), step.Truncate(time.Second)
	if step < time.Second {
		return nil, fmt.Errorf("window %s is shorter than a second", step)
	}
	if !to.After(from) {
		return nil, fmt.Errorf("the range ends (%s) before it starts (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	// Each window is a request: a range cut too finely is refused before
	// it is built, not sent for hours or held in memory.
	if n := (to.Sub(from) + step - 1) / step; n > MaxWindows {
		return nil, fmt.Errorf("window %s cuts the range of %s into %d requests, more than %d: give a longer window", step, to.Sub(from), n, MaxWindows)
	}
	var ws []Window
	for t := from; t.Before(to); t = t.Add(step) {
		end := t.Add(step)
		if end.After(to) {
			end = to
		}
		q := StartedBetween(r, t, end)
		if ended {
			q = EndedBetween(r, t, end)
		}
		ws = append(ws, Window{From: t, To: end, Query: q})
	}
	return ws, nil
}

// Dedup drops an lsid seen at the edge of the previous window: when the
// appliance includes both bounds of a window, a session on the edge comes
// back in the next one. It holds only the edge of one window, never the
// whole range, so memory does not grow with the number of sessions.
type Dedup struct {
	prev, cur map[string]struct{}
}

// Next starts a new window.
func (d *Dedup) Next() {
	d.prev, d.cur = d.cur, make(map[string]struct{})
}

// Seen reports whether lsid was kept from the previous window.
func (d *Dedup) Seen(lsid string) bool {
	_, ok := d.prev[lsid]
	return ok
}

// Keep remembers lsid for the next window.
func (d *Dedup) Keep(lsid string) {
	if d.cur == nil {
		d.cur = make(map[string]struct{})
	}
	d.cur[lsid] = struct{}{}
}

// OnEdge reports whether s could come back in the window after w: its
// start (or, for an end_time window, its end) is in the last second of w,
// or unknown. Sessions asked for by lsid never come back.
func OnEdge(s *Session, w Window) bool {
	var t Timestamp
	switch w.Query.Kind() {
	case StartTime, StartDate:
		t = s.StartTime
	case EndTime, EndDate:
		t = s.EndTime
	default:
		return false
	}
	return !t.Valid || t.Unix >= w.To.Unix()-1
}

// Ranged runs fetch for each window in turn and yields every item once:
// id names an item (its lsid) for the Dedup across window edges, and edge
// says which items may come back in the next window (nil: all of them,
// for reports without times). It stops at the first error.
func Ranged[T any](ws []Window, id func(*T) string, edge func(*T, Window) bool, fetch func(Window) iter.Seq2[*T, error]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var d Dedup
		for _, w := range ws {
			d.Next()
			for v, err := range fetch(w) {
				if err != nil {
					// Only a window of time is named; one of lsids has none.
					if !w.From.IsZero() || !w.To.IsZero() {
						err = fmt.Errorf("window %s to %s: %w", w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339), err)
					}
					yield(nil, err)
					return
				}
				key := id(v)
				if d.Seen(key) {
					continue
				}
				if edge == nil || edge(v, w) {
					d.Keep(key)
				}
				if !yield(v, nil) {
					return
				}
			}
		}
	}
}

// Holds reports whether s lies in the time window q asks for. A
// start_time (end_time) query holds the sessions that began (ended) in
// [start, start+duration], both bounds included since the guide does not
// say; a duration of 0 runs to the present. An end query holds closed
// sessions only, and a session without the time its window is about is
// outside it. A date window is on the appliance's calendar, whose time
// zone the answer does not state, so it is given a day's slack on either
// side. Queries by lsid hold every session.
func (q Query) Holds(s *Session) bool {
	var from int64
	var t Timestamp
	scale, slack := int64(1), int64(0)
	switch q.Kind() {
	case StartTime:
		from, t = *q.StartTime, s.StartTime
	case EndTime:
		from, t = *q.EndTime, s.EndTime
	case StartDate, EndDate:
		day, err := time.Parse("2006-01-02", q.StartDate+q.EndDate)
		if err != nil {
			return true // Params refuses it before anything is sent
		}
		from, scale, slack = day.Unix(), 86400, 86400
		t = s.StartTime
		if q.EndDate != "" {
			t = s.EndTime
		}
	default:
		return true
	}
	if !t.Valid || t.Unix < from-slack {
		return false
	}
	if q.Duration == nil || *q.Duration == 0 {
		return true
	}
	return t.Unix <= from+*q.Duration*scale+slack
}
