package appliance_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// The library call behind backup: one call locks the folder, writes the
// backup and rotates.
func ExampleClient_SaveBackup() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	dir, _ := os.MkdirTemp("", "backups")
	defer os.RemoveAll(dir)
	saved, err := c.SaveBackup(context.Background(), appliance.BackupOptions{Dir: dir, Keep: 7, Now: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasSuffix(saved.Path, "-20260301T020000Z.nsb"), saved.Size, len(saved.Deleted))
	// Output: true 262144 0
}
