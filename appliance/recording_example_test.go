package appliance_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// SaveRecordingWith saves a recording under a name of the caller's
// scheme; the appliance's suggested name gives at most the extension.
func ExampleClient_SaveRecordingWith() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	dir, _ := os.MkdirTemp("", "recordings")
	defer os.RemoveAll(dir)
	q := reporting.ShellRecordingOf(appliancetest.LSID1, 0, false)
	path, d, err := c.SaveRecordingWith(context.Background(), q, appliance.SaveOptions{
		Path: func(suggested, contentType string) (string, error) {
			return filepath.Join(dir, appliance.RecordingNameHint(q, suggested, contentType)), nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(path), d.Size, d.Name)
	// Output: c69a8e10bea9428f816cfababe9815fe-shell-0.bin 4096 shell_c69a8e10bea9428f816cfababe9815fe_0.bin
}

// ShellRecordings lists a session's command shell recordings from its
// AccessSession report, and SaveRecordings downloads them, each a new
// file.
func ExampleClient_SaveRecordings() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	dir, _ := os.MkdirTemp("", "recordings")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	qs, err := c.ShellRecordings(ctx, appliancetest.LSID1, true, appliance.ByLSIDOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	saved, err := c.SaveRecordings(ctx, qs, dir, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range saved {
		fmt.Println(filepath.Base(f.Path), f.Size)
	}
	// Output:
	// c69a8e10bea9428f816cfababe9815fe-shell-0.txt 46
	// c69a8e10bea9428f816cfababe9815fe-shell-1.txt 46
}
