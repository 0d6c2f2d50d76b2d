package appliance_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
)

// Every kind of the guide is described, each differently; no other is.
func TestShortcutKindDescription(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range appliance.ShortcutKinds {
		d := k.Description()
		assert.Regexp(t, `^a .+ shortcut`, d, k)
		assert.False(t, seen[d], "%s: %s", k, d)
		seen[d] = true
	}
	assert.Equal(t, "a Shell Jump shortcut, SSH or Telnet (through a Jumpoint)", appliance.ShellJump.Description())
	assert.Empty(t, appliance.ShortcutKind("gopher").Description())
}

// Only the fields the kind takes are asked for, by their column names,
// and each lands in its field.
func TestShortcutOfAsksTheKindsFields(t *testing.T) {
	var asked []string
	s := appliance.ShortcutOf(appliance.RDP, func(col string) string {
		asked = append(asked, col)
		return "v-" + col
	})
	var want []string
	for _, p := range appliance.ShortcutParams(appliance.RDP) {
		want = append(want, p.Column)
	}
	assert.Equal(t, want, asked)
	assert.NotContains(t, asked, "protocol", "a Shell Jump field")
	assert.Equal(t, appliance.RDP, s.Kind)
	assert.Equal(t, "v-hostname", s.Hostname)
	assert.Equal(t, "v-endpoint-username", s.Username)
	assert.Equal(t, "v-display-size", s.DisplaySize)
	assert.Empty(t, s.Protocol)
}

// A web form's values make a shortcut as the command's flags do.
func ExampleShortcutOf() {
	form := url.Values{"hostname": {"db01"}, "jumpoint": {"London"}, "protocol": {"ssh"}, "group": {"remote_access"}, "quality": {"best"}}
	s := appliance.ShortcutOf(appliance.ShellJump, form.Get) // quality is RDP's: not asked for
	p, err := s.Params()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p) // then Client.ImportJumpShortcut(ctx, s)
	// Output: [{shelljump_hostname db01} {jumpoint London} {protocol ssh} {group remote_access}]
}

func TestShortcutOfChecksLikeFlags(t *testing.T) {
	s := appliance.ShortcutOf(appliance.LocalJump, url.Values{"hostname": {"web01"}}.Get)
	_, err := s.Params()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a Local Jump shortcut needs --group")
}
