package brcs

// Rule describes one check: its stable kebab-case name, its default
// severity, a one-line summary, a longer help text, and a wrong and a right
// example. The table below is the one list of rules that the validator, the
// linter's --list-rules and --explain, and SARIF output all read.
type Rule struct {
	Name     string
	Severity Severity
	Summary  string
	Help     string
	Bad      string
	Good     string
}

// Rule names.
const (
	RuleBinaryInput       = "binary-input"
	RuleInputTooLarge     = "input-too-large"
	RuleMissingHeader     = "missing-header"
	RuleBadHeader         = "bad-header"
	RuleUnknownVersion    = "unknown-version"
	RuleNoCommands        = "no-commands"
	RuleBadLineEnding     = "bad-line-ending"
	RuleMixedLineEndings  = "mixed-line-endings"
	RuleEmptyLine         = "empty-line"
	RuleTooManyCommands   = "too-many-commands"
	RuleMissingAction     = "missing-action"
	RuleUnknownAction     = "unknown-action"
	RuleUnknownKey        = "unknown-key"
	RuleUnconfirmedKey    = "unconfirmed-custom-field"
	RuleDuplicateKey      = "duplicate-key"
	RuleMissingEquals     = "missing-equals"
	RuleEmptyKey          = "empty-key"
	RuleEmptyParameter    = "empty-parameter"
	RuleBadPercent        = "bad-percent-encoding"
	RuleIllegalChar       = "illegal-character"
	RuleNonCanonical      = "non-canonical-character"
	RuleLiteralPlus       = "literal-plus"
	RuleLowercaseHex      = "lowercase-hex"
	RuleEncodedUnreserved = "encoded-unreserved"
	RuleInvalidUTF8       = "invalid-utf8"
	RuleEncodedKey        = "encoded-key"
	RuleControlChar       = "control-character"
	RuleControlCharText   = "control-character-in-text"
	RuleEmptyFilter       = "empty-filter"
	RuleMissingParameter  = "missing-parameter"
	RuleValueTooLong      = "value-too-long"
	RuleInvalidValue      = "invalid-value"
	RuleAllOrNone         = "all-or-none"
	RuleAtLeastOne        = "at-least-one"
	RuleTotalTooLarge     = "custom-fields-too-large"
	RuleIneffectiveFilter = "ineffective-filter"
	RuleActionNotFirst    = "action-not-first"
	RuleActionNotLast     = "action-not-last"
	RulePlainPassword     = "plain-text-password"
	RulePlaceholder       = "placeholder-not-allowed"
	RuleLineBreakInCmd    = "line-break-in-command"
	RuleTooManyFindings   = "too-many-findings"
	RuleBadFileName       = "bad-file-name"
	RuleMisspelledExt     = "misspelled-extension"
)

var rules = []Rule{
	{RuleBinaryInput, Error, "the input holds a NUL byte",
		"A BRCS script is text. A NUL byte means a binary or corrupted file; nothing else is checked.",
		"BRCS1.0\\n\\x00action=login", "BRCS1.0\naction=login"},
	{RuleInputTooLarge, Error, "the input is larger than the size cap",
		"A script holds at most 10 commands, so a few kilobytes is already large. Inputs over the cap (1 MiB unless configured) are refused unread.",
		"(a 5 MiB file)", "BRCS1.0\naction=login"},
	{RuleMissingHeader, Error, "the first line is not the BRCS header",
		"A script starts with the header BRCS<digit>.<digit> on a line of its own, then the commands.",
		"action=login", "BRCS1.0\naction=login"},
	{RuleBadHeader, Error, "the header is malformed",
		"The header is exactly BRCS, a digit, a dot and a digit (BRCS1.0), with nothing else on its line.",
		"brcs 1.0\naction=login", "BRCS1.0\naction=login"},
	{RuleUnknownVersion, Warning, "the header names a version other than 1.0",
		"The only published version of the format is 1.0; a console may refuse another.",
		"BRCS2.0\naction=login", "BRCS1.0\naction=login"},
	{RuleNoCommands, Error, "the script has no command",
		"After the header a script holds at least one command.",
		"BRCS1.0\n", "BRCS1.0\naction=login\n"},
	{RuleBadLineEnding, Error, "a line ends with a lone carriage return",
		"Lines end with \\n or \\r\\n. A lone \\r is not a line break in this format.",
		"BRCS1.0\\raction=login", "BRCS1.0\\naction=login"},
	{RuleMixedLineEndings, Warning, "the file mixes \\n and \\r\\n line endings",
		"Use one line ending throughout; the fix uses the one the first line break uses.",
		"BRCS1.0\\r\\naction=login\\naction=delete_script_file", "BRCS1.0\\naction=login\\naction=delete_script_file"},
	{RuleEmptyLine, Error, "an empty line where a command belongs",
		"Commands follow one another with no blank line between them. One line break at the very end of the file is fine.",
		"BRCS1.0\n\naction=login", "BRCS1.0\naction=login"},
	{RuleTooManyCommands, Error, "more than 10 commands",
		"A script holds at most 10 commands. Split the work over several scripts.",
		"BRCS1.0\n(11 commands)", "BRCS1.0\n(10 commands or fewer)"},
	{RuleMissingAction, Error, "a command does not start with action=",
		"Every command starts with action=<name>; its parameters follow as &key=value.",
		"client.hostname=ABCDEF02&action=start_jump_item_session", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleUnknownAction, Error, "the action is not one this profile knows",
		"The action names a command of the console. Which ones exist depends on the product (see --profile).",
		"action=start_jump_session&client.hostname=ABCDEF02", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleUnknownKey, Error, "the action takes no parameter of that name",
		"Each action takes a fixed set of parameters; custom session attributes are session.custom.<code_name>.",
		"action=start_jump_item_session&client.host=ABCDEF02", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleUnconfirmedKey, Warning, "no source says whether the action takes custom fields",
		"The vendor's later guides list the parameters of some actions (start_vpro_session, start_rdp_session, ...) without saying whether they take custom session attributes. A session.custom.<code_name> on such an action may be kept or ignored by the console; it is checked like any value, and said to be unconfirmed.",
		"action=start_vpro_session&target=h&jumpoint=j&session.custom.external_key=INC1", "action=start_jump_item_session&client.hostname=h&session.custom.external_key=INC1"},
	{RuleDuplicateKey, Error, "a parameter is given twice in one command",
		"Each parameter appears at most once in a command. A second action= in a command is a common sign of a value that was not encoded.",
		"action=start_jump_item_session&client.hostname=A&client.hostname=B", "action=start_jump_item_session&client.hostname=A"},
	{RuleMissingEquals, Error, "a parameter has no '='",
		"A parameter is key=value; an empty value is written key=.",
		"action=start_jump_item_session&client.hostname", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleEmptyKey, Error, "a parameter has an empty key",
		"A parameter is key=value and the key cannot be empty.",
		"action=start_jump_item_session&=ABCDEF02", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleEmptyParameter, Error, "two '&' in a row, or an '&' at the end or start of a command",
		"Parameters are separated by exactly one '&'.",
		"action=start_jump_item_session&&client.hostname=ABCDEF02&", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleBadPercent, Error, "a '%' that does not start a %XX escape",
		"In RFC 3986 percent-encoding, '%' is followed by two hex digits. A literal percent sign is %25.",
		"session.custom.note=100%", "session.custom.note=100%25"},
	{RuleIllegalChar, Error, "a raw character that a URI never allows",
		"Spaces, control characters, non-ASCII bytes and \" < > \\ ^ ` { | } # [ ] must be percent-encoded (a space is %20).",
		"client.comments=web server", "client.comments=web%20server"},
	{RuleNonCanonical, Warning, "a raw reserved character that should be percent-encoded",
		"! $ ' ( ) * , ; = : @ / ? are legal in a query but mean different things to different parsers; the canonical form encodes them.",
		"session.custom.note=a:b", "session.custom.note=a%3Ab"},
	{RuleLiteralPlus, Warning, "a raw '+', which is a plus sign here and not a space",
		"RFC 3986 percent-encoding is not HTML form encoding: '+' stays a plus sign. Write %20 for a space and %2B for a plus.",
		"client.comments=web+server", "client.comments=web%20server"},
	{RuleLowercaseHex, Warning, "a percent-encoding with lower-case hex digits",
		"RFC 3986 producers use upper-case hex digits in %XX escapes.",
		"client.comments=web%2fserver", "client.comments=web%2Fserver"},
	{RuleEncodedUnreserved, Warning, "a percent-encoded letter, digit, '-', '.', '_' or '~'",
		"Unreserved characters are never percent-encoded in the canonical form.",
		"client.hostname=%41BCDEF02", "client.hostname=ABCDEF02"},
	{RuleInvalidUTF8, Error, "a key or value that does not decode to valid UTF-8",
		"Text is encoded as UTF-8 and then percent-encoded byte by byte: é is %C3%A9.",
		"client.comments=caf%E9", "client.comments=caf%C3%A9"},
	{RuleEncodedKey, Error, "a key of the catalogue written with percent-encoding",
		"Keys are the catalogue's names written as they are: the console compares them as text, so client.hostnam%65 is not client.hostname. (A command's first key is the literal action; an encoded letter there is a missing-action.)",
		"action=start_jump_item_session&client.hostnam%65=ABCDEF02", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleControlChar, Error, "a key, a filter, an enumerated value or a name that decodes to a control or bidi character",
		"A decoded control character (NUL, CR, LF, ESC, DEL, C1) or bidirectional control (U+202E and the like) has no place in a key or in a value the console matches or looks up (client.* filters, enumerated values, host and user names), and can rewrite what a person is shown on a terminal. Which values are free text, where it is only a warning, is in the catalogue.",
		"client.hostname=PC01%1B%5B1A", "client.hostname=PC01"},
	{RuleControlCharText, Warning, "free text (a custom field) that decodes to a control or bidi character",
		"Custom fields are free text, so a line break there may be meant; but a control or bidirectional control character can also hide what the text says when it is shown. Check it is intended.",
		"session.custom.note=line1%0Aline2%E2%80%AE", "session.custom.note=line1%20line2"},
	{RuleEmptyFilter, Error, "a search filter with an empty value",
		"A filter with an empty value matches every Jump Item, so it narrows nothing; an empty value never counts as a given filter. Give the text to search for, or leave the filter out.",
		"action=start_jump_item_session&client.hostname=", "action=start_jump_item_session&client.hostname=ABCDEF02"},
	{RuleMissingParameter, Error, "a required parameter is missing",
		"Some actions need certain parameters; the message names them. An empty value does not count as given.",
		"action=push_and_start_local", "action=push_and_start_local&hostname=ABCDEF02"},
	{RuleValueTooLong, Error, "a value is longer than its limit",
		"Limits count characters after decoding: client.* filters at most 255, each session.custom field at most 1024.",
		"client.hostname=(300 characters)", "client.hostname=(255 characters or fewer)"},
	{RuleInvalidValue, Error, "a value is not one of those the parameter accepts",
		"Some parameters take one of a fixed set of values, e.g. jump.method is push, local_push, pinned, rdp or shelljump.",
		"jump.method=Pinned", "jump.method=pinned"},
	{RuleAllOrNone, Error, "parameters that go together are given only in part",
		"login takes mechanism, username and password all together or none of them; an empty value does not count as given.",
		"action=login&username=alice", "action=login&mechanism=username_password&username=alice&password=..."},
	{RuleAtLeastOne, Error, "none of the parameters of which one is required",
		"start_jump_item_session needs at least one client.* filter with a value to find the Jump Item; an empty value does not count as given.",
		"action=start_jump_item_session&jump.method=pinned", "action=start_jump_item_session&client.hostname=ABCDEF02&jump.method=pinned"},
	{RuleTotalTooLarge, Error, "the custom fields together exceed 10 KB",
		"All session.custom.* values of a command, the external key included, total at most 10,240 bytes after decoding.",
		"(eleven 1000-character custom fields)", "(fewer or shorter fields)"},
	{RuleIneffectiveFilter, Warning, "a filter that cannot match with the chosen Jump method",
		"client.private_ip and client.public_ip only match pinned Jump Clients; with another jump.method nothing matches.",
		"client.private_ip=10.10.24&jump.method=rdp", "client.private_ip=10.10.24&jump.method=pinned"},
	{RuleActionNotFirst, Warning, "an action that belongs first (login) is not the first command",
		"The appliance puts login first; the commands before it run before the console has logged in.",
		"action=start_jump_item_session&client.hostname=A\naction=login", "action=login\naction=start_jump_item_session&client.hostname=A"},
	{RuleActionNotLast, Warning, "an action that belongs last (delete_script_file) is not the last command",
		"delete_script_file removes the script; the appliance puts it last so that nothing follows it.",
		"action=delete_script_file\naction=start_jump_item_session&client.hostname=A", "action=start_jump_item_session&client.hostname=A\naction=delete_script_file"},
	{RulePlainPassword, Warning, "the script holds a password in plain text",
		"Anyone who can read the file can read the password. Prefer the credentials saved in the console, and keep such files private.",
		"action=login&mechanism=username_password&username=alice&password=s3cret", "action=login"},
	{RulePlaceholder, Error, "a template placeholder where only literal text may stand",
		"Placeholders fill values. Keys and the action name are fixed parts of a template.",
		"action={{what}}&client.hostname={{host}}", "action=start_jump_item_session&client.hostname={{host}}"},
	{RuleLineBreakInCmd, Error, "a single command holds a line break",
		"The console's --run-script takes exactly one command; a line break would start another.",
		"action=login\\naction=delete_script_file", "action=login"},
	{RuleTooManyFindings, Warning, "the check stopped after 1000 findings",
		"Past 1000 findings in one file the rest are dropped; fix the first ones and check again.",
		"(a file of 2000 empty lines)", "(a script)"},
	{RuleBadFileName, Error, "the file name does not end in .brcs-<site>",
		"The console opens scripts whose extension is brcs-<site>, <site> being the company site name (e.g. jump.brcs-support).",
		"jump.txt", "jump.brcs-support"},
	{RuleMisspelledExt, Warning, "the extension is spelled brsc instead of brcs",
		"The extension is brcs-<site>; the vendor's guide itself once misspells it brsc.",
		"jump.brsc-beta60", "jump.brcs-beta60"},
}

// Rules returns every rule, in a stable order. The slice is a copy.
func Rules() []Rule { return append([]Rule(nil), rules...) }

var ruleIndex = func() map[string]int {
	m := make(map[string]int, len(rules))
	for i, r := range rules {
		m[r.Name] = i
	}
	return m
}()

// LookupRule returns the rule called name.
func LookupRule(name string) (Rule, bool) {
	i, ok := ruleIndex[name]
	if !ok {
		return Rule{}, false
	}
	return rules[i], true
}

func ruleSeverity(name string) Severity {
	r, _ := LookupRule(name)
	return r.Severity
}
