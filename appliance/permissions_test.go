package appliance_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

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
