package appliancetest

import (
	"io"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// The Reporting API's answers are written from these templates, one
// piece at a time so that a report streams. Each template is one line of
// XML, written as Go strings joined without separators, so the template
// adds no white space of its own; x escapes text and attribute values,
// add adds seconds to a timestamp.
var reportXML = template.Must(template.New("report").Funcs(template.FuncMap{"x": xmlEscaper.Replace, "add": func(a, b int64) int64 { return a + b }}).Parse(strings.Join([]string{
	`{{define "open"}}<?xml version="1.0" encoding="UTF-8"?>` + "\n\n" + `<{{.Root}}{{if .NS}} xmlns="{{.NS}}"{{end}}>` + "\n{{end}}",
	`{{define "close"}}</{{.}}>` + "\n{{end}}",
	`{{define "time"}}<{{.Name}} timestamp="{{.Stamp}}">{{.Text}}</{{.Name}}>{{end}}`,

	`{{define "session"}}`,
	`<session lsid="{{.LSID}}"><session_type>support</session_type><lseq>{{.Lseq}}</lseq>{{template "time" .StartTime}}{{template "time" .EndTime}}<duration>{{.Duration}}</duration>`,
	`<jumpoint id="1">London</jumpoint><external_key>{{x .ExternalKey}}</external_key><jump_group type="shared" id="2">Servers</jump_group>`,
	`<custom_attributes><custom_attribute display_name="Custom Field 1" code_name="custom_field1">=1+2</custom_attribute><custom_attribute display_name="Priority" code_name="priority">high</custom_attribute></custom_attributes>`,
	`{{if .Closed}}<session_chat_view_url>{{.Base}}&amp;dl_action=chat&amp;view=1</session_chat_view_url><session_chat_download_url>{{.Base}}&amp;dl_action=chat</session_chat_download_url>`,
	`{{if .Recording}}<session_recording_view_url>{{.Base}}&amp;view=1</session_recording_view_url><session_recording_download_url>{{.Base}}</session_recording_download_url>{{end}}{{end}}`,
	`{{if .ShellList}}<command_shell_recordings>{{range .ShellList}}<command_shell_recording instance="{{.}}"><download_url>{{$.Base}}&amp;shell={{.}}</download_url><view_url>{{$.Base}}&amp;shell={{.}}&amp;view=1</view_url></command_shell_recording>{{end}}</command_shell_recordings>{{end}}`,
	`<file_transfer_count>2</file_transfer_count><file_move_count>1</file_move_count><file_delete_count>1</file_delete_count>`,
	`<primary_customer gsnumber="12">{{x .Host}}</primary_customer><primary_rep gsnumber="22" id="{{.RepID}}">{{x .RepName}}</primary_rep>`,
	`<customer_list><customer gsnumber="12"><username>svc</username><public_ip>4.231.237.19:61606</public_ip><private_ip>10.0.0.12</private_ip><hostname>{{x .Host}}</hostname><os>Windows Server 2012 R2</os></customer></customer_list>`,
	`<rep_list><representative gsnumber="22" id="{{.RepID}}"><username>{{x .RepName}}</username><display_name>{{x .RepName}}</display_name><public_ip>[2a01:db8::1]:56722</public_ip><private_ip>10.0.0.5</private_ip><hostname>REP-PC</hostname><os>Windows 10</os><session_owner>1</session_owner><seconds_involved>{{.Seconds}}</seconds_involved></representative>`,
	`<representative gsnumber="23" id="9"><username>helper</username><display_name>Helper</display_name><public_ip>Unknown</public_ip><private_ip>10.0.0.9</private_ip><hostname>HELP-PC</hostname><os>macOS</os><session_owner>0</session_owner><seconds_involved>60</seconds_involved><invited>1</invited></representative></rep_list>`,
	`<session_details>{{range .Events}}<event timestamp="{{.Timestamp}}" event_type="{{x .Type}}">{{template "event" .}}</event>{{end}}</session_details></session>` + "\n",
	`{{end}}`,

	// An event's body: who performed it, then what its type carries.
	`{{define "event"}}`,
	`{{if .BySystem}}<performed_by gsnumber="0" type="system">System</performed_by>`,
	`{{else if .ByCustomer}}<performed_by gsnumber="12" type="customer">{{x .Host}}</performed_by>`,
	`{{else}}<performed_by gsnumber="22" type="representative">{{x .RepName}}</performed_by>{{end}}`,
	`{{if .Chat}}<destination gsnumber="12" type="customer">{{x .Host}}</destination><body>=cmd|' /C calc'!A0</body>`,
	`{{else if .Member}}<destination gsnumber="22" type="representative">{{x .RepName}}</destination><data><value name="name" value="{{x .RepName}}"/><value name="private_ip" value="10.0.0.5"/><value name="public_ip" value="[2a01:db8::1]:56722"/><value name="hostname" value="REP-PC"/><value name="os" value="Windows 10"/></data>`,
	`{{else if .File}}<filename>C:\temp\patch.msi</filename><filesize>20480</filesize>`,
	`{{else if .Files}}<files><file name="a.log" size="10"/><file name="b.log" size="20"/></files>`,
	`{{else if .SysInfo}}<system_information><category name="Processes"><description><field>Name</field><field>PID</field></description><data><row><field>explorer.exe</field><field>1234</field></row></data></category></system_information>`,
	`{{else if .Window}}<encoded_body>aGVsbG8BAndvcmxk</encoded_body>`,
	`{{else if .Registry}}<data><value name="key" value="HKLM\Software"/><value name="value" value="1"/></data>{{end}}`,
	`{{end}}`,

	`{{define "listing"}}<session_summary lsid="{{.LSID}}" has_recording="{{if .Recording}}1{{else}}0{{end}}"{{if .ExternalKey}} external_key="{{x .ExternalKey}}"{{end}}/>` + "\n{{end}}",

	`{{define "summary"}}<summary id="{{.ID}}" type="user"><display_name>{{x .Name}}</display_name><total_sessions>{{.Total}}</total_sessions><avg_sessions_per_weekday>{{.PerWeekday}}</avg_sessions_per_weekday><avg_duration>{{.AvgDuration}}</avg_duration></summary>` + "\n{{end}}",

	`{{define "team window"}}<start_time timestamp="{{.From.Unix}}">{{.From.Format "2006-01-02 15:04:05"}}</start_time><end_time timestamp="{{.To.Unix}}">{{.To.Format "2006-01-02 15:04:05"}}</end_time>` + "\n{{end}}",
	`{{define "team"}}`,
	`<team_activity id="{{.ID}}" name="{{x .Name}}"><logged_in_privileged_users><representative gsnumber="22" id="{{.Lead.RepID}}"><display_name>{{x .Lead.RepName}}</display_name><public_ip>1.1.1.1</public_ip><private_ip>10.0.0.5</private_ip></representative></logged_in_privileged_users><events>`,
	`{{range .Sessions}}`,
	`<event timestamp="{{.Start.Unix}}" event_type="Session Deployed to Queue"><performed_by gsnumber="22" type="representative">{{x .RepName}}</performed_by><destinations><destination gsnumber="0" type="system">System</destination></destinations><data><value name="lsid" value="{{.LSID}}"/></data></event>`,
	`<event timestamp="{{add .Start.Unix 1}}" event_type="Chat Message"><performed_by gsnumber="22" type="representative">{{x .RepName}}</performed_by><destinations><destination gsnumber="23" type="representative">Helper</destination></destinations><body>on {{x .Host}}</body></event>`,
	`<event timestamp="{{add .Start.Unix 2}}" event_type="Files Shared"><performed_by gsnumber="22" type="representative">{{x .RepName}}</performed_by><files><file name="runbook.pdf" size="4096"/></files></event>`,
	`{{end}}</events></team_activity>` + "\n",
	`{{end}}`,
}, "")))

// xmlEscaper escapes as esc does, built once: a report escapes every
// name of every session.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// writeXML executes the named template; a failure can only be a broken
// writer (a client gone), which the stand-in has nobody to tell.
func writeXML(w io.Writer, name string, data any) {
	_ = reportXML.ExecuteTemplate(w, name, data)
}

// timeXML is a report time element: a UNIX timestamp attribute and the
// ISO text, both empty for a zero time.
type timeXML struct {
	Name, Stamp, Text string
}

func newTimeXML(name string, t time.Time) timeXML {
	if t.IsZero() {
		return timeXML{Name: name}
	}
	return timeXML{Name: name, Stamp: strconv.FormatInt(t.Unix(), 10), Text: t.UTC().Format("2006-01-02T15:04:05+00:00")}
}

// sessionXML is what the "session" template writes of one session.
type sessionXML struct {
	StoredSession
	Lseq               int64
	StartTime, EndTime timeXML
	Duration           string
	Seconds            int64
	Closed             bool
	Base               string
	ShellList          []int
	Events             []eventXML
}

// eventXML is one event: who performed it (the system, the customer or
// else the representative), and what its type carries beyond that (at
// most one of Chat ... Registry). Plain fields, not comparisons in the
// template, keep a generated report of 200,000 sessions quick.
type eventXML struct {
	Timestamp                                            int64
	Type, Host, RepName                                  string
	BySystem, ByCustomer                                 bool
	Chat, Member, File, Files, SysInfo, Window, Registry bool
}

// newEventXML is event i of session s, of type et.
func newEventXML(s StoredSession, i int, et string) eventXML {
	e := eventXML{Timestamp: s.Start.Unix() + int64(i), Type: et, Host: s.Host, RepName: s.RepName}
	switch et {
	case "Session Start", "Session End", "Conference Member Added", "Conference Owner Changed":
		e.BySystem = true
	case "System Information Retrieved", "Service Access Allowed":
		e.ByCustomer = true
	}
	switch et {
	case "Chat Message":
		e.Chat = true
	case "Conference Member Added":
		e.Member = true
	case "File Upload", "File Download", "File Upload Failed", "File Download Failed", "File Deleted":
		e.File = true
	case "File Moved":
		e.Files = true
	case "System Information Retrieved":
		e.SysInfo = true
	case "Session Foreground Window Changed":
		e.Window = true
	case "Registry Value Modified":
		e.Registry = true
	}
	return e
}

// summaryXML is one row of AccessSessionSummary.
type summaryXML struct {
	ID, Total               int
	Name                    string
	PerWeekday, AvgDuration string
}

// teamXML is one team_activity of the Team report.
type teamXML struct {
	ID       int
	Name     string
	Lead     StoredSession
	Sessions []StoredSession
}
