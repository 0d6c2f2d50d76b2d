package brcs

// The tables of the profiles. pam-15.3 follows the vendor's API guide 1.14.0;
// pra and rs add the actions later and sibling products accept (see
// shared/notes/domain.md in the project's workspace).

const (
	filterMax = 255       // each client.* filter, in characters
	customMax = 1024      // each session.custom.* field, in characters
	customSum = 10 * 1024 // all custom fields of a command together, in bytes
	maxCmds   = 10
)

var jumpMethods = []string{"push", "local_push", "pinned", "rdp", "shelljump"}

var methodWords = map[string]string{
	"push": "a Jump Item reached by remote push", "local_push": "a Jump Item reached by local push",
	"pinned": "a pinned Jump Client", "rdp": "a Remote Desktop Jump Item", "shelljump": "a Shell Jump Item", "vnc": "a VNC Jump Item",
}

// clientFilters are the names of the client.* filters, of which a jump
// needs one.
func clientFilters() []string {
	var out []string
	for _, p := range filterParams() {
		out = append(out, p.Name)
	}
	return out
}

func searchString(summary string) ParamSpec {
	return ParamSpec{Name: "search_string", Summary: summary, Flag: "search-string", MaxLen: filterMax, Filter: "details match"}
}

func loginAction() Action {
	return Action{
		Name:      "login",
		Summary:   "open the access console and log in, with saved credentials or the ones given",
		Placement: First,
		Params: []ParamSpec{
			{Name: "mechanism", Summary: "authentication mechanism", Values: []string{"username_password"}},
			{Name: "username", Summary: "user name to log in with", Flag: "username"},
			{Name: "password", Summary: "password, sent and stored in plain text", Secret: true, FreeText: true},
		},
		AllOrNone: [][]string{{"mechanism", "username", "password"}},
	}
}

func deleteAction() Action {
	return Action{
		Name:      "delete_script_file",
		Summary:   "delete the script file once it has run",
		Placement: Last,
	}
}

// externalKey is the custom field that links a session to a ticket; it is
// spelled out so that tools can offer it by name.
func externalKey() ParamSpec {
	return ParamSpec{Name: "session.custom.external_key", Summary: "the ticket number or other key that links the session to an external system",
		Flag: "external-key", MaxLen: customMax, InTotal: true, FreeText: true}
}

// codeNameDoc says why a custom field's code name is checked as it is.
const codeNameDoc = "The code name is the one given to the custom field when an administrator configures it on the appliance " +
	"(/login > Management > API Configuration); a field must be configured there before a script can set it. " +
	"The guide's examples use letters, digits and '_' (custom_field1, external_key) but it states no rule for " +
	"the characters of a code name, so any non-empty code name is accepted, percent-encoded like any key; " +
	"only control and bidi characters are refused, as in every key. Whether a code name exists is known only to the appliance."

func customField() ParamSpec {
	return ParamSpec{Name: "session.custom.", Prefix: true, Summary: "custom session attribute <code_name> (external_key links a ticket)",
		Doc: codeNameDoc, Flag: "custom", MaxLen: customMax, InTotal: true, FreeText: true}
}

func filterParams() []ParamSpec {
	return []ParamSpec{
		{Name: "client.comments", Summary: "Jump Items whose comments contain this text", Flag: "comments", MaxLen: filterMax, Filter: "comments contain"},
		{Name: "client.hostname", Summary: "Jump Items whose host name contains this text", Flag: "hostname", MaxLen: filterMax, Filter: "host name contains"},
		{Name: "client.private_ip", Summary: "pinned Jump Clients whose private IP address contains this text", Flag: "private-ip", MaxLen: filterMax, OnlyWith: "jump.method=pinned", Filter: "private IP address contains"},
		{Name: "client.public_ip", Summary: "pinned Jump Clients whose public IP address contains this text", Flag: "public-ip", MaxLen: filterMax, OnlyWith: "jump.method=pinned", Filter: "public IP address contains"},
		{Name: "client.tag", Summary: "Jump Items whose tag contains this text", Flag: "tag", MaxLen: filterMax, Filter: "tag contains"},
	}
}

func jumpAction(methods []string, extra ...ParamSpec) Action {
	params := filterParams()
	params = append(params, ParamSpec{Name: "jump.method", Summary: "only Jump Items using this Jump method", Flag: "method", Values: methods, ValueWords: methodWords})
	params = append(params, extra...)
	params = append(params, externalKey(), customField())
	oneOf := clientFilters()
	for _, p := range extra {
		if p.Name == "search_string" {
			oneOf = append(oneOf, p.Name)
		}
	}
	return Action{
		Name:       "start_jump_item_session",
		Summary:    "start a session with the Jump Item that matches the filters",
		Params:     params,
		AtLeastOne: [][]string{oneOf},
		TotalMax:   customSum,
	}
}

// otherActions are the actions of PRA, RS and PA 16.x beyond the guide.
// Of those that name no custom field, no source says whether they take
// one (a ServiceNow integration sends session.custom.external_key with
// start_vpro_session): CustomUnknown.
func otherActions() []Action {
	pinned := filterParams()
	pinned = append(pinned, searchString("pinned Jump Clients matching this text"), externalKey(), customField())
	return []Action{
		{
			Name: "start_pinned_client_session", Summary: "start a session with the pinned Jump Client that matches",
			Params:     pinned,
			AtLeastOne: [][]string{append(clientFilters(), "search_string")},
			TotalMax:   customSum,
		},
		{
			Name: "push_and_start_local", CustomUnknown: true, Summary: "push a client to a host on the local network and start a session",
			Params: []ParamSpec{{Name: "hostname", Summary: "host to push to", Required: true, MaxLen: filterMax}},
		},
		{
			Name: "push_and_start_remote", CustomUnknown: true, Summary: "push a client through a Jumpoint and start a session",
			Params: []ParamSpec{
				{Name: "target", Summary: "host to push to", Required: true},
				{Name: "jumpoint", Summary: "Jumpoint to push through"},
			},
		},
		{
			Name: "start_rdp_session", CustomUnknown: true, Summary: "start a Remote Desktop session",
			Params: []ParamSpec{
				{Name: "target", Summary: "host to connect to", Required: true},
				{Name: "jumpoint", Summary: "Jumpoint to connect through"},
				{Name: "username", Summary: "user name to connect as"},
				{Name: "display_size", Summary: "primary_display, all_displays or WIDTHxHEIGHT"},
				{Name: "quality", Summary: "display quality", Values: []string{"low", "performance", "performance_quality", "quality"}},
				{Name: "console", Summary: "connect to the console session", Values: []string{"no", "yes"}},
			},
		},
		{
			Name: "start_shell_jump_session", CustomUnknown: true, Summary: "start an SSH or Telnet Shell Jump session",
			Params: []ParamSpec{
				{Name: "target", Summary: "host to connect to", Required: true},
				{Name: "jumpoint", Summary: "Jumpoint to connect through"},
				{Name: "username", Summary: "user name to connect as"},
				{Name: "protocol", Summary: "ssh or telnet", Values: []string{"ssh", "telnet"}},
				{Name: "port", Summary: "TCP port"},
				{Name: "terminal", Summary: "terminal type", Values: []string{"xterm", "vt100"}},
			},
		},
	}
}

// rsActions are the actions only Remote Support accepts.
func rsActions() []Action {
	return []Action{
		{
			Name: "generate_session_key", CustomUnknown: true, Summary: "generate a session key",
			Params: []ParamSpec{{Name: "public_portal_hostname", Summary: "public portal to generate the key for", MaxLen: filterMax}},
		},
		{
			Name: "start_vnc_session", CustomUnknown: true, Summary: "start a VNC session",
			Params: []ParamSpec{
				{Name: "target", Summary: "host to connect to"},
				{Name: "jumpoint", Summary: "Jumpoint to connect through"},
				{Name: "port", Summary: "TCP port (default 5900)"},
			},
		},
		{
			Name: "start_vpro_session", CustomUnknown: true, Summary: "start an Intel vPro session",
			Params: []ParamSpec{
				{Name: "target", Summary: "host to connect to", Required: true},
				{Name: "jumpoint", Summary: "Jumpoint to connect through", Required: true},
			},
		},
	}
}

func buildCatalogues() []*Catalogue {
	pam := &Catalogue{
		Profile:     DefaultProfile,
		Description: "Bomgar PAM 15.3 (API guide 1.14.0): login, start_jump_item_session, delete_script_file",
		MaxCommands: maxCmds,
		Actions:     []Action{loginAction(), jumpAction(jumpMethods), deleteAction()},
	}
	pra := &Catalogue{
		Profile:     "pra",
		Description: "BeyondTrust Privileged Remote Access and Bomgar PA 16.x: pam-15.3 plus pinned-client, push, RDP and Shell Jump actions",
		MaxCommands: maxCmds,
		Actions:     append([]Action{loginAction(), jumpAction(jumpMethods), deleteAction()}, otherActions()...),
	}
	rsJump := jumpAction(append(append([]string(nil), jumpMethods...), "vnc"),
		searchString("Jump Items matching this text"),
		ParamSpec{Name: "credential_id", Summary: "credential to inject", MaxLen: filterMax})
	rs := &Catalogue{
		Profile:     "rs",
		Description: "BeyondTrust Remote Support: pra plus session keys, VNC and vPro, and search_string on start_jump_item_session",
		MaxCommands: maxCmds,
		Actions:     append(append([]Action{loginAction(), rsJump, deleteAction()}, otherActions()...), rsActions()...),
	}
	return []*Catalogue{pam, pra, rs}
}
