package appliance_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
)

// Both generations' permissions are described: the guide's user accounts
// and current API accounts.
func TestPermissionWordsBothGenerations(t *testing.T) {
	for _, name := range []string{"perm_use_reporting_api", "perm_reporting_support"} {
		words, known := appliance.PermissionWords(name)
		assert.True(t, known, name)
		assert.NotEmpty(t, words, name)
	}
}

func ExamplePermissionWords() {
	for _, name := range []string{"perm_backup", "perm_time_travel"} {
		words, known := appliance.PermissionWords(name)
		fmt.Printf("%s: %q %v\n", name, words, known)
	}
	// Output:
	// perm_backup: "configuration backups (Backup API)" true
	// perm_time_travel: "" false
}

// The list is sorted by name, byte order, and says which permissions the
// client knows; an unknown one is kept with its value.
func TestPermissionListSortedWithWords(t *testing.T) {
	info := &appliance.APIInfo{Permissions: map[string]string{"perm_time_travel": "1", "perm_backup": "1", "perm_command": "read_only", "Perm_b": "0"}}
	assert.Equal(t, []appliance.Permission{
		{Name: "Perm_b", Value: "0"},
		{Name: "perm_backup", Value: "1", Words: "configuration backups (Backup API)", Known: true},
		{Name: "perm_command", Value: "read_only", Words: "Command API access: full_access, read_only or deny", Known: true},
		{Name: "perm_time_travel", Value: "1"},
	}, info.PermissionList())
	assert.Empty(t, (&appliance.APIInfo{}).PermissionList())
}

func ExampleAPIInfo_PermissionList() {
	info := &appliance.APIInfo{Permissions: map[string]string{"perm_use_command_api": "1", "perm_admin": "1", "perm_time_travel": "1"}} // from Client.APIInfo
	for _, p := range info.PermissionList() {
		fmt.Printf("%s=%s %q %v\n", p.Name, p.Value, p.Words, p.Known)
	}
	// Output:
	// perm_admin=1 "administrator" true
	// perm_time_travel=1 "" false
	// perm_use_command_api=1 "allowed to use the Command API" true
}

// The kind follows the permission names' generation.
func TestAccountKind(t *testing.T) {
	for perms, want := range map[string]string{
		"perm_admin":             "user account",
		"perm_command":           "API account",
		"perm_backup":            "API account",
		"perm_reporting_support": "API account",
		"":                       "user account",
	} {
		info := &appliance.APIInfo{Permissions: map[string]string{}}
		if perms != "" {
			info.Permissions[perms] = "1"
		}
		assert.Equal(t, want, info.AccountKind(), perms)
	}
}

// The report is the answer with what it comes to, and its JSON holds the
// answer's fields beside account_kind, capabilities and workflows.
func TestAccountReport(t *testing.T) {
	info := &appliance.APIInfo{Version: "1.14.0", Permissions: map[string]string{"perm_command": "1"}}
	r := info.Report()
	assert.Equal(t, "API account", r.AccountKind)
	assert.Equal(t, info.CapabilityList(), r.Capabilities)
	assert.Equal(t, info.Decide(), r.Workflows)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, "1.14.0", got["api_version"], "%s", b)
	assert.Equal(t, "API account", got["account_kind"])
	assert.Len(t, got["workflows"], len(r.Workflows))
	assert.Len(t, got["capabilities"], len(r.Capabilities))
}
