package appliance_test

import (
	"context"
	"fmt"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// The probe needs no credentials and is judged by its HTTP status: the
// stand-in, as an appliance, answers 200 with an HTML page when healthy
// and 500 when not.
func ExampleClient_Probe() {
	s := appliancetest.NewTLS("support")
	defer s.Close()
	c, err := appliance.New(s.URL, nil, appliance.Options{CACertsPEM: s.CACertPEM()})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, healthy := range []bool{true, false} {
		s.Update(func(d *appliancetest.Data) { d.Health.Success = healthy })
		p, err := c.Probe(context.Background())
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Status, p.Healthy)
	}
	// Output:
	// 200 true
	// 500 false
}
