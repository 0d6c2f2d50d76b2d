package appliance_test

import (
	"context"
	"fmt"
	"io"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

func ExampleClient_APIInfo() {
	s := appliancetest.NewTLS("support") // a stand-in appliance
	defer s.Close()
	c, err := appliance.New(s.URL, appliance.UserPassword{Username: "test", Password: "test"},
		appliance.Options{CACertsPEM: s.CACertPEM()})
	if err != nil {
		fmt.Println(err)
		return
	}
	info, err := c.APIInfo(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Version, info.Has("perm_admin"), info.AtLeast(appliance.ImportVersion))
	// Output: 1.14.0 true true
}

func ExampleClient_SetSessionAttributes() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	ctx := context.Background()
	// Set the ticket key, clear "priority"; every other attribute keeps its value.
	ok, err := c.SetSessionAttributes(ctx, appliancetest.SessionA, appliance.Set(appliance.ExternalKey, "INC0012345"), appliance.Clear("priority"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ok.Message)
	// Output: Session attributes were set
}

func ExampleShortcut_Params() {
	_, err := appliance.Shortcut{Kind: appliance.ShellJump, Hostname: "db01", Group: "remote_access", Jumpoint: "London", Protocol: "ssh", KeepAlive: "600"}.Params()
	fmt.Println(err)
	// Output: --keep-alive "600": use whole seconds from 0 (off) to 300
}

// Open streams any call's answer: the Reporting API and downloads build
// on it.
func ExampleClient_Open() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	resp, err := c.Open(context.Background(), appliance.Call{Path: appliance.BackupPath, Name: "backup"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	fmt.Println(n, err, appliance.SafeName(resp.Header.Get("Content-Disposition")))
	// Output: 262144 <nil> access.example.com-backup.nsb
}
