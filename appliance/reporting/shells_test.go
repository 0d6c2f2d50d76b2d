package reporting_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

func TestShellInstances(t *testing.T) {
	s := &reporting.Session{ShellRecordings: []reporting.ShellRecording{{Instance: 2}, {Instance: 0}, {Instance: 2}, {Instance: -1}, {Instance: 1}}}
	assert.Equal(t, []int{2, 0, 1}, s.ShellInstances(), "each once, in the report's order; a negative one names nothing")
	assert.Empty(t, (&reporting.Session{}).ShellInstances())
}
