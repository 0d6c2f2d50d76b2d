package appliancetest

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// EmptyStyle is how the stand-in says a report has nothing.
type EmptyStyle int

// EmptyStyles: the guide's empty list, or a root <error> as real
// appliances send, in English or French.
const (
	EmptyList EmptyStyle = iota
	RootErrorEnglish
	RootErrorFrench
)

// The no-results messages real appliances send (notes 1.5).
const (
	MsgNoResults       = "No Support report information matching your chosen criteria is available."
	MsgNoResultsFrench = "Aucune information de rapport d’assistance correspondant à vos critères n’est disponible."
	MsgExpired         = "This recording has expired and can no longer be viewed or downloaded."
)

// StoredSession is a closed (or running) session of the report store. The
// stand-in writes its full AccessSession element from these fields.
type StoredSession struct {
	LSID        string
	Start       time.Time
	End         time.Time // zero: still in progress
	ExternalKey string
	Host        string
	RepID       int
	RepName     string
	Team        string
	// Recording: a screen recording exists; Expired: it no longer does.
	Recording, Expired bool
	// Shells is the number of command shell recordings.
	Shells int
	events int // generated sessions: how many event types (0: all)
}

// Generated stands for N sessions the stand-in writes on the fly, never
// holding more than one: session i starts at Start + i*Step and lasts
// Step/2 (at least a second).
type Generated struct {
	N     int
	Start time.Time
	Step  time.Duration
	// Events is the number of events per session, at most the 31 event
	// types (0: all of them).
	Events int
}

// WriteXML writes the whole AccessSession answer for the generated
// sessions, in namespace ns ("" for none), as the stand-in serves it; for
// benchmarks that decode without a network.
func (g *Generated) WriteXML(w io.Writer, ns string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	writeXML(bw, "open", rootXML{Root: "session_list", NS: ns})
	for i := range g.N {
		writeSession(bw, g.session(i), true)
	}
	writeXML(bw, "close", "session_list")
	return bw.Flush()
}

func (g *Generated) session(i int) StoredSession {
	start := g.Start.Add(time.Duration(i) * g.Step)
	return StoredSession{
		LSID: fmt.Sprintf("%08x%024x", 0xfeed0000+i/1e9, i), Start: start, End: start.Add(max(g.Step/2, time.Second)),
		ExternalKey: fmt.Sprintf("INC%07d", i%1000), Host: fmt.Sprintf("HOST%04d", i%100),
		RepID: 1 + i%2, RepName: []string{"test", "carol"}[i%2], Team: "support", Recording: i%3 == 0, Shells: i % 2, events: g.Events,
	}
}

// Reports is the stand-in's Reporting API state.
type Reports struct {
	// Sessions are the fixture sessions, in start order.
	Sessions []StoredSession
	// Generated, when set, replaces Sessions with generated ones.
	Generated *Generated
	// UserTeams lists each user's teams, for team_sessions.
	UserTeams map[string][]string
	// Empty is how an empty report is answered.
	Empty EmptyStyle
	// RecordingSize is the size of each screen recording (default 64 KiB).
	RecordingSize int64
	// RecordingDisposition, when set, is sent as Content-Disposition of
	// recordings instead of a plain name (a hostile one, for tests).
	RecordingDisposition string
}

// The guide's session IDs, used by the fixture sessions.
const (
	LSID1 = "c69a8e10bea9428f816cfababe9815fe"
	LSID2 = "a5eeaa58591047b88556f944804227b0"
	LSID3 = "5bf07601298b495b87310da9ce571e22"
	LSID4 = "da4b510978a541d49398e88c66e28475"
)

// DefaultReports are four sessions on 2015-03-01 (the guide's dates): one
// with every element and event type, recordings and two shells; one with
// an expired recording; one still running; one of another team.
func DefaultReports() *Reports {
	day := time.Date(2015, 3, 1, 8, 0, 0, 0, time.UTC)
	return &Reports{
		Sessions: []StoredSession{
			{LSID: LSID1, Start: day, End: day.Add(time.Hour), ExternalKey: "INC0012345", Host: "ABCDEF02", RepID: 1, RepName: "test", Team: "support", Recording: true, Shells: 2},
			{LSID: LSID2, Start: day.Add(2 * time.Hour), End: day.Add(150 * time.Minute), ExternalKey: "INC0012345", Host: "WEB01", RepID: 3, RepName: "reporter", Team: "support", Recording: true, Expired: true, Shells: 1},
			{LSID: LSID3, Start: day.Add(3 * time.Hour), Host: "DB01", RepID: 1, RepName: "test", Team: "support"},
			{LSID: LSID4, Start: day.Add(26 * time.Hour), End: day.Add(27 * time.Hour), ExternalKey: "CHG0042", Host: "FW01", RepID: 5, RepName: "dan", Team: "remote_access", Recording: true},
		},
		UserTeams:     map[string][]string{ReportUser: {"support"}},
		RecordingSize: 64 << 10,
	}
}

// each calls f for every stored or generated session, in start order,
// until f returns false.
func (r *Reports) each(f func(StoredSession) bool) {
	if g := r.Generated; g != nil {
		for i := range g.N {
			if !f(g.session(i)) {
				return
			}
		}
		return
	}
	for _, s := range r.Sessions {
		if !f(s) {
			return
		}
	}
}

func (r *Reports) find(lsid string) (StoredSession, bool) {
	var out StoredSession
	found := false
	r.each(func(s StoredSession) bool {
		if s.LSID == lsid {
			out, found = s, true
		}
		return !found
	})
	return out, found
}

// visible applies the user's report scope.
func (r *Reports) visible(name string, u *User, s StoredSession) bool {
	switch u.ViewReports {
	case "all_sessions":
		return true
	case "team_sessions":
		return s.RepID == u.ID || slices.Contains(r.UserTeams[name], s.Team)
	case "user_sessions":
		return s.RepID == u.ID
	}
	return false
}

// selector is a parsed time set: which sessions a query covers.
type selector struct {
	q        reporting.Query
	from, to int64 // UNIX seconds; to < 0: to the present
	ended    bool
	lsids    []string
}

func (sel selector) match(s StoredSession) bool {
	switch sel.q.Kind() {
	case reporting.OneLSID, reporting.ManyLSIDs:
		return slices.Contains(sel.lsids, s.LSID)
	}
	t := s.Start
	if sel.ended {
		if s.End.IsZero() {
			return false // only closed sessions
		}
		t = s.End
	}
	u := t.Unix()
	return u >= sel.from && (sel.to < 0 || u <= sel.to) // both bounds included
}

// parseQuery reads the request into a reporting.Query and checks it with
// the client's own rules (one source of truth for the parameter sets).
func parseQuery(r *http.Request) (reporting.Query, selector, error) {
	f := r.Form
	q := reporting.Query{Report: reporting.Report(f.Get("generate_report")), StartDate: f.Get("start_date"), EndDate: f.Get("end_date"),
		LSID: f.Get("lsid"), ReportType: f.Get("report_type"), Format: f.Get("format")}
	if f.Has("Isid") {
		return q, selector{}, fmt.Errorf("Unknown parameter Isid")
	}
	num := func(key string, into **int64) error {
		if !f.Has(key) {
			return nil
		}
		v, err := strconv.ParseInt(f.Get(key), 10, 64)
		if err != nil {
			return fmt.Errorf("Invalid %s", key)
		}
		*into = &v
		return nil
	}
	for _, k := range []struct {
		key  string
		into **int64
	}{{"start_time", &q.StartTime}, {"end_time", &q.EndTime}, {"duration", &q.Duration}} {
		if err := num(k.key, k.into); err != nil {
			return q, selector{}, err
		}
	}
	if f.Has("lsids") {
		q.LSIDs = strings.Split(f.Get("lsids"), ",")
	}
	for _, k := range []struct {
		key  string
		into **int
	}{{"team_id", &q.TeamID}, {"instance", &q.Instance}} {
		if f.Has(k.key) {
			v, err := strconv.Atoi(f.Get(k.key))
			if err != nil {
				return q, selector{}, fmt.Errorf("Invalid %s", k.key)
			}
			*k.into = &v
		}
	}
	if _, err := q.Params(); err != nil {
		return q, selector{}, err
	}
	sel := selector{q: q, lsids: q.LSIDs, to: -1}
	if q.LSID != "" {
		sel.lsids = []string{q.LSID}
	}
	switch q.Kind() {
	case reporting.StartTime, reporting.EndTime:
		if q.EndTime != nil {
			sel.from, sel.ended = *q.EndTime, true
		} else {
			sel.from = *q.StartTime
		}
		if *q.Duration > 0 {
			sel.to = sel.from + *q.Duration
		}
	case reporting.StartDate, reporting.EndDate:
		d := q.StartDate
		if q.EndDate != "" {
			d, sel.ended = q.EndDate, true
		}
		day, _ := time.Parse("2006-01-02", d)
		sel.from = day.Unix()
		if *q.Duration > 0 {
			sel.to = day.AddDate(0, 0, int(*q.Duration)).Unix() - 1
		}
	}
	return q, sel, nil
}

// reporting serves /api/reporting.
func (s *Server) reporting(w http.ResponseWriter, r *http.Request) {
	u := s.authenticate(w, r, "reporting", func(u *User) bool { return u.ReportingAPI && u.ViewReports != "none" && u.ViewReports != "" })
	if u == nil {
		return
	}
	name := r.Form.Get("username")
	q, sel, err := parseQuery(r)
	if err != nil {
		s.xmlDoc(w, http.StatusOK, "reporting", "error", "", esc(err.Error()))
		return
	}
	s.mu.Lock()
	rep := *s.data.Reports
	s.mu.Unlock()
	switch q.Report {
	case reporting.AccessSessionRecording, reporting.CommandShellRecording:
		s.recording(w, &rep, name, u, q)
		return
	}
	var match []StoredSession // small reports only; AccessSession streams
	count := 0
	rep.each(func(ss StoredSession) bool {
		if sel.match(ss) && rep.visible(name, u, ss) {
			count++
			if q.Report != reporting.AccessSession && q.Report != reporting.AccessSessionListing {
				match = append(match, ss)
			}
		}
		return true
	})
	if count == 0 && q.Report != reporting.Team {
		switch rep.Empty {
		case RootErrorEnglish:
			s.xmlDoc(w, http.StatusOK, "reporting", "error", "", esc(MsgNoResults))
			return
		case RootErrorFrench:
			s.xmlDoc(w, http.StatusOK, "reporting", "error", "", esc(MsgNoResultsFrench))
			return
		}
	}
	s.mu.Lock()
	ns := s.data.Namespace.Namespace("reporting")
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	bw := bufio.NewWriterSize(w, 16<<10)
	defer bw.Flush()
	root := map[reporting.Report]string{reporting.AccessSession: "session_list", reporting.AccessSessionListing: "session_summary_list",
		reporting.AccessSessionSummary: "summary_list", reporting.Team: "team_activity_list"}[q.Report]
	writeXML(bw, "open", rootXML{Root: root, NS: ns})
	switch q.Report {
	case reporting.AccessSession:
		rep.each(func(ss StoredSession) bool {
			if sel.match(ss) && rep.visible(name, u, ss) {
				writeSession(bw, ss, u.ViewRecordings)
			}
			return true
		})
	case reporting.AccessSessionListing:
		rep.each(func(ss StoredSession) bool {
			if sel.match(ss) && rep.visible(name, u, ss) {
				writeXML(bw, "listing", ss)
			}
			return true
		})
	case reporting.AccessSessionSummary:
		writeSummary(bw, match, sel)
	case reporting.Team:
		writeTeam(bw, match, sel, q.TeamID)
	}
	writeXML(bw, "close", root)
}

// rootXML opens a report: the declaration, a blank line (as real
// appliances send) and the root element in namespace NS ("" for none).
type rootXML struct{ Root, NS string }

func hms(d time.Duration) string {
	s := int64(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// writeSession writes one <session> with every element of the guide's
// tree and one event of every event type.
func writeSession(w io.Writer, s StoredSession, recordings bool) {
	dur := time.Since(s.Start)
	if !s.End.IsZero() {
		dur = s.End.Sub(s.Start)
	}
	v := sessionXML{StoredSession: s, Lseq: s.Start.Unix() % 100000, StartTime: newTimeXML("start_time", s.Start), EndTime: newTimeXML("end_time", s.End),
		Duration: hms(dur), Seconds: int64(dur / time.Second), Closed: !s.End.IsZero(), Base: "https://access.example.com/session_download.ns?lsid=" + s.LSID}
	if recordings {
		for i := range s.Shells {
			v.ShellList = append(v.ShellList, i)
		}
	}
	types := eventTypes
	if s.events > 0 && s.events < len(types) {
		types = types[:s.events]
	}
	v.Events = make([]eventXML, len(types))
	for i, et := range types {
		v.Events[i] = newEventXML(s, i, et)
	}
	writeXML(w, "session", v)
}

// eventTypes are the guide's 31 AccessSession event types.
var eventTypes = []string{"Session Start", "Conference Member Added", "Chat Message", "Command Shell Session Started",
	"Conference Member Departed", "Conference Member State Changed", "Conference Owner Changed", "Credential Injection Attempt",
	"Credential Injection Attempt Failed", "Directory Created", "File Deleted", "File Download", "File Download Failed", "File Moved",
	"File Upload", "File Upload Failed", "Registry Exported", "Registry Imported", "Registry Key Added", "Registry Key Deleted",
	"Registry Key Renamed", "Registry Value Added", "Registry Value Deleted", "Registry Value Modified", "Registry Value Renamed",
	"Screen Recording", "Screenshot Captured", "Service Access Allowed", "Session Foreground Window Changed",
	"System Information Retrieved", "Session End"}

// writeSummary computes AccessSessionSummary rows from the sessions.
func writeSummary(w io.Writer, ss []StoredSession, sel selector) {
	type acc struct {
		name       string
		n, weekday int
		total      time.Duration
	}
	by := map[int]*acc{}
	var ids []int
	for _, s := range ss {
		a := by[s.RepID]
		if a == nil {
			a = &acc{name: s.RepName}
			by[s.RepID] = a
			ids = append(ids, s.RepID)
		}
		a.n++
		if wd := s.Start.Weekday(); wd != time.Saturday && wd != time.Sunday {
			a.weekday++
		}
		if !s.End.IsZero() {
			a.total += s.End.Sub(s.Start)
		}
	}
	slices.Sort(ids)
	// Weekdays in the window, at least one.
	days := 1
	if sel.to > 0 {
		days = 0
		for d := time.Unix(sel.from, 0).UTC(); d.Unix() <= sel.to; d = d.AddDate(0, 0, 1) {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				days++
			}
		}
		days = max(days, 1)
	}
	for _, id := range ids {
		a := by[id]
		avg := math.Round(float64(a.weekday)/float64(days)*10) / 10
		writeXML(w, "summary", summaryXML{ID: id, Name: a.name, Total: a.n, PerWeekday: strconv.FormatFloat(avg, 'f', 1, 64), AvgDuration: hms(a.total / time.Duration(a.n))})
	}
}

// writeTeam writes the Team fixture: the window, then one team_activity
// per team with sessions in it (or the asked team_id).
func writeTeam(w io.Writer, ss []StoredSession, sel selector, teamID *int) {
	from := time.Unix(sel.from, 0).UTC()
	to := time.Now().UTC()
	if sel.to > 0 {
		to = time.Unix(sel.to, 0).UTC()
	}
	writeXML(w, "team window", struct{ From, To time.Time }{from, to})
	teams := []struct {
		id   int
		name string
	}{{1, "support"}, {2, "remote_access"}}
	for _, tm := range teams {
		if teamID != nil && *teamID != tm.id {
			continue
		}
		var mine []StoredSession
		for _, s := range ss {
			if s.Team == tm.name {
				mine = append(mine, s)
			}
		}
		if len(mine) == 0 {
			continue
		}
		writeXML(w, "team", teamXML{ID: tm.id, Name: tm.name, Lead: mine[0], Sessions: mine})
	}
}

// recording serves AccessSessionRecording and CommandShellRecording.
func (s *Server) recording(w http.ResponseWriter, rep *Reports, name string, u *User, q reporting.Query) {
	if !u.ViewRecordings {
		s.xmlDoc(w, http.StatusOK, "reporting", "error", "", MsgNoPerm)
		return
	}
	ss, ok := rep.find(q.LSID)
	if !ok || !rep.visible(name, u, ss) {
		s.xmlDoc(w, http.StatusOK, "reporting", "error", "", "Session not found.")
		return
	}
	if q.Report == reporting.AccessSessionRecording {
		switch {
		case !ss.Recording || ss.End.IsZero():
			s.xmlDoc(w, http.StatusOK, "reporting", "error", "", "This session has no recording.")
			return
		case ss.Expired:
			s.xmlDoc(w, http.StatusOK, "reporting", "error", "", esc(MsgExpired))
			return
		}
		disp := rep.RecordingDisposition
		if disp == "" {
			disp = fmt.Sprintf(`attachment; filename="session_recording_%s.bin"`, ss.LSID)
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", disp)
		w.Header().Set("Content-Length", strconv.FormatInt(rep.RecordingSize, 10))
		WriteBackup(w, rep.RecordingSize)
		return
	}
	if *q.Instance >= ss.Shells {
		s.xmlDoc(w, http.StatusOK, "reporting", "error", "", "Invalid instance.")
		return
	}
	if q.Format == "txt" {
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		fmt.Fprintf(w, "$ whoami\r\n%s\r\n$ hostname\r\n%s\r\n$ exit\r\n", ss.RepName, ss.Host)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="shell_%s_%d.bin"`, ss.LSID, *q.Instance))
	WriteBackup(w, 4096+int64(*q.Instance))
}
