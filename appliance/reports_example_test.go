package appliance_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// CopyReport keeps the appliance's own XML, checked as it streams.
func ExampleClient_CopyReport() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	var out strings.Builder
	n, err := c.CopyReport(context.Background(), reporting.ByLSID(reporting.AccessSession, appliancetest.LSID1), &out, reporting.Options{})
	if err != nil {
		fmt.Println(err) // drop what was written
		return
	}
	fmt.Println(n, strings.Count(out.String(), "<session "))
	// Output: 1 1
}
