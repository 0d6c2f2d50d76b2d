package appliance_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
)

// Every rule of import_jump_shortcut is checked before anything is sent,
// with a message that says how to write it right.
func TestShortcutRefusals(t *testing.T) {
	local := appliance.Shortcut{Kind: appliance.LocalJump, Hostname: "h", Group: "g"}
	remote := appliance.Shortcut{Kind: appliance.RemoteJump, Hostname: "h", Group: "g", Jumpoint: "j"}
	rdp := appliance.Shortcut{Kind: appliance.RDP, Hostname: "h", Group: "g", Jumpoint: "j"}
	shell := appliance.Shortcut{Kind: appliance.ShellJump, Hostname: "h", Group: "g", Jumpoint: "j", Protocol: "ssh"}
	with := func(s appliance.Shortcut, f func(*appliance.Shortcut)) appliance.Shortcut { f(&s); return s }
	long := strings.Repeat("é", appliance.MaxShortcutText+1)
	for name, c := range map[string]struct {
		s    appliance.Shortcut
		want string
	}{
		"unknown kind":           {with(local, func(s *appliance.Shortcut) { s.Kind = "vnc" }), "use local, remote, rdp or shell"},
		"no hostname":            {with(local, func(s *appliance.Shortcut) { s.Hostname = "" }), "needs --hostname"},
		"no group":               {with(remote, func(s *appliance.Shortcut) { s.Group = "" }), "needs --group"},
		"remote no jumpoint":     {with(remote, func(s *appliance.Shortcut) { s.Jumpoint = "" }), "needs --jumpoint"},
		"rdp no jumpoint":        {with(rdp, func(s *appliance.Shortcut) { s.Jumpoint = "" }), "needs --jumpoint"},
		"shell no jumpoint":      {with(shell, func(s *appliance.Shortcut) { s.Jumpoint = "" }), "needs --jumpoint"},
		"local with jumpoint":    {with(local, func(s *appliance.Shortcut) { s.Jumpoint = "j" }), "--jumpoint (jumpoint) is not a parameter of Local Jump"},
		"shell no protocol":      {with(shell, func(s *appliance.Shortcut) { s.Protocol = "" }), "needs --protocol, ssh or telnet"},
		"shell bad protocol":     {with(shell, func(s *appliance.Shortcut) { s.Protocol = "SSH" }), `--protocol "SSH": use ssh or telnet`},
		"protocol on rdp":        {with(rdp, func(s *appliance.Shortcut) { s.Protocol = "ssh" }), "not a parameter of RDP"},
		"tag too long":           {with(local, func(s *appliance.Shortcut) { s.Tag = long }), "--tag holds 1025 characters, more than 1024"},
		"comments too long":      {with(remote, func(s *appliance.Shortcut) { s.Comments = long }), "--comments holds 1025 characters"},
		"display size":           {with(rdp, func(s *appliance.Shortcut) { s.DisplaySize = "1280*720" }), "use primary, all, or WIDTHxHEIGHT"},
		"display size zero":      {with(rdp, func(s *appliance.Shortcut) { s.DisplaySize = "0x720" }), "WIDTHxHEIGHT"},
		"quality":                {with(rdp, func(s *appliance.Shortcut) { s.Quality = "best" }), "use low, best_perf, perf_and_qual or best_qual"},
		"console":                {with(rdp, func(s *appliance.Shortcut) { s.Console = "yes" }), `--console "yes": use 1 or 0`},
		"ignore untrusted":       {with(rdp, func(s *appliance.Shortcut) { s.IgnoreUntrusted = "2" }), `--ignore-untrusted "2": use 1 or 0`},
		"console on shell":       {with(shell, func(s *appliance.Shortcut) { s.Console = "1" }), "not a parameter of Shell Jump"},
		"port zero":              {with(shell, func(s *appliance.Shortcut) { s.Port = "0" }), "from 1 to 65535"},
		"port too big":           {with(shell, func(s *appliance.Shortcut) { s.Port = "65536" }), "from 1 to 65535"},
		"port not a number":      {with(shell, func(s *appliance.Shortcut) { s.Port = "22a" }), "from 1 to 65535"},
		"port leading zero":      {with(shell, func(s *appliance.Shortcut) { s.Port = "022" }), "from 1 to 65535"},
		"terminal":               {with(shell, func(s *appliance.Shortcut) { s.Terminal = "vt220" }), "use xterm or VT100"},
		"keep alive over":        {with(shell, func(s *appliance.Shortcut) { s.KeepAlive = "301" }), "from 0 (off) to 300"},
		"keep alive negative":    {with(shell, func(s *appliance.Shortcut) { s.KeepAlive = "-1" }), "from 0 (off) to 300"},
		"port on rdp":            {with(rdp, func(s *appliance.Shortcut) { s.Port = "3389" }), "not a parameter of RDP"},
		"domain on local":        {with(local, func(s *appliance.Shortcut) { s.Domain = "x" }), "not a parameter of Local Jump"},
		"endpoint user on local": {with(local, func(s *appliance.Shortcut) { s.Username = "x" }), "--endpoint-username (rdp_username) is not a parameter of Local Jump"},
		"ESC in hostname":        {with(local, func(s *appliance.Shortcut) { s.Hostname = "h\x1b[31m1" }), "--hostname (local_jump_hostname) holds a control character U+001B at character 2: remove it"},
		"ESC in comments":        {with(remote, func(s *appliance.Shortcut) { s.Comments = "a\x1bb" }), "--comments (comments) holds a control character U+001B"},
		"newline in hostname":    {with(remote, func(s *appliance.Shortcut) { s.Hostname = "a\nb" }), "--hostname (remote_jump_hostname) holds a control character U+000A"},
		"DEL in group":           {with(rdp, func(s *appliance.Shortcut) { s.Group = "g\x7f" }), "--group (group) holds a control character U+007F"},
		"C1 in jumpoint":         {with(shell, func(s *appliance.Shortcut) { s.Jumpoint = "j\u009b" }), "--jumpoint (jumpoint) holds a control character U+009B"},
		"bidi in policy":         {with(local, func(s *appliance.Shortcut) { s.JumpPolicy = "evil\u202etxt" }), "--jump-policy (jump_policy) holds a bidi control U+202E"},
		"bidi isolate in tag":    {with(local, func(s *appliance.Shortcut) { s.Tag = "\u2066x" }), "--tag (tag) holds a bidi control U+2066"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.s.Params()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestShortcutAccepts(t *testing.T) {
	for _, s := range []appliance.Shortcut{
		{Kind: appliance.RDP, Hostname: "h", Group: "g", Jumpoint: "j", DisplaySize: "primary", Quality: "best_qual", Console: "0", IgnoreUntrusted: "0"},
		{Kind: appliance.RDP, Hostname: "h", Group: "g", Jumpoint: "j", DisplaySize: "all"},
		{Kind: appliance.ShellJump, Hostname: "h", Group: "g", Jumpoint: "j", Protocol: "telnet", Port: "65535", Terminal: "VT100", KeepAlive: "0"},
		{Kind: appliance.ShellJump, Hostname: "h", Group: "g", Jumpoint: "j", Protocol: "ssh", Port: "1", Terminal: "xterm", KeepAlive: "300"},
		{Kind: appliance.LocalJump, Hostname: "h", Group: "g", Tag: strings.Repeat("é", appliance.MaxShortcutText)},
		// Comments are free text: a tab or a line break is data.
		{Kind: appliance.LocalJump, Hostname: "h", Group: "g", Comments: "line one\nline\ttwo\r\n"},
	} {
		_, err := s.Params()
		assert.NoError(t, err, "%+v", s)
	}
}

// Every problem of a shortcut is reported at once.
func TestShortcutListsEveryProblem(t *testing.T) {
	_, err := appliance.Shortcut{Kind: appliance.ShellJump, Port: "0"}.Params()
	require.Error(t, err)
	for _, want := range []string{"--hostname", "--group", "--jumpoint", "--protocol", "--port"} {
		assert.Contains(t, err.Error(), want)
	}
}

// Refused values are never sent.
func TestRefusalsSendNothing(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	ctx := context.Background()
	_, err := c.ImportJumpShortcut(ctx, appliance.Shortcut{Kind: appliance.ShellJump, Hostname: "h", Group: "g", Jumpoint: "j", Protocol: "sftp"})
	assert.Error(t, err)
	_, err = c.SetSessionAttributes(ctx, "C69A8E10BEA9428F816CFABABE9815FE", appliance.Set("external_key", "x"))
	assert.ErrorContains(t, err, "32 lower-case hex digits")
	_, err = c.SetSessionAttributes(ctx, "c69a8e10bea9428f816cfababe9815fe")
	assert.ErrorContains(t, err, "no attribute to set or clear")
	_, err = c.TerminateSession(ctx, "Isid")
	assert.Error(t, err)
	_, err = c.SessionAttributes(ctx, "c69a8e10")
	assert.Error(t, err)
	assert.Empty(t, s.Requests())
}

// Custom attribute limits come from the brcs catalogue: 1024 characters
// each, 10 KB together, code names.
func TestAttrLimits(t *testing.T) {
	ok1024 := strings.Repeat("é", 1024) // 1024 characters, 2048 bytes
	for name, c := range map[string]struct {
		changes []appliance.AttrChange
		want    string
	}{
		"too long":      {[]appliance.AttrChange{appliance.Set("external_key", ok1024+"x")}, "1025 characters, more than the 1024 allowed"},
		"total":         {[]appliance.AttrChange{appliance.Set("a", ok1024), appliance.Set("b", ok1024), appliance.Set("c", ok1024), appliance.Set("d", ok1024), appliance.Set("e", ok1024), appliance.Set("f", "x")}, "more than the 10240-byte limit"},
		"code name":     {[]appliance.AttrChange{appliance.Set("bad\u202ename", "x")}, "not a code name"},
		"empty code":    {[]appliance.AttrChange{appliance.Set("", "x")}, "not a code name"},
		"empty value":   {[]appliance.AttrChange{appliance.Set("external_key", "")}, "an empty value clears it; say so with clear"},
		"twice":         {[]appliance.AttrChange{appliance.Set("a", "1"), appliance.Clear("a")}, "given twice"},
		"set and clear": {[]appliance.AttrChange{{Code: "a", Value: "1", Clear: true}}, "both set and cleared"},
		"nothing":       {nil, "no attribute"},
		"ESC":           {[]appliance.AttrChange{appliance.Set("external_key", "A\x1b[31m")}, `attribute "external_key" holds a control character U+001B at character 2: remove it`},
		"NUL":           {[]appliance.AttrChange{appliance.Set("a", "x\x00y")}, "control character U+0000"},
		"DEL":           {[]appliance.AttrChange{appliance.Set("a", "\x7f")}, "control character U+007F"},
		"C1":            {[]appliance.AttrChange{appliance.Set("a", "\u0085")}, "control character U+0085"},
		"bidi":          {[]appliance.AttrChange{appliance.Set("a", "x\u202ey")}, "bidi control U+202E"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := appliance.AttrParams(c.changes)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	p, err := appliance.AttrParams([]appliance.AttrChange{appliance.Set("a", ok1024), appliance.Set("b", ok1024), appliance.Set("c", ok1024), appliance.Set("d", ok1024), appliance.Set("e", ok1024)})
	require.NoError(t, err, "10240 bytes together is allowed")
	assert.Len(t, p, 5)
}

// Keeping and clearing are distinct: an attribute not named keeps its
// value, a cleared one is gone, and a value with & + % = # ? and a line
// break stays data.
func TestSetKeepsAndClears(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	ctx := context.Background()
	lsid := "c69a8e10bea9428f816cfababe9815fe"
	tricky := "INC1 & more+100%=#?;\nline two"
	_, err := c.SetSessionAttributes(ctx, lsid, appliance.Set("external_key", tricky), appliance.Set("priority", "high"))
	require.NoError(t, err)
	_, err = c.SetSessionAttributes(ctx, lsid, appliance.Set("custom_field1", "v"))
	require.NoError(t, err)
	got, err := c.SessionAttributes(ctx, lsid)
	require.NoError(t, err)
	values := map[string]string{}
	for _, a := range got {
		values[a.CodeName] = a.Value
	}
	assert.Equal(t, map[string]string{"external_key": tricky, "priority": "high", "custom_field1": "v"}, values, "not named: kept")
	_, err = c.SetSessionAttributes(ctx, lsid, appliance.Clear("priority"))
	require.NoError(t, err)
	assert.Contains(t, s.Requests()[len(s.Requests())-1].Body, "&session.custom.priority=")
	got, err = c.SessionAttributes(ctx, lsid)
	require.NoError(t, err)
	values = map[string]string{}
	for _, a := range got {
		values[a.CodeName] = a.Value
	}
	assert.Equal(t, map[string]string{"external_key": tricky, "custom_field1": "v"}, values, "cleared: gone")
}
