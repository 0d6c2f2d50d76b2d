// Package reporting is the Reporting API of the appliance (/api/reporting):
// the typed model of every report, streaming decoders that hand over one
// <session> (or <team_activity>) at a time, and queries as values that
// refuse any parameter combination the guide does not list.
//
// Elements are matched by local name in any namespace (the guide's
// https://www.bomgar.com/..., the http:// form real appliances send, the
// beyondtrust.com forms, or none). Elements the model does not know are kept
// in Extra, so an export loses nothing.
package reporting

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Timestamp is a report time: the text the appliance prints (ISO 8601 or its
// system time) and the UNIX seconds of the timestamp attribute, which wins
// when both are present: the number is exact, while the text's form
// varies between appliances (2024-12-03T15:26:05+00:00,
// 2019-10-07T00:32:50.877+0000, or the appliance's local time).
type Timestamp struct {
	Text string // as sent, possibly empty
	Unix int64  // seconds since 1970 UTC; meaningful when Valid
	// Valid is false for an empty element, such as the end_time of a
	// session still in progress or one that closed abnormally.
	Valid bool
	// Stamp is the timestamp attribute as sent, kept only when it is not
	// the plain number Unix holds (padded, signed, or not a number).
	Stamp string
	// More is what the element holds besides the timestamp and its text,
	// kept so that an export loses nothing; nil, as nearly always, when
	// nothing.
	More *TimeExtra
}

// TimeExtra is what a time element holds besides the timestamp and its
// text.
type TimeExtra struct {
	Attrs Attrs     `json:"attrs,omitempty"`
	Extra []Element `json:"extra,omitempty"`
}

// Time returns t as a time.Time in UTC, or the zero time when not Valid.
func (t Timestamp) Time() time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return time.Unix(t.Unix, 0).UTC()
}

// UnmarshalXML reads <start_time timestamp="...">text</start_time>.
func (t *Timestamp) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	var raw struct {
		Stamp string    `xml:"timestamp,attr"`
		TS    string    `xml:"ts,attr"`
		Text  string    `xml:",chardata"`
		Attrs Attrs     `xml:",any,attr"`
		Extra []Element `xml:",any"`
	}
	if err := d.DecodeElement(&raw, &se); err != nil {
		return err
	}
	stamp := raw.Stamp
	if stamp == "" {
		stamp = raw.TS
	} else if raw.TS != "" {
		raw.Attrs = append(raw.Attrs, xml.Attr{Name: xml.Name{Local: "ts"}, Value: raw.TS})
	}
	*t = parseStamp(stamp, strings.TrimSpace(raw.Text))
	if len(raw.Attrs) > 0 || len(raw.Extra) > 0 {
		t.More = &TimeExtra{Attrs: raw.Attrs, Extra: raw.Extra}
	}
	if stamp != "" && !(t.Valid && strconv.FormatInt(t.Unix, 10) == stamp) {
		t.Stamp = stamp
	}
	return nil
}

// UnmarshalXMLAttr reads an event's timestamp attribute: UNIX seconds as
// observed, or ISO 8601 text.
func (t *Timestamp) UnmarshalXMLAttr(a xml.Attr) error {
	*t = parseStamp(a.Value, "")
	t.Text = a.Value
	return nil
}

// parseStamp prefers the numeric attribute and falls back on lenient ISO.
func parseStamp(stamp, text string) Timestamp {
	t := Timestamp{Text: text}
	if n, err := strconv.ParseInt(strings.TrimSpace(stamp), 10, 64); err == nil {
		t.Unix, t.Valid = n, true
		return t
	}
	for _, s := range []string{stamp, text} {
		if tm, ok := parseISO(strings.TrimSpace(s)); ok {
			t.Unix, t.Valid = tm.Unix(), true
			return t
		}
	}
	return t
}

var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
}

func parseISO(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range isoLayouts {
		if tm, err := time.Parse(l, s); err == nil {
			return tm, true
		}
	}
	return time.Time{}, false
}

// MarshalJSON writes null for an absent time, else {"time","unix","text"}.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if !t.Valid && t.Text == "" && t.Stamp == "" && t.More == nil {
		return []byte("null"), nil
	}
	out := struct {
		Time  string `json:"time,omitempty"`
		Unix  *int64 `json:"unix,omitempty"`
		Text  string `json:"text,omitempty"`
		Stamp string `json:"stamp,omitempty"`
		*TimeExtra
	}{Text: t.Text, Stamp: t.Stamp, TimeExtra: t.More}
	if t.Valid {
		out.Time = t.Time().Format(time.RFC3339)
		u := t.Unix
		out.Unix = &u
	}
	return json.Marshal(out)
}

// Element is an element the model does not know, kept whole so that an
// export loses nothing.
type Element struct {
	XMLName xml.Name   `json:"-"`
	Attrs   []xml.Attr `xml:",any,attr" json:"-"`
	Inner   string     `xml:"-" json:"-"` // the content as XML, by local names
}

// MarshalJSON writes {"name", "attrs", "xml"} with the local name only.
func (e Element) MarshalJSON() ([]byte, error) {
	attrs := map[string]string{}
	for _, a := range e.Attrs {
		attrs[a.Name.Local] = a.Value
	}
	out := struct {
		Name  string            `json:"name"`
		Attrs map[string]string `json:"attrs,omitempty"`
		XML   string            `json:"xml,omitempty"`
	}{e.XMLName.Local, attrs, e.Inner}
	if len(out.Attrs) == 0 {
		out.Attrs = nil
	}
	return json.Marshal(out)
}

// Named is an element whose text is a name and which carries an id, such as
// <jumpoint id="1">Jumpoint A</jumpoint>.
type Named struct {
	Name  string    `xml:",chardata" json:"name"`
	ID    string    `xml:"id,attr" json:"id,omitempty"`
	Type  string    `xml:"type,attr" json:"type,omitempty"`
	Extra []Element `xml:",any" json:"extra,omitempty"`
	Attrs Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// Party is a participant reference: the primary customer or representative,
// or an event's performer or destination. GSNumber ties it to the
// customer_list and rep_list entries.
type Party struct {
	Name     string    `xml:",chardata" json:"name"`
	GSNumber string    `xml:"gsnumber,attr" json:"gsnumber,omitempty"`
	ID       string    `xml:"id,attr" json:"id,omitempty"`
	Type     string    `xml:"type,attr" json:"type,omitempty"`
	Extra    []Element `xml:",any" json:"extra,omitempty"`
	Attrs    Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// CustomAttribute is one custom field of a session.
type CustomAttribute struct {
	CodeName    string    `xml:"code_name,attr" json:"code_name"`
	DisplayName string    `xml:"display_name,attr" json:"display_name,omitempty"`
	Value       string    `xml:",chardata" json:"value"`
	Extra       []Element `xml:",any" json:"extra,omitempty"`
	Attrs       Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// ShellRecording is one command shell recording of a session.
type ShellRecording struct {
	Instance    int       `xml:"instance,attr" json:"instance"`
	DownloadURL string    `xml:"download_url" json:"download_url,omitempty"`
	ViewURL     string    `xml:"view_url" json:"view_url,omitempty"`
	Extra       []Element `xml:",any" json:"extra,omitempty"`
	Attrs       Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// Customer is an endpoint of the session (the guide: exactly one).
type Customer struct {
	GSNumber  string    `xml:"gsnumber,attr" json:"gsnumber"`
	Username  string    `xml:"username" json:"username,omitempty"`
	PublicIP  string    `xml:"public_ip" json:"public_ip,omitempty"`
	PrivateIP string    `xml:"private_ip" json:"private_ip,omitempty"`
	Hostname  string    `xml:"hostname" json:"hostname,omitempty"`
	OS        string    `xml:"os" json:"os,omitempty"`
	Extra     []Element `xml:",any" json:"extra,omitempty"`
	Attrs     Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// Representative is a user who took part. A user whose connection dropped
// appears again with a new gsnumber.
type Representative struct {
	GSNumber           string    `xml:"gsnumber,attr" json:"gsnumber"`
	ID                 string    `xml:"id,attr" json:"id,omitempty"`
	Username           string    `xml:"username" json:"username,omitempty"`
	DisplayName        string    `xml:"display_name" json:"display_name,omitempty"`
	PublicDisplayName  string    `xml:"public_display_name" json:"public_display_name,omitempty"`
	PrivateDisplayName string    `xml:"private_display_name" json:"private_display_name,omitempty"`
	PublicIP           string    `xml:"public_ip" json:"public_ip,omitempty"`
	PrivateIP          string    `xml:"private_ip" json:"private_ip,omitempty"`
	Hostname           string    `xml:"hostname" json:"hostname,omitempty"`
	OS                 string    `xml:"os" json:"os,omitempty"`
	SessionOwner       bool      `xml:"session_owner" json:"session_owner"`
	SecondsInvolved    int64     `xml:"seconds_involved" json:"seconds_involved"`
	Invited            bool      `xml:"invited" json:"invited,omitempty"`
	Extra              []Element `xml:",any" json:"extra,omitempty"`
	Attrs              Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// Value is one <value name="" value=""/> of an event's <data>.
type Value struct {
	Name  string    `xml:"name,attr" json:"name"`
	Value string    `xml:"value,attr" json:"value"`
	Extra []Element `xml:",any" json:"extra,omitempty"`
	Attrs Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// File is one <file> of an event's <files>. The guide gives its shape only
// for Team (attributes name and size); real AccessSession answers hold
// <filename> and <filesize> elements instead. Both are read, and any text
// is kept too.
type File struct {
	Name     string    `xml:"name,attr" json:"name"`
	Size     *int64    `xml:"size,attr" json:"size,omitempty"`
	Filename string    `xml:"filename" json:"filename,omitempty"`
	Filesize *int64    `xml:"filesize" json:"filesize,omitempty"`
	Text     string    `xml:",chardata" json:"text,omitempty"`
	Extra    []Element `xml:",any" json:"extra,omitempty"`
	Attrs    Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// InfoCategory is one table of an event's <system_information>: the header
// cells of <description> and the rows of <data>, aligned by position.
// Real appliances name each field (<field name="hostname">): the names are
// kept beside the cells, in HeaderNames and each row's Names.
type InfoCategory struct {
	Name        string    `xml:"name,attr" json:"name"`
	Header      []string  `xml:"-" json:"header,omitempty"`
	HeaderNames []string  `xml:"-" json:"header_names,omitempty"`
	Rows        []InfoRow `xml:"-" json:"rows,omitempty"`
	Extra       []Element `xml:",any" json:"extra,omitempty"`
	Attrs       Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// InfoRow is one row of a system information table: its cells, and the
// name attribute of each (empty where a field has none; nil when none has
// one).
type InfoRow struct {
	Fields []string  `json:"fields"`
	Names  []string  `json:"names,omitempty"`
	Extra  []Element `json:"extra,omitempty"`
	Attrs  Attrs     `json:"attrs,omitempty"`
}

type infoField struct {
	Name  string    `xml:"name,attr"`
	Text  string    `xml:",chardata"`
	Extra []Element `xml:",any"`
	Attrs Attrs     `xml:",any,attr"`
}

// UnmarshalXML reads <row> (or <description>) and its <field> children.
func (r *InfoRow) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	var raw struct {
		Fields []infoField `xml:"field"`
		Extra  []Element   `xml:",any"`
		Attrs  Attrs       `xml:",any,attr"`
	}
	if err := d.DecodeElement(&raw, &se); err != nil {
		return err
	}
	*r = InfoRow{Fields: make([]string, len(raw.Fields)), Extra: raw.Extra, Attrs: raw.Attrs}
	named := false
	for i, f := range raw.Fields {
		r.Fields[i] = f.Text
		named = named || f.Name != ""
		// What a field holds besides its text and name is kept in the row.
		r.Extra = append(r.Extra, f.Extra...)
		r.Attrs = append(r.Attrs, f.Attrs...)
	}
	if named {
		r.Names = make([]string, len(raw.Fields))
		for i, f := range raw.Fields {
			r.Names[i] = f.Name
		}
	}
	return nil
}

// UnmarshalXML reads a <category>: its <description> is the header, its
// <data> the rows.
func (c *InfoCategory) UnmarshalXML(d *xml.Decoder, se xml.StartElement) error {
	type plain InfoCategory // without this method
	var raw struct {
		*plain
		Description *InfoRow                `xml:"description"`
		Data        listOf[InfoRow, tagRow] `xml:"data"`
	}
	raw.plain = (*plain)(c)
	if err := d.DecodeElement(&raw, &se); err != nil {
		return err
	}
	c.Rows = raw.Data.Items
	c.Extra = append(c.Extra, raw.Data.rest...)
	if h := raw.Description; h != nil {
		c.Header, c.HeaderNames = h.Fields, h.Names
		c.Extra = append(c.Extra, h.Extra...)
		c.Attrs = append(c.Attrs, h.Attrs...)
	}
	return nil
}

// Attrs are attributes the model does not know, kept so that an export
// loses nothing. JSON writes them as an object by local name.
type Attrs []xml.Attr

// MarshalJSON writes {"local name": "value"}; a name seen twice (in two
// namespaces) gets "#2", "#3" after it.
func (a Attrs) MarshalJSON() ([]byte, error) {
	m := make(map[string]string, len(a))
	for _, x := range a {
		k := x.Name.Local
		for i := 2; ; i++ {
			if _, dup := m[k]; !dup {
				break
			}
			k = x.Name.Local + "#" + strconv.Itoa(i)
		}
		m[k] = x.Value
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON writes, in the order of the names.
func (a *Attrs) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	*a = nil
	for _, k := range keys {
		*a = append(*a, xml.Attr{Name: xml.Name{Local: k}, Value: m[k]})
	}
	return nil
}

// Event is one entry of a session's chronological log.
type Event struct {
	Timestamp   Timestamp `xml:"timestamp,attr" json:"timestamp"`
	Type        string    `xml:"event_type,attr" json:"event_type"`
	PerformedBy *Party    `xml:"performed_by" json:"performed_by,omitempty"`
	Destination *Party    `xml:"destination" json:"destination,omitempty"`
	// Body is the chat text; when the appliance sent encoded_body (text
	// XML cannot carry), Body holds its decoded form.
	Body string `xml:"body" json:"body,omitempty"`
	// EncodedBody is the base64 text as sent, kept for fidelity.
	EncodedBody string `xml:"encoded_body" json:"encoded_body,omitempty"`
	// BodyAsSent is the <body> text when the appliance sent both and
	// encoded_body decoded to something else.
	BodyAsSent        string         `xml:"-" json:"body_as_sent,omitempty"`
	Filename          string         `xml:"filename" json:"filename,omitempty"`
	Filesize          *int64         `xml:"filesize" json:"filesize,omitempty"`
	Files             []File         `xml:"files>file" json:"files,omitempty"`
	SystemInformation []InfoCategory `xml:"system_information>category" json:"system_information,omitempty"`
	Data              []Value        `xml:"data>value" json:"data,omitempty"`
	Extra             []Element      `xml:",any" json:"extra,omitempty"`
	Attrs             Attrs          `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// Session is one <session> of the AccessSession report.
type Session struct {
	LSID                 string            `xml:"lsid,attr" json:"lsid"`
	SessionType          string            `xml:"session_type" json:"session_type,omitempty"`
	LSeq                 int64             `xml:"lseq" json:"lseq"`
	StartTime            Timestamp         `xml:"start_time" json:"start_time"`
	EndTime              Timestamp         `xml:"end_time" json:"end_time"`
	Duration             string            `xml:"duration" json:"duration,omitempty"`
	Jumpoint             *Named            `xml:"jumpoint" json:"jumpoint,omitempty"`
	ExternalKey          string            `xml:"external_key" json:"external_key,omitempty"`
	JumpGroup            *Named            `xml:"jump_group" json:"jump_group,omitempty"`
	CustomAttributes     []CustomAttribute `xml:"custom_attributes>custom_attribute" json:"custom_attributes,omitempty"`
	ChatViewURL          string            `xml:"session_chat_view_url" json:"session_chat_view_url,omitempty"`
	ChatDownloadURL      string            `xml:"session_chat_download_url" json:"session_chat_download_url,omitempty"`
	RecordingViewURL     string            `xml:"session_recording_view_url" json:"session_recording_view_url,omitempty"`
	RecordingDownloadURL string            `xml:"session_recording_download_url" json:"session_recording_download_url,omitempty"`
	ShellRecordings      []ShellRecording  `xml:"command_shell_recordings>command_shell_recording" json:"command_shell_recordings,omitempty"`
	FileTransferCount    int64             `xml:"file_transfer_count" json:"file_transfer_count"`
	FileMoveCount        int64             `xml:"file_move_count" json:"file_move_count"`
	FileDeleteCount      int64             `xml:"file_delete_count" json:"file_delete_count"`
	PrimaryCustomer      *Party            `xml:"primary_customer" json:"primary_customer,omitempty"`
	PrimaryRep           *Party            `xml:"primary_rep" json:"primary_rep,omitempty"`
	Customers            []Customer        `xml:"customer_list>customer" json:"customers,omitempty"`
	Representatives      []Representative  `xml:"rep_list>representative" json:"representatives,omitempty"`
	Events               []Event           `xml:"session_details>event" json:"events,omitempty"`
	Extra                []Element         `xml:",any" json:"extra,omitempty"`
	Attrs                Attrs             `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// DurationSeconds parses the HH:MM:SS duration (hours unbounded); ok is
// false when it is absent or malformed, and when the session has no end
// (still in progress, or closed abnormally: the guide leaves end_time
// empty then), since a length needs an end. Appliances send the time so
// far for a running session, which only grows; Duration keeps that text.
func (s *Session) DurationSeconds() (int64, bool) {
	if !s.EndTime.Valid {
		return 0, false
	}
	return ParseHMS(s.Duration)
}

// ParseHMS parses HH:MM:SS with an unbounded hour count.
func ParseHMS(v string) (int64, bool) {
	parts := strings.Split(strings.TrimSpace(v), ":")
	if len(parts) != 3 {
		return 0, false
	}
	var n [3]int64
	for i, p := range parts {
		x, err := strconv.ParseInt(p, 10, 64)
		if err != nil || x < 0 || (i > 0 && x > 59) {
			return 0, false
		}
		n[i] = x
	}
	return n[0]*3600 + n[1]*60 + n[2], true
}

// Participant is what a gsnumber stands for in one session: a customer
// (endpoint), a representative, or the system ("0").
type Participant struct {
	Kind           string // "system", "customer", "representative", or "" when unknown
	Customer       *Customer
	Representative *Representative
}

// Name is the participant's most telling name: the representative's
// username (else display name), the customer's hostname (else username).
func (p Participant) Name() string {
	switch {
	case p.Representative != nil:
		return first(p.Representative.Username, p.Representative.DisplayName)
	case p.Customer != nil:
		return first(p.Customer.Hostname, p.Customer.Username)
	case p.Kind == "system":
		return "system"
	}
	return ""
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// Participant resolves a gsnumber against the session's customer_list and
// rep_list. gsnumbers may be recycled across sessions, so this only holds
// within one session. It reads the lists each time: for many lookups
// (every event of a session), build Participants once.
func (s *Session) Participant(gsnumber string) Participant {
	if gsnumber == "" {
		return Participant{}
	}
	for i := range s.Representatives {
		if s.Representatives[i].GSNumber == gsnumber {
			return Participant{Kind: "representative", Representative: &s.Representatives[i]}
		}
	}
	for i := range s.Customers {
		if s.Customers[i].GSNumber == gsnumber {
			return Participant{Kind: "customer", Customer: &s.Customers[i]}
		}
	}
	if gsnumber == "0" {
		return Participant{Kind: "system"}
	}
	return Participant{}
}

// Participants resolves the gsnumbers of one session through a map, so
// that resolving every event takes time in proportion to the session, not
// to its events times its participants. The zero value resolves nothing.
type Participants struct {
	byGS map[string]Participant
}

// Participants indexes s's rep_list and customer_list by gsnumber, with
// Participant's rule: the first representative, else the first customer,
// else the system for "0".
func (s *Session) Participants() Participants {
	p := Participants{byGS: make(map[string]Participant, len(s.Representatives)+len(s.Customers)+1)}
	add := func(gs string, v Participant) {
		if _, ok := p.byGS[gs]; !ok && gs != "" {
			p.byGS[gs] = v
		}
	}
	for i := range s.Representatives {
		add(s.Representatives[i].GSNumber, Participant{Kind: "representative", Representative: &s.Representatives[i]})
	}
	for i := range s.Customers {
		add(s.Customers[i].GSNumber, Participant{Kind: "customer", Customer: &s.Customers[i]})
	}
	add("0", Participant{Kind: "system"})
	return p
}

// Of is the participant a gsnumber stands for, or the zero Participant.
func (p Participants) Of(gsnumber string) Participant { return p.byGS[gsnumber] }

// Custom returns the value of a custom attribute by code name.
func (s *Session) Custom(code string) (string, bool) {
	for _, c := range s.CustomAttributes {
		if c.CodeName == code {
			return c.Value, true
		}
	}
	return "", false
}

// HasRecording reports whether the report lists a screen recording.
func (s *Session) HasRecording() bool { return s.RecordingDownloadURL != "" }

// finish decodes every encoded_body once the element is read.
func (s *Session) finish() {
	for i := range s.Events {
		e := &s.Events[i]
		e.Body, e.BodyAsSent = decodeBody(e.Body, e.EncodedBody)
	}
}

// decodeBody prefers encoded_body (RFC 2045 base64, line breaks allowed)
// and keeps the body when the encoding is broken; asSent is the body as
// sent when the decoded text replaces a different one.
func decodeBody(body, encoded string) (text, asSent string) {
	if encoded == "" {
		return body, ""
	}
	clean := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, encoded)
	b, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return body, ""
	}
	if body != "" && body != string(b) {
		asSent = body
	}
	return string(b), asSent
}

// SessionSummary is one row of AccessSessionListing.
type SessionSummary struct {
	LSID         string `xml:"lsid,attr" json:"lsid"`
	HasRecording bool   `xml:"has_recording,attr" json:"has_recording"`
	// ExternalKey is empty both when absent and when empty; the appliance
	// only sends it when one was defined.
	ExternalKey string    `xml:"external_key,attr" json:"external_key,omitempty"`
	Extra       []Element `xml:",any" json:"extra,omitempty"`
	Attrs       Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// UserSummary is one row of AccessSessionSummary (report_type=user).
type UserSummary struct {
	ID            string    `xml:"id,attr" json:"id"`
	Type          string    `xml:"type,attr" json:"type"`
	DisplayName   string    `xml:"display_name" json:"display_name"`
	TotalSessions int64     `xml:"total_sessions" json:"total_sessions"`
	AvgPerWeekday string    `xml:"avg_sessions_per_weekday" json:"avg_sessions_per_weekday"`
	AvgDuration   string    `xml:"avg_duration" json:"avg_duration"`
	Extra         []Element `xml:",any" json:"extra,omitempty"`
	Attrs         Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// AvgSessionsPerWeekday parses the decimal the appliance rounds.
func (u UserSummary) AvgSessionsPerWeekday() (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(u.AvgPerWeekday), 64)
	return f, err == nil
}

// TeamRep is a user logged in to a team at the start of a Team report.
type TeamRep struct {
	GSNumber    string    `xml:"gsnumber,attr" json:"gsnumber"`
	ID          string    `xml:"id,attr" json:"id,omitempty"`
	DisplayName string    `xml:"display_name" json:"display_name,omitempty"`
	PublicIP    string    `xml:"public_ip" json:"public_ip,omitempty"`
	PrivateIP   string    `xml:"private_ip" json:"private_ip,omitempty"`
	Extra       []Element `xml:",any" json:"extra,omitempty"`
	Attrs       Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// TeamEvent is one event of a team's activity. Team events wrap their
// targets in <destinations>, unlike AccessSession events.
type TeamEvent struct {
	Timestamp    Timestamp `xml:"timestamp,attr" json:"timestamp"`
	Type         string    `xml:"event_type,attr" json:"event_type"`
	PerformedBy  *Party    `xml:"performed_by" json:"performed_by,omitempty"`
	Destinations []Party   `xml:"destinations>destination" json:"destinations,omitempty"`
	Files        []File    `xml:"files>file" json:"files,omitempty"`
	Data         []Value   `xml:"data>value" json:"data,omitempty"`
	Body         string    `xml:"body" json:"body,omitempty"`
	EncodedBody  string    `xml:"encoded_body" json:"encoded_body,omitempty"`
	BodyAsSent   string    `xml:"-" json:"body_as_sent,omitempty"`
	Extra        []Element `xml:",any" json:"extra,omitempty"`
	Attrs        Attrs     `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

// TeamActivity is one <team_activity> of the Team report.
type TeamActivity struct {
	ID   string `xml:"id,attr" json:"id"`
	Name string `xml:"name,attr" json:"name"`
	// LoggedIn comes from <logged_in_privileged_users> or, as the guide's
	// path spells it, <logged_in_representatives>.
	LoggedIn  []TeamRep   `xml:"logged_in_privileged_users>representative" json:"logged_in,omitempty"`
	LoggedIn2 []TeamRep   `xml:"logged_in_representatives>representative" json:"-"`
	Events    []TeamEvent `xml:"events>event" json:"events,omitempty"`
	Extra     []Element   `xml:",any" json:"extra,omitempty"`
	Attrs     Attrs       `xml:",any,attr" json:"attrs,omitempty"` // attributes the model does not know
}

func (t *TeamActivity) finish() {
	t.LoggedIn = append(t.LoggedIn, t.LoggedIn2...)
	t.LoggedIn2 = nil
	for i := range t.Events {
		e := &t.Events[i]
		e.Body, e.BodyAsSent = decodeBody(e.Body, e.EncodedBody)
	}
}

// UnmarshalJSON reads what MarshalJSON writes, so an archived report comes
// back as it was.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	*t = Timestamp{}
	if string(b) == "null" {
		return nil
	}
	var in struct {
		Unix  *int64    `json:"unix"`
		Text  string    `json:"text"`
		Stamp string    `json:"stamp"`
		Attrs Attrs     `json:"attrs"`
		Extra []Element `json:"extra"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	t.Text, t.Stamp = in.Text, in.Stamp
	if len(in.Attrs) > 0 || len(in.Extra) > 0 {
		t.More = &TimeExtra{Attrs: in.Attrs, Extra: in.Extra}
	}
	if in.Unix != nil {
		t.Unix, t.Valid = *in.Unix, true
	}
	return nil
}

// UnmarshalJSON reads what MarshalJSON writes; attribute namespaces are not
// kept.
func (e *Element) UnmarshalJSON(b []byte) error {
	var in struct {
		Name  string            `json:"name"`
		Attrs map[string]string `json:"attrs"`
		XML   string            `json:"xml"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*e = Element{XMLName: xml.Name{Local: in.Name}, Inner: in.XML}
	keys := make([]string, 0, len(in.Attrs))
	for k := range in.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e.Attrs = append(e.Attrs, xml.Attr{Name: xml.Name{Local: k}, Value: in.Attrs[k]})
	}
	return nil
}
