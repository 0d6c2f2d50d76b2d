package reporting_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

func TestDroppedSummary(t *testing.T) {
	assert.Empty(t, reporting.Dropped{}.Summary())
	assert.Equal(t, "2 sessions sent twice in one answer", reporting.Dropped{Duplicates: 2}.Summary())
	assert.Equal(t, "1 session outside the window asked for", reporting.Dropped{OutsideWindow: 1}.Summary())
}

func ExampleDropped_Summary() {
	d := reporting.Dropped{OutsideWindow: 3, Duplicates: 1}
	// In a program: o := reporting.Options{Dropped: &d} for the reads.
	if s := d.Summary(); s != "" {
		fmt.Printf("warning: the appliance sent %s; left out\n", s)
	}
	// Output: warning: the appliance sent 3 sessions outside the window asked for and 1 session sent twice in one answer; left out
}
