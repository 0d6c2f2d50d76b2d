package appliance_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
)

func TestReadShortcutCSVChecksEachRow(t *testing.T) {
	csv := "\ufeffKind,HOSTNAME,jump_policy,group\n" +
		"local,web01,,it\n" +
		"remote,app01,,it\n" + // a Remote Jump needs a Jumpoint
		"\"local\",\"multi\nline\",,it\n" +
		"local,web02,after-hours,it\n"
	rows, err := appliance.ReadShortcutCSV(strings.NewReader(csv), "s.csv")
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, appliance.ShortcutRow{Line: 2, Kind: "local", Hostname: "web01", OK: true,
		Shortcut: appliance.Shortcut{Kind: appliance.LocalJump, Hostname: "web01", Group: "it"}}, rows[0])
	assert.False(t, rows[1].OK)
	assert.Contains(t, rows[1].Outcome, "refused: ")
	assert.Equal(t, 3, rows[1].Line)
	assert.Equal(t, 4, rows[2].Line, "a row's line is where it starts")
	assert.Equal(t, 6, rows[3].Line)
	assert.Equal(t, "after-hours", rows[3].Shortcut.JumpPolicy, "jump_policy is the jump-policy column")
	for _, r := range rows {
		assert.NotContains(t, r.Outcome, "\n", "an outcome is one line")
	}
}

func TestReadShortcutCSVErrorsSayWhere(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "s.csv: no header row: EOF",
		"kind,hostname,colour\n":     `s.csv:1:3: unknown column "colour" (columns: kind, `,
		"hostname\nweb01\n":          "s.csv:1: no kind column (local, remote, rdp or shell)",
		"kind,hostname\nlocal,\"a\n": "s.csv:2:",
	} {
		_, err := appliance.ReadShortcutCSV(strings.NewReader(in), "s.csv")
		require.Error(t, err, "%q", in)
		assert.True(t, strings.HasPrefix(err.Error(), want), "%q: %v", in, err)
	}
}

func ExampleReadShortcutCSV() {
	csv := "kind,hostname,jumpoint,protocol,group\n" +
		"shell,db01,London,ssh,remote_access\n" +
		"shell,db02,London,gopher,remote_access\n"
	rows, err := appliance.ReadShortcutCSV(strings.NewReader(csv), "shortcuts.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		// A row that is OK goes to Client.ImportJumpShortcut(ctx, r.Shortcut).
		if r.OK {
			fmt.Printf("line %d %s: to send\n", r.Line, r.Hostname)
		} else {
			fmt.Printf("line %d %s: %s\n", r.Line, r.Hostname, r.Outcome)
		}
	}
	// Output:
	// line 2 db01: to send
	// line 3 db02: refused: --protocol "gopher": use ssh or telnet
}
