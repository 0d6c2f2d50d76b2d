package appliance

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/apiversion"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// MaxCommandBytes caps a Command API answer; the largest, a session's
// attributes, holds at most about 10 KB of values.
const MaxCommandBytes = 1 << 20

// JoinSession is listed by the guide among the Command API's actions but
// never documented (no parameters, no answer), so the client does not
// offer it rather than guess.
const JoinSession = "join_session"

// ask sends the Command API's action with params and reads the answer
// with parse; a parser's error gets the endpoint, and the client's
// secrets sealed.
func ask[T any](ctx context.Context, c *Client, action string, params Params, write bool, parse func([]byte) (T, error)) (T, error) {
	p := append(Params{{"action", action}}, params...)
	body, _, err := c.Fetch(ctx, Call{Path: CommandPath, Name: action, Params: p, Write: write}, MaxCommandBytes)
	if err != nil {
		var none T
		return none, err
	}
	v, err := parse(body)
	if e := asError(err); e != nil {
		e.Endpoint = c.endpoint(Call{Path: CommandPath})
		c.seal(e)
	}
	return v, err
}

// decode unmarshals an answer into v by local names, any namespace; a root
// or nested <error> becomes an *Error, as does an answer that is no XML.
func decode(body []byte, call string, v any) error {
	const endpoint = ""
	fail := func(kind Kind, format string, args ...any) error {
		return &Error{Endpoint: endpoint, Call: call, Status: http.StatusOK, Kind: kind, Err: fmt.Errorf(format, args...)}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fail(Malformed, "the appliance answered with an empty body")
	}
	ae, root := ReadError(bytes.NewReader(body))
	if ae != nil {
		return refused(endpoint, call, ae)
	}
	if root == "" {
		return fail(Malformed, "the answer is not XML")
	}
	var doc struct {
		XMLName xml.Name
		Errors  []xmlText `xml:"error"`
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&doc); err != nil {
		return fail(Malformed, "the answer is not well-formed XML: %v", err)
	}
	if len(doc.Errors) > 0 {
		return refused(endpoint, call, &APIError{Message: collapse(doc.Errors[0].Text), Code: doc.Errors[0].Code, Namespace: doc.XMLName.Space})
	}
	dec = xml.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return fail(Malformed, "the answer is not well-formed XML: %v", err)
	}
	return nil
}

func refused(endpoint, call string, ae *APIError) *Error { return ae.At(endpoint, call) }

// At makes the <error> of call's answer from endpoint an *Error, for
// readers of streamed answers (reports): Kind Refused, or Auth when the
// message says the credentials were refused.
func (ae *APIError) At(endpoint, call string) *Error {
	e := &Error{Endpoint: endpoint, Call: call, Status: http.StatusOK, Kind: Refused, Message: ae.Message, Code: ae.Code, Namespace: ae.Namespace}
	if IsAuth(e) {
		e.Kind = Auth
	}
	return e
}

type xmlText struct {
	Text string `xml:",chardata"`
	Code string `xml:"code,attr"`
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// Success is the <success> answer of a call that changes state.
type Success struct {
	// Message is the appliance's text, e.g. "Session attributes were set".
	Message string
}

func (c *Client) write(ctx context.Context, action string, p Params) (*Success, error) {
	return ask(ctx, c, action, p, true, func(body []byte) (*Success, error) { return ParseSuccess(body, action) })
}

// ParseSuccess reads the answer of a call that changes state: <success>
// with a message (any namespace). A root or nested <error>, or any other
// root, is an *Error.
func ParseSuccess(body []byte, call string) (*Success, error) {
	var doc struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
	}
	if err := decode(body, call, &doc); err != nil {
		return nil, err
	}
	if doc.XMLName.Local != "success" {
		return nil, &Error{Call: call, Status: http.StatusOK, Kind: Malformed,
			Err: fmt.Errorf("the appliance answered <%s>, not <success>", doc.XMLName.Local)}
	}
	return &Success{Message: collapse(doc.Text)}, nil
}

// APIInfo is get_api_info's answer.
type APIInfo struct {
	// Version is the API version, e.g. "1.14.0".
	Version string `json:"api_version"`
	// Timestamp is the appliance's clock when it answered.
	Timestamp time.Time `json:"timestamp"`
	UserID    int       `json:"user_id"`
	Company   string    `json:"company_name,omitempty"`
	// Permissions by name (perm_admin, perm_use_command_api, ...), unknown
	// ones kept: "1"/"0", or a scope for perm_view_reports.
	Permissions map[string]string `json:"permissions"`
	// Namespace is the namespace the appliance declared.
	Namespace string `json:"namespace"`
}

// Has reports whether the permission name is granted: "1", a scope other
// than "none" (perm_view_reports), or an access other than "deny"
// (perm_command's read_only and full_access).
func (a *APIInfo) Has(name string) bool {
	switch strings.ToLower(a.Permissions[name]) {
	case "", "0", "none", "deny", "no", "false":
		return false
	}
	return true
}

// IsAPIAccount reports whether the permissions are an OAuth API account's
// (perm_command, perm_reporting_*, perm_backup, ...) rather than a user
// account's of the guide (perm_admin, perm_use_command_api, ...).
func (a *APIInfo) IsAPIAccount() bool {
	for n := range a.Permissions {
		if n == "perm_command" || n == "perm_backup" || strings.HasPrefix(n, "perm_reporting_") {
			return true
		}
	}
	return false
}

// AccountKind names the kind of account, in words: "API account" (see
// IsAPIAccount) or "user account".
func (a *APIInfo) AccountKind() string {
	if a.IsAPIAccount() {
		return "API account"
	}
	return "user account"
}

// Workflows brcsapi runs, as Decide names them.
const (
	WorkflowReadSessions  = "read session attributes"
	WorkflowWriteSessions = "set session attributes, terminate sessions"
	WorkflowHealth        = "check_health (brcsapi health with credentials)"
	WorkflowShortcuts     = "import Jump shortcuts"
	WorkflowBackup        = "back up the configuration"
	WorkflowReports       = "download session reports"
	WorkflowRecordings    = "download session recordings"
)

// Decision says whether the account can run a workflow, and which
// permissions decided it.
type Decision struct {
	Workflow string `json:"workflow"`
	// Needs are the permissions the workflow needs on this kind of
	// account (each "name" or "name=value").
	Needs []string `json:"needs"`
	// MinVersion is the first API version that has it ("" any).
	MinVersion string `json:"min_api_version,omitempty"`
	Can        bool   `json:"can"`
	// DecidedBy are the permissions as the appliance gave them that
	// decided it ("perm_command=full_access").
	DecidedBy []string `json:"decided_by"`
	// Missing are what is lacking: permissions, or "API 1.14.0".
	Missing []string `json:"missing,omitempty"`
}

type need struct {
	name string
	// any of these values grants it; none: Has decides.
	values []string
}

// AccountReport is get_api_info's answer with what it comes to: the kind
// of account, what the API version has, and which workflows the account
// can run (brcsapi info, and its --json).
type AccountReport struct {
	*APIInfo
	AccountKind  string             `json:"account_kind"`
	Capabilities []CapabilityStatus `json:"capabilities"`
	Workflows    []Decision         `json:"workflows"`
}

// Report is what the answer comes to, as AccountReport.
func (a *APIInfo) Report() AccountReport {
	return AccountReport{a, a.AccountKind(), a.CapabilityList(), a.Decide()}
}

// Decide maps the account's permissions, of either generation, onto the
// workflows.
func (a *APIInfo) Decide() []Decision {
	type wf struct {
		what  string
		needs []need
		min   string
	}
	var list []wf
	if a.IsAPIAccount() {
		read := need{"perm_command", []string{"read_only", "full_access"}}
		full := need{"perm_command", []string{"full_access"}}
		list = []wf{
			{WorkflowReadSessions, []need{read}, ""},
			{WorkflowWriteSessions, []need{full}, ""},
			{WorkflowHealth, []need{read}, ""},
			{WorkflowShortcuts, []need{full}, ImportVersion},
			{WorkflowBackup, []need{{name: "perm_backup"}}, ""},
			{WorkflowReports, []need{{name: "perm_reporting_support"}}, ""},
			{WorkflowRecordings, []need{{name: "perm_reporting_support"}}, ""},
		}
	} else {
		admin := []need{{name: "perm_admin"}, {name: "perm_use_command_api"}}
		list = []wf{
			{WorkflowReadSessions, admin, ""},
			{WorkflowWriteSessions, admin, ""},
			{WorkflowHealth, admin, ""},
			{WorkflowShortcuts, admin, ImportVersion},
			{WorkflowBackup, []need{{name: "perm_admin"}}, ""},
			{WorkflowReports, []need{{name: "perm_use_reporting_api"}, {name: "perm_view_reports"}}, ""},
			{WorkflowRecordings, []need{{name: "perm_use_reporting_api"}, {name: "perm_view_sd_recordings"}}, ""},
		}
	}
	var out []Decision
	for _, w := range list {
		d := Decision{Workflow: w.what, MinVersion: w.min, Can: true, DecidedBy: []string{}}
		for _, n := range w.needs {
			v, given := a.Permissions[n.name]
			ok := a.Has(n.name)
			if n.values != nil {
				ok = false
				for _, want := range n.values {
					ok = ok || strings.EqualFold(v, want)
				}
				d.Needs = append(d.Needs, n.name+"="+strings.Join(n.values, "|"))
			} else {
				d.Needs = append(d.Needs, n.name)
			}
			if given {
				d.DecidedBy = append(d.DecidedBy, n.name+"="+v)
			} else {
				d.DecidedBy = append(d.DecidedBy, n.name+" (not listed)")
			}
			if !ok {
				d.Can = false
				d.Missing = append(d.Missing, d.Needs[len(d.Needs)-1])
			}
		}
		if w.min != "" && !a.AtLeast(w.min) {
			d.Can = false
			d.Missing = append(d.Missing, "API "+w.min)
			d.DecidedBy = append(d.DecidedBy, "api_version="+a.Version)
		}
		out = append(out, d)
	}
	return out
}

// Capability is something the API has from a version on.
type Capability struct {
	Since string `json:"since_api_version"`
	What  string `json:"what"`
}

// Capabilities is what the API gained, and lost, by version: what the
// client knows of versions after the guide's.
var Capabilities = []Capability{
	{"1.13.0", "Command API (session attributes, terminate_session, check_health, get_api_info), Reporting and Backup APIs"},
	{ImportVersion, "import_jump_shortcut"},
	{"1.16.0", "OAuth API accounts (/oauth2/token), current permission names; user accounts deprecated"},
	{"1.24.0", "get_api_info without company_name"},
}

// HasCapability reports whether the API version has the capability that starts at
// since.
func (a *APIInfo) HasCapability(c Capability) bool { return a.AtLeast(c.Since) }

// AtLeast reports whether the API version is at least v (dotted numbers).
func (a *APIInfo) AtLeast(v string) bool { return apiversion.Compare(a.Version, v) >= 0 }

// ImportVersion is the first API version with import_jump_shortcut.
const ImportVersion = "1.14.0"

// APIInfo asks get_api_info: the API version, the user and the user's
// permissions. Any valid account may ask.
func (c *Client) APIInfo(ctx context.Context) (*APIInfo, error) {
	return ask(ctx, c, "get_api_info", nil, false, ParseAPIInfo)
}

// ParseAPIInfo reads get_api_info's answer (root <api_information>, or
// any other root with its children; any namespace). A root or nested
// <error> is an *Error.
func ParseAPIInfo(body []byte) (*APIInfo, error) {
	var doc xmlAPIInfo
	if err := decode(body, "get_api_info", &doc); err != nil {
		return nil, err
	}
	return doc.info(), nil
}

type xmlAPIInfo struct {
	XMLName     xml.Name
	Version     string `xml:"api_version"`
	Timestamp   string `xml:"timestamp"`
	UserID      string `xml:"user_id"`
	Company     string `xml:"company_name"`
	Permissions struct {
		Items []struct {
			XMLName xml.Name
			Name    string `xml:"name,attr"`
			Value   string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"permissions"`
}

func (d *xmlAPIInfo) info() *APIInfo {
	a := &APIInfo{Version: strings.TrimSpace(d.Version), Company: strings.TrimSpace(d.Company), Permissions: map[string]string{}, Namespace: d.XMLName.Space}
	a.UserID, _ = strconv.Atoi(strings.TrimSpace(d.UserID))
	if n, err := strconv.ParseInt(strings.TrimSpace(d.Timestamp), 10, 64); err == nil {
		a.Timestamp = time.Unix(n, 0).UTC()
	}
	for _, p := range d.Permissions.Items {
		// <permission name="perm_admin">1</permission>, or <perm_admin>1</perm_admin>.
		name := p.XMLName.Local
		if name == "permission" {
			name = p.Name
		}
		if name != "" {
			a.Permissions[name] = strings.TrimSpace(p.Value)
		}
	}
	return a
}

// Health is check_health's answer.
type Health struct {
	// Appliance is the host name, ApplianceID its GUID.
	Appliance   string `json:"appliance"`
	ApplianceID string `json:"appliance_id"`
	Version     string `json:"version"`
	Success     bool   `json:"success"`
	// ErrorMessage is set when the appliance found a problem.
	ErrorMessage string `json:"error_message,omitempty"`
	// FailoverRole is none, primary or backup.
	FailoverRole string   `json:"failover_role"`
	SharedIPs    []string `json:"enabled_shared_ips,omitempty"`
	// LastSync is the last data sync (zero without failover).
	LastSync       time.Time `json:"last_data_sync_time,omitzero"`
	LastSyncStatus string    `json:"last_data_sync_status,omitempty"`
	Namespace      string    `json:"namespace"`
}

// FailoverConfigured reports whether the appliance is in a failover pair.
func (h *Health) FailoverConfigured() bool { return h.FailoverRole != "" && h.FailoverRole != "none" }

type xmlHealth struct {
	XMLName   xml.Name
	Appliance struct {
		ID   string `xml:"id,attr"`
		Name string `xml:",chardata"`
	} `xml:"appliance"`
	Version      string   `xml:"version"`
	Success      string   `xml:"success"`
	ErrorMessage string   `xml:"error_message"`
	FailoverRole string   `xml:"failover_role"`
	SharedIPs    []string `xml:"enabled_shared_ips>ip"`
	LastSync     struct {
		TS   string `xml:"ts,attr"`
		Text string `xml:",chardata"`
	} `xml:"last_data_sync_time"`
	LastSyncStatus string `xml:"last_data_sync_status"`
}

// CheckHealth asks check_health (an administrator allowed to use the
// Command API).
func (c *Client) CheckHealth(ctx context.Context) (*Health, error) {
	return ask(ctx, c, "check_health", nil, false, ParseHealth)
}

// ParseHealth reads check_health's answer (root <health_check>, any
// namespace). A root or nested <error> is an *Error.
func ParseHealth(body []byte) (*Health, error) {
	var d xmlHealth
	if err := decode(body, "check_health", &d); err != nil {
		return nil, err
	}
	h := &Health{Appliance: strings.TrimSpace(d.Appliance.Name), ApplianceID: strings.TrimSpace(d.Appliance.ID), Version: strings.TrimSpace(d.Version),
		ErrorMessage: collapse(d.ErrorMessage), FailoverRole: strings.TrimSpace(d.FailoverRole), LastSyncStatus: strings.TrimSpace(d.LastSyncStatus), Namespace: d.XMLName.Space}
	switch strings.TrimSpace(d.Success) {
	case "1":
		h.Success = true
	case "0":
	default:
		return nil, &Error{Call: "check_health", Status: http.StatusOK, Kind: Malformed,
			Err: fmt.Errorf("the answer's success is %q, not 1 or 0", d.Success)}
	}
	for _, ip := range d.SharedIPs {
		h.SharedIPs = append(h.SharedIPs, strings.TrimSpace(ip))
	}
	// The ts attribute (UNIX seconds) wins over the ISO text.
	if n, err := strconv.ParseInt(strings.TrimSpace(d.LastSync.TS), 10, 64); err == nil {
		h.LastSync = time.Unix(n, 0).UTC()
	} else if t, err := parseISO(d.LastSync.Text); err == nil {
		h.LastSync = t
	}
	return h, nil
}

// parseISO reads the ISO 8601 forms appliances send, with or without a
// colon in the offset and with or without fractions.
func parseISO(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700", "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO 8601 time: %q", s)
}

// Probe is the answer of the unauthenticated /check_health probe.
type Probe struct {
	// Status is the HTTP status: 200 healthy, 500 not.
	Status int
	// Healthy is Status == 200.
	Healthy bool
	// Message is the start of a plain-text body (at most 4 KiB), for
	// display; empty for an HTML page, whose text is for a browser.
	Message string
	// Elapsed is how long the probe took.
	Elapsed time.Duration
}

// Probe asks /check_health, with no credentials. The guide has the probe
// answer 200 when the appliance is healthy and 500 when not, with a page
// for people, so the probe is judged by its status alone: a 200 is
// healthy whatever its body, an HTML page included. An answer of any
// status is a *Probe; only a failed connection or a redirect (to /login,
// or a captive portal's) is an error.
func (c *Client) Probe(ctx context.Context) (*Probe, error) {
	start := time.Now()
	call := Call{Path: ProbePath, Name: "check_health probe", NoAuth: true}
	// A 500 is the probe's answer, not a failure to retry.
	once := *c
	once.o.Attempts = 1
	resp, err := once.Open(ctx, call)
	var e *Error
	switch {
	case err == nil:
		defer resp.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return &Probe{Status: http.StatusOK, Healthy: true, Message: collapse(string(b)), Elapsed: time.Since(start)}, nil
	case errors.As(err, &e) && e.Kind == APIDisabled && e.Status == http.StatusOK:
		// Open refuses an HTML page, which API calls never answer; for
		// the probe it is the page the guide describes.
		return &Probe{Status: http.StatusOK, Healthy: true, Elapsed: time.Since(start)}, nil
	case errors.As(err, &e) && e.Kind == HTTPStatus && e.Status != 0 && (e.Status < 300 || e.Status >= 400):
		return &Probe{Status: e.Status, Message: e.Message, Elapsed: time.Since(start)}, nil
	}
	return nil, err
}

// Attribute is a custom attribute of a session.
type Attribute struct {
	CodeName    string `json:"code_name"`
	DisplayName string `json:"display_name"`
	Value       string `json:"value"`
}

var lsidPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// CheckLSID checks a session ID: 32 lower-case hex digits, as appliances
// make them.
func CheckLSID(lsid string) error {
	if !lsidPattern.MatchString(lsid) {
		return fmt.Errorf("session ID %q: an lsid is 32 lower-case hex digits, e.g. c69a8e10bea9428f816cfababe9815fe", lsid)
	}
	return nil
}

// SessionAttributes asks get_session_attributes for an active session.
func (c *Client) SessionAttributes(ctx context.Context, lsid string) ([]Attribute, error) {
	if err := CheckLSID(lsid); err != nil {
		return nil, err
	}
	return ask(ctx, c, "get_session_attributes", Params{{"lsid", lsid}}, false, ParseAttributes)
}

// ParseAttributes reads get_session_attributes' answer (root
// <custom_attributes>, any namespace; none is an empty list). A root or
// nested <error> is an *Error.
func ParseAttributes(body []byte) ([]Attribute, error) {
	var doc struct {
		Attrs []struct {
			Code    string `xml:"code_name,attr"`
			Display string `xml:"display_name,attr"`
			Value   string `xml:",chardata"`
		} `xml:"custom_attribute"`
	}
	if err := decode(body, "get_session_attributes", &doc); err != nil {
		return nil, err
	}
	out := make([]Attribute, 0, len(doc.Attrs))
	for _, a := range doc.Attrs {
		out = append(out, Attribute{CodeName: a.Code, DisplayName: a.Display, Value: a.Value})
	}
	return out, nil
}

// AttrChange is one change of set_session_attributes: set a custom
// attribute (by code name; external_key is the ticket key) to a value, or
// clear it. An attribute not named keeps its value.
type AttrChange struct {
	Code  string
	Value string
	Clear bool
}

// Set sets the attribute code to value (which must not be empty: use Clear).
func Set(code, value string) AttrChange { return AttrChange{Code: code, Value: value} }

// Clear clears the attribute code (sends it with an empty value).
func Clear(code string) AttrChange { return AttrChange{Code: code, Clear: true} }

// ExternalKey is the code name of the attribute that links a session to a
// ticket.
const ExternalKey = "external_key"

// AttrParams checks changes against the catalogue's limits for custom
// fields (code names, characters per value, bytes together) and returns
// their parameters.
func AttrParams(changes []AttrChange) (Params, error) {
	if len(changes) == 0 {
		return nil, errors.New("no attribute to set or clear: give an external key, a custom NAME=VALUE or a NAME to clear")
	}
	cat, err := brcs.LookupProfile(brcs.DefaultProfile)
	if err != nil {
		return nil, err
	}
	act, ok := cat.Lookup("start_jump_item_session")
	if !ok {
		return nil, errors.New("the catalogue has no custom-field limits")
	}
	var p Params
	seen := map[string]bool{}
	total := 0
	for _, ch := range changes {
		key := "session.custom." + ch.Code
		spec, ok := act.Param(key)
		switch {
		case !ok || !spec.InTotal || !textsafe.Clean(ch.Code):
			return nil, fmt.Errorf("attribute %s: not a code name; give the custom field's code name as configured in /login > Management > API Configuration, without control or invisible characters", textsafe.Quote(ch.Code))
		case seen[ch.Code]:
			return nil, fmt.Errorf("attribute %q is given twice: set or clear it once", ch.Code)
		case !ch.Clear && ch.Value == "":
			return nil, fmt.Errorf("attribute %q: an empty value clears it; say so with clear (--clear %s), or give a value", ch.Code, ch.Code)
		case ch.Clear && ch.Value != "":
			return nil, fmt.Errorf("attribute %q is both set and cleared", ch.Code)
		case controlAt(ch.Value, true) != "":
			return nil, fmt.Errorf("attribute %q holds a %s: remove it (the appliance cannot send such a value back, so reading the session's attributes would fail)", ch.Code, controlAt(ch.Value, true))
		case spec.MaxLen > 0 && utf8.RuneCountInString(ch.Value) > spec.MaxLen:
			return nil, fmt.Errorf("attribute %q holds %d characters, more than the %d allowed", ch.Code, utf8.RuneCountInString(ch.Value), spec.MaxLen)
		}
		seen[ch.Code] = true
		total += len(ch.Value)
		p.Add(key, ch.Value)
	}
	if act.TotalMax > 0 && total > act.TotalMax {
		return nil, fmt.Errorf("the attributes hold %d bytes together, more than the %d-byte limit (external key included)", total, act.TotalMax)
	}
	return p, nil
}

// ParseAttrChanges reads changes of set_session_attributes as a command
// line writes them, after the changes given (the external key's, say):
// each of custom, CODE_NAME=VALUE, sets an attribute, and each of clear,
// a CODE_NAME, clears one. It checks them together as AttrParams does, so
// that nothing is sent when one is wrong.
func ParseAttrChanges(given []AttrChange, custom, clear []string) ([]AttrChange, error) {
	changes := slices.Clone(given)
	for _, kv := range custom {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--custom %q: write CODE_NAME=VALUE", kv)
		}
		changes = append(changes, Set(k, v))
	}
	for _, k := range clear {
		changes = append(changes, Clear(k))
	}
	if _, err := AttrParams(changes); err != nil {
		return nil, err
	}
	return changes, nil
}

// controlAt names the first control or bidi character in s and where it is
// ("control character U+001B at character 2"), or returns "". With text,
// s is free text (a ticket number, a comment), where a tab or a line break
// is data: XML carries those back, unlike the other control characters.
func controlAt(s string, text bool) string {
	n := 0
	for _, r := range s {
		n++
		if text && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if what := brcs.ControlName(r); what != "" {
			return fmt.Sprintf("%s at character %d", what, n)
		}
	}
	return ""
}

// SetSessionAttributes asks set_session_attributes for an active session.
// It is never retried once sent.
func (c *Client) SetSessionAttributes(ctx context.Context, lsid string, changes ...AttrChange) (*Success, error) {
	if err := CheckLSID(lsid); err != nil {
		return nil, err
	}
	p, err := AttrParams(changes)
	if err != nil {
		return nil, err
	}
	return c.write(ctx, "set_session_attributes", append(Params{{"lsid", lsid}}, p...))
}

// TerminateSession asks terminate_session. It is never retried once sent.
func (c *Client) TerminateSession(ctx context.Context, lsid string) (*Success, error) {
	if err := CheckLSID(lsid); err != nil {
		return nil, err
	}
	return c.write(ctx, "terminate_session", Params{{"lsid", lsid}})
}

// ImportJumpShortcut asks import_jump_shortcut (API 1.14.0 and later)
// after checking s. It is never retried once sent, since a retry could
// create a duplicate.
func (c *Client) ImportJumpShortcut(ctx context.Context, s Shortcut) (*Success, error) {
	p, err := s.Params()
	if err != nil {
		return nil, err
	}
	return c.write(ctx, "import_jump_shortcut", p)
}
