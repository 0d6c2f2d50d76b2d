package appliance_test

import (
	"context"
	"fmt"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// SessionsByLSID asks for sessions by ID, in requests of at most
// LSIDsPerRequest; each comes once, and nothing else does.
func ExampleClient_SessionsByLSID() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	ids := []string{appliancetest.LSID1, appliancetest.LSID2, appliancetest.LSID1}
	for sess, err := range c.SessionsByLSID(context.Background(), ids, appliance.ByLSIDOptions{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(sess.LSID, sess.ExternalKey)
	}
	// Output:
	// c69a8e10bea9428f816cfababe9815fe INC0012345
	// a5eeaa58591047b88556f944804227b0 INC0012345
}
