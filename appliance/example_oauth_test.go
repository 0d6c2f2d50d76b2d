package appliance_test

import (
	"context"
	"fmt"
	"os"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

func ExampleClientCredentials() {
	s := appliancetest.NewTLS("support") // a stand-in appliance with API accounts
	defer s.Close()
	cache, _ := os.MkdirTemp("", "tokens") // in real use: appliance.DefaultTokenCache()
	defer os.RemoveAll(cache)
	creds := appliance.ClientCredentials{ClientID: appliancetest.FullClient, Secret: appliancetest.FullClientSecret, TokenCache: cache}
	for range 3 { // three runs, as three processes would be: one token
		c, err := appliance.New(s.URL, creds, appliance.Options{CACertsPEM: s.CACertPEM()})
		if err != nil {
			fmt.Println(err)
			return
		}
		if _, err := c.CheckHealth(context.Background()); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("tokens minted:", s.Tokens(appliancetest.FullClient).Minted)
	// Output: tokens minted: 1
}

func ExampleAPIInfo_Decide() {
	s := appliancetest.NewTLS("support")
	defer s.Close()
	c, _ := appliance.New(s.URL, appliance.ClientCredentials{ClientID: appliancetest.ReadOnlyClient, Secret: appliancetest.ReadOnlyClientSecret},
		appliance.Options{CACertsPEM: s.CACertPEM()})
	info, err := c.APIInfo(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range info.Decide()[:2] {
		fmt.Println(d.Workflow, d.Can, d.DecidedBy)
	}
	// Output:
	// read session attributes true [perm_command=read_only]
	// set session attributes, terminate sessions false [perm_command=read_only]
}
