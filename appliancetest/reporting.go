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
	xmlns := ""
	if ns != "" {
		xmlns = fmt.Sprintf(` xmlns="%s"`, ns)
	}
	fmt.Fprintf(bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<session_list%s>\n", xmlns)
	for i := range g.N {
		writeSession(bw, g.session(i), true)
	}
	fmt.Fprint(bw, "</session_list>\n")
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
	xmlns := ""
	if ns != "" {
		xmlns = fmt.Sprintf(` xmlns="%s"`, ns)
	}
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	bw := bufio.NewWriterSize(w, 16<<10)
	defer bw.Flush()
	root := map[reporting.Report]string{reporting.AccessSession: "session_list", reporting.AccessSessionListing: "session_summary_list",
		reporting.AccessSessionSummary: "summary_list", reporting.Team: "team_activity_list"}[q.Report]
	fmt.Fprintf(bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<%s%s>\n", root, xmlns)
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
				key := ""
				if ss.ExternalKey != "" {
					key = fmt.Sprintf(` external_key="%s"`, esc(ss.ExternalKey))
				}
				fmt.Fprintf(bw, "<session_summary lsid=\"%s\" has_recording=\"%d\"%s/>\n", ss.LSID, b01(ss.Recording), key)
			}
			return true
		})
	case reporting.AccessSessionSummary:
		writeSummary(bw, match, sel)
	case reporting.Team:
		writeTeam(bw, match, sel, q.TeamID)
	}
	fmt.Fprintf(bw, "</%s>\n", root)
}

func b01(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ts(t time.Time) string {
	if t.IsZero() {
		return `<%s timestamp=""></%s>`
	}
	return fmt.Sprintf(`<%%s timestamp="%d">%s</%%s>`, t.Unix(), t.UTC().Format("2006-01-02T15:04:05+00:00"))
}

func hms(d time.Duration) string {
	s := int64(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// writeSession writes one <session> with every element of the guide's
// tree and one event of every event type.
func writeSession(w io.Writer, s StoredSession, recordings bool) {
	st := fmt.Sprintf(ts(s.Start), "start_time", "start_time")
	et := fmt.Sprintf(ts(s.End), "end_time", "end_time")
	dur := time.Since(s.Start)
	if !s.End.IsZero() {
		dur = s.End.Sub(s.Start)
	}
	fmt.Fprintf(w, `<session lsid="%s"><session_type>support</session_type><lseq>%d</lseq>%s%s<duration>%s</duration>`,
		s.LSID, s.Start.Unix()%100000, st, et, hms(dur))
	fmt.Fprintf(w, `<jumpoint id="1">London</jumpoint><external_key>%s</external_key><jump_group type="shared" id="2">Servers</jump_group>`, esc(s.ExternalKey))
	fmt.Fprint(w, `<custom_attributes><custom_attribute display_name="Custom Field 1" code_name="custom_field1">=1+2</custom_attribute><custom_attribute display_name="Priority" code_name="priority">high</custom_attribute></custom_attributes>`)
	closed := !s.End.IsZero()
	base := "https://access.example.com/session_download.ns?lsid=" + s.LSID
	if closed {
		fmt.Fprintf(w, `<session_chat_view_url>%s&amp;dl_action=chat&amp;view=1</session_chat_view_url><session_chat_download_url>%s&amp;dl_action=chat</session_chat_download_url>`, base, base)
		if s.Recording {
			fmt.Fprintf(w, `<session_recording_view_url>%s&amp;view=1</session_recording_view_url><session_recording_download_url>%s</session_recording_download_url>`, base, base)
		}
	}
	if recordings && s.Shells > 0 {
		fmt.Fprint(w, `<command_shell_recordings>`)
		for i := range s.Shells {
			fmt.Fprintf(w, `<command_shell_recording instance="%d"><download_url>%s&amp;shell=%d</download_url><view_url>%s&amp;shell=%d&amp;view=1</view_url></command_shell_recording>`, i, base, i, base, i)
		}
		fmt.Fprint(w, `</command_shell_recordings>`)
	}
	fmt.Fprintf(w, `<file_transfer_count>2</file_transfer_count><file_move_count>1</file_move_count><file_delete_count>1</file_delete_count>`)
	fmt.Fprintf(w, `<primary_customer gsnumber="12">%s</primary_customer><primary_rep gsnumber="22" id="%d">%s</primary_rep>`, esc(s.Host), s.RepID, esc(s.RepName))
	fmt.Fprintf(w, `<customer_list><customer gsnumber="12"><username>svc</username><public_ip>4.231.237.19:61606</public_ip><private_ip>10.0.0.12</private_ip><hostname>%s</hostname><os>Windows Server 2012 R2</os></customer></customer_list>`, esc(s.Host))
	fmt.Fprintf(w, `<rep_list><representative gsnumber="22" id="%d"><username>%s</username><display_name>%s</display_name><public_ip>[2a01:db8::1]:56722</public_ip><private_ip>10.0.0.5</private_ip><hostname>REP-PC</hostname><os>Windows 10</os><session_owner>1</session_owner><seconds_involved>%d</seconds_involved></representative>`,
		s.RepID, esc(s.RepName), esc(s.RepName), int64(dur/time.Second))
	fmt.Fprint(w, `<representative gsnumber="23" id="9"><username>helper</username><display_name>Helper</display_name><public_ip>Unknown</public_ip><private_ip>10.0.0.9</private_ip><hostname>HELP-PC</hostname><os>macOS</os><session_owner>0</session_owner><seconds_involved>60</seconds_involved><invited>1</invited></representative></rep_list>`)
	fmt.Fprint(w, `<session_details>`)
	t := s.Start.Unix()
	sys := `<performed_by gsnumber="0" type="system">System</performed_by>`
	rep := fmt.Sprintf(`<performed_by gsnumber="22" type="representative">%s</performed_by>`, esc(s.RepName))
	cust := fmt.Sprintf(`<performed_by gsnumber="12" type="customer">%s</performed_by>`, esc(s.Host))
	types := eventTypes
	if s.events > 0 && s.events < len(types) {
		types = types[:s.events]
	}
	for i, et := range types {
		inner := rep
		switch et {
		case "Session Start", "Session End", "Conference Member Added", "Conference Owner Changed":
			inner = sys
		case "System Information Retrieved", "Service Access Allowed":
			inner = cust
		}
		switch et {
		case "Chat Message":
			inner += `<destination gsnumber="12" type="customer">` + esc(s.Host) + `</destination><body>=cmd|' /C calc'!A0</body>`
		case "Conference Member Added":
			inner += fmt.Sprintf(`<destination gsnumber="22" type="representative">%s</destination><data><value name="name" value="%s"/><value name="private_ip" value="10.0.0.5"/><value name="public_ip" value="[2a01:db8::1]:56722"/><value name="hostname" value="REP-PC"/><value name="os" value="Windows 10"/></data>`, esc(s.RepName), esc(s.RepName))
		case "File Upload", "File Download", "File Upload Failed", "File Download Failed", "File Deleted":
			inner += `<filename>C:\temp\patch.msi</filename><filesize>20480</filesize>`
		case "File Moved":
			inner += `<files><file name="a.log" size="10"/><file name="b.log" size="20"/></files>`
		case "System Information Retrieved":
			inner += `<system_information><category name="Processes"><description><field>Name</field><field>PID</field></description><data><row><field>explorer.exe</field><field>1234</field></row></data></category></system_information>`
		case "Session Foreground Window Changed":
			inner += `<encoded_body>aGVsbG8BAndvcmxk</encoded_body>`
		case "Registry Value Modified":
			inner += `<data><value name="key" value="HKLM\Software"/><value name="value" value="1"/></data>`
		}
		fmt.Fprintf(w, `<event timestamp="%d" event_type="%s">%s</event>`, t+int64(i), et, inner)
	}
	fmt.Fprint(w, "</session_details></session>\n")
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
		name          string
		n, weekday    int
		total         time.Duration
		first, latest time.Time
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
		fmt.Fprintf(w, `<summary id="%d" type="user"><display_name>%s</display_name><total_sessions>%d</total_sessions><avg_sessions_per_weekday>%.1f</avg_sessions_per_weekday><avg_duration>%s</avg_duration></summary>`+"\n",
			id, esc(a.name), a.n, avg, hms(a.total/time.Duration(a.n)))
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
	fmt.Fprintf(w, `<start_time timestamp="%d">%s</start_time><end_time timestamp="%d">%s</end_time>`+"\n",
		from.Unix(), from.Format("2006-01-02 15:04:05"), to.Unix(), to.Format("2006-01-02 15:04:05"))
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
		fmt.Fprintf(w, `<team_activity id="%d" name="%s"><logged_in_privileged_users><representative gsnumber="22" id="%d"><display_name>%s</display_name><public_ip>1.1.1.1</public_ip><private_ip>10.0.0.5</private_ip></representative></logged_in_privileged_users><events>`,
			tm.id, tm.name, mine[0].RepID, esc(mine[0].RepName))
		for _, s := range mine {
			fmt.Fprintf(w, `<event timestamp="%d" event_type="Session Deployed to Queue"><performed_by gsnumber="22" type="representative">%s</performed_by><destinations><destination gsnumber="0" type="system">System</destination></destinations><data><value name="lsid" value="%s"/></data></event>`,
				s.Start.Unix(), esc(s.RepName), s.LSID)
			fmt.Fprintf(w, `<event timestamp="%d" event_type="Chat Message"><performed_by gsnumber="22" type="representative">%s</performed_by><destinations><destination gsnumber="23" type="representative">Helper</destination></destinations><body>on %s</body></event>`,
				s.Start.Unix()+1, esc(s.RepName), esc(s.Host))
			fmt.Fprintf(w, `<event timestamp="%d" event_type="Files Shared"><performed_by gsnumber="22" type="representative">%s</performed_by><files><file name="runbook.pdf" size="4096"/></files></event>`,
				s.Start.Unix()+2, esc(s.RepName))
		}
		fmt.Fprint(w, "</events></team_activity>\n")
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
