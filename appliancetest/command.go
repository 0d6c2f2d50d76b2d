package appliancetest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brcs-toolkit/brcs/internal/apiversion"
)

// command serves /api/command as the guide describes it.
func (s *Server) command(w http.ResponseWriter, r *http.Request) {
	action := r.Form.Get("action")
	if _, ok := r.Form["Isid"]; ok {
		// The guide prints lsid as Isid; real appliances know only lsid.
		s.xmlError(w, http.StatusOK, "Invalid parameter Isid: the session ID parameter is lsid")
		return
	}
	var may func(*User) bool
	if action != "get_api_info" {
		may = (*User).MayCommand
	}
	u := s.authenticate(w, r, "command", may)
	if u == nil {
		return
	}
	switch action {
	case "get_api_info":
		s.apiInfo(w, u)
	case "check_health":
		s.checkHealth(w)
	case "get_session_attributes":
		s.getAttributes(w, r)
	case "set_session_attributes":
		s.setAttributes(w, r)
	case "terminate_session":
		s.terminate(w, r)
	case "import_jump_shortcut":
		s.mu.Lock()
		v := s.data.APIVersion
		s.mu.Unlock()
		if apiversion.Compare(v, "1.14.0") < 0 {
			s.xmlError(w, http.StatusOK, "Invalid action: import_jump_shortcut")
			return
		}
		s.importShortcut(w, r)
	case "":
		s.xmlError(w, http.StatusOK, "No action given")
	default:
		s.xmlError(w, http.StatusOK, "Invalid action: "+action)
	}
}

func (s *Server) apiInfo(w http.ResponseWriter, u *User) {
	s.mu.Lock()
	v, now := s.data.APIVersion, s.data.Now
	s.mu.Unlock()
	if now.IsZero() {
		now = time.Now()
	}
	b := func(x bool) string {
		if x {
			return "1"
		}
		return "0"
	}
	var in strings.Builder
	fmt.Fprintf(&in, "<api_version>%s</api_version><timestamp>%d</timestamp>", esc(v), now.Unix())
	// RS 24.3 removed company_name.
	if apiversion.Compare(v, "1.24.0") < 0 {
		in.WriteString("<company_name>Example</company_name>")
	}
	in.WriteString("<permissions>")
	if u.Perms != nil {
		for _, p := range u.Perms {
			fmt.Fprintf(&in, `<permission name="%s">%s</permission>`, esc(p.Name), esc(p.Value))
		}
		fmt.Fprintf(&in, "</permissions><user_id>%d</user_id>", u.ID)
		s.xmlDoc(w, http.StatusOK, "command", "api_information", "", in.String())
		return
	}
	fmt.Fprintf(&in, `<permission name="perm_use_command_api">%s</permission>`, b(u.CommandAPI))
	fmt.Fprintf(&in, `<permission name="perm_use_reporting_api">%s</permission>`, b(u.ReportingAPI))
	fmt.Fprintf(&in, `<permission name="perm_admin">%s</permission>`, b(u.Admin))
	fmt.Fprintf(&in, `<permission name="perm_view_reports">%s</permission>`, esc(u.ViewReports))
	fmt.Fprintf(&in, `<permission name="perm_view_sd_recordings">%s</permission>`, b(u.ViewRecordings))
	fmt.Fprintf(&in, "</permissions><user_id>%d</user_id>", u.ID)
	s.xmlDoc(w, http.StatusOK, "command", "api_information", "", in.String())
}

func (s *Server) checkHealth(w http.ResponseWriter) {
	s.mu.Lock()
	h := s.data.Health
	s.mu.Unlock()
	var in strings.Builder
	fmt.Fprintf(&in, `<appliance id="%s">%s</appliance><version>%s</version>`, esc(h.ApplianceID), esc(h.Appliance), esc(h.Version))
	if h.Success {
		in.WriteString("<success>1</success>")
	} else {
		in.WriteString("<success>0</success>")
	}
	if h.ErrorMessage != "" {
		fmt.Fprintf(&in, "<error_message>%s</error_message>", esc(h.ErrorMessage))
	}
	fmt.Fprintf(&in, "<failover_role>%s</failover_role>", esc(h.FailoverRole))
	if h.FailoverRole != "none" && h.FailoverRole != "" {
		if len(h.SharedIPs) > 0 {
			in.WriteString("<enabled_shared_ips>")
			for _, ip := range h.SharedIPs {
				fmt.Fprintf(&in, "<ip>%s</ip>", esc(ip))
			}
			in.WriteString("</enabled_shared_ips>")
		}
		if !h.LastSync.IsZero() {
			fmt.Fprintf(&in, `<last_data_sync_time ts="%d">%s</last_data_sync_time>`, h.LastSync.Unix(), h.LastSync.UTC().Format(time.RFC3339))
		}
		if h.LastSyncStatus != "" {
			fmt.Fprintf(&in, "<last_data_sync_status>%s</last_data_sync_status>", esc(h.LastSyncStatus))
		}
	}
	s.xmlDoc(w, http.StatusOK, "command", "health_check", "", in.String())
}

// probe serves /check_health as an appliance does: 200 or 500 and a
// small HTML page for people.
func (s *Server) probe(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	ok := s.data.Health.Success
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	msg := "OK"
	if !ok {
		w.WriteHeader(http.StatusInternalServerError)
		msg = "Health check failed"
	}
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%s</title></head><body><p>%s</p></body></html>\n", msg, msg)
}

// session returns the active session the lsid parameter names, answering
// the error when there is none.
func (s *Server) session(w http.ResponseWriter, r *http.Request) (string, *Session) {
	lsid := r.Form.Get("lsid")
	if lsid == "" {
		s.xmlError(w, http.StatusOK, "No lsid given")
		return "", nil
	}
	s.mu.Lock()
	sess := s.data.Sessions[lsid]
	s.mu.Unlock()
	if sess == nil {
		s.xmlError(w, http.StatusOK, "Session not found or not active: "+lsid)
		return "", nil
	}
	return lsid, sess
}

func (s *Server) getAttributes(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(w, r)
	if sess == nil {
		return
	}
	s.mu.Lock()
	var in strings.Builder
	for _, code := range sortedKeys(sess.Attrs) {
		display := s.data.CustomFields[code]
		if code == "external_key" {
			display = "External Key"
		}
		fmt.Fprintf(&in, `<custom_attribute display_name="%s" code_name="%s">%s</custom_attribute>`, esc(display), esc(code), esc(sess.Attrs[code]))
	}
	s.mu.Unlock()
	s.xmlDoc(w, http.StatusOK, "command", "custom_attributes", "", in.String())
}

const customPrefix = "session.custom."

func (s *Server) setAttributes(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(w, r)
	if sess == nil {
		return
	}
	set := map[string]string{}
	total := 0
	s.mu.Lock()
	fields := s.data.CustomFields
	s.mu.Unlock()
	for k, vs := range r.Form {
		if !strings.HasPrefix(k, customPrefix) {
			continue
		}
		code := k[len(customPrefix):]
		if _, ok := fields[code]; !ok && code != "external_key" {
			s.xmlError(w, http.StatusOK, "Unknown custom field: "+code)
			return
		}
		v := vs[len(vs)-1]
		if utf8.RuneCountInString(v) > 1024 {
			s.xmlError(w, http.StatusOK, "Custom field "+code+" is longer than 1024 characters")
			return
		}
		total += len(v)
		set[code] = v
	}
	if total > 10*1024 {
		s.xmlError(w, http.StatusOK, "Custom fields together are larger than 10KB")
		return
	}
	s.mu.Lock()
	for k, v := range set {
		if v == "" {
			delete(sess.Attrs, k)
		} else {
			sess.Attrs[k] = v
		}
	}
	s.mu.Unlock()
	s.xmlDoc(w, http.StatusOK, "command", "success", "", "Session attributes were set")
}

func (s *Server) terminate(w http.ResponseWriter, r *http.Request) {
	lsid, sess := s.session(w, r)
	if sess == nil {
		return
	}
	s.mu.Lock()
	delete(s.data.Sessions, lsid)
	s.mu.Unlock()
	s.xmlDoc(w, http.StatusOK, "command", "success", "", "Successfully terminated")
}

var displaySize = regexp.MustCompile(`^(primary|all|[1-9][0-9]*x[1-9][0-9]*)$`)

// importShortcut checks an import as the guide's rules say and records it.
func (s *Server) importShortcut(w http.ResponseWriter, r *http.Request) {
	f := r.Form
	kinds := map[string]string{"local_jump_hostname": "local", "remote_jump_hostname": "remote", "rdp_hostname": "rdp", "shelljump_hostname": "shell"}
	kind := ""
	for p, k := range kinds {
		if f.Get(p) != "" {
			if kind != "" {
				s.xmlError(w, http.StatusOK, "Give exactly one hostname parameter")
				return
			}
			kind = k
		}
	}
	s.mu.Lock()
	d := *s.data
	s.mu.Unlock()
	fail := func(msg string) { s.xmlError(w, http.StatusOK, msg) }
	switch {
	case kind == "":
		fail("A hostname is required")
		return
	case contains(d.PersonalGroups, f.Get("group")):
		fail("A Jump Item cannot be associated with a personal Jump Group using the import method")
		return
	case !contains(d.Teams, f.Get("group")):
		fail("Invalid group: " + f.Get("group"))
		return
	case kind != "local" && !contains(d.Jumpoints, f.Get("jumpoint")):
		fail("Invalid jumpoint: " + f.Get("jumpoint"))
		return
	case f.Get("jump_policy") != "" && !contains(d.JumpPolicies, f.Get("jump_policy")):
		fail("Invalid jump_policy: " + f.Get("jump_policy"))
		return
	case f.Get("session_policy") != "" && !contains(d.SessionPolicies, f.Get("session_policy")):
		fail("Invalid session_policy: " + f.Get("session_policy"))
		return
	case utf8.RuneCountInString(f.Get("tag")) > 1024 || utf8.RuneCountInString(f.Get("comments")) > 1024:
		fail("tag and comments hold at most 1024 characters")
		return
	}
	if kind == "rdp" {
		if v := f.Get("display_size"); v != "" && !displaySize.MatchString(v) {
			fail("Invalid display_size")
			return
		}
		if v := f.Get("quality"); v != "" && !contains([]string{"low", "best_perf", "perf_and_qual", "best_qual"}, v) {
			fail("Invalid quality")
			return
		}
		for _, p := range []string{"console", "ignore_untrusted"} {
			if v := f.Get(p); v != "" && v != "0" && v != "1" {
				fail("Invalid " + p)
				return
			}
		}
	}
	if kind == "shell" {
		if p := f.Get("protocol"); p != "ssh" && p != "telnet" {
			fail("Invalid protocol: use ssh or telnet")
			return
		}
		if !wholeIn(f.Get("port"), 1, 65535) {
			fail("Invalid port")
			return
		}
		if v := strings.ToLower(f.Get("terminal")); v != "" && v != "xterm" && v != "vt100" {
			fail("Invalid terminal")
			return
		}
		if !wholeIn(f.Get("keep_alive"), 0, 300) {
			fail("Invalid keep_alive")
			return
		}
	}
	rec := map[string]string{}
	for k := range f {
		if k != "username" && k != "password" && k != "action" {
			rec[k] = f.Get(k)
		}
	}
	s.mu.Lock()
	s.data.Shortcuts = append(s.data.Shortcuts, rec)
	s.mu.Unlock()
	s.xmlDoc(w, http.StatusOK, "command", "success", "", "Successfully imported Jump Item shortcut")
}

// wholeIn says whether v, a parameter that may be left out, is left out
// or a whole number from lo to hi.
func wholeIn(v string, lo, hi int) bool {
	if v == "" {
		return true
	}
	n, err := strconv.Atoi(v)
	return err == nil && lo <= n && n <= hi
}
