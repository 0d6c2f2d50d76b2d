package launcher

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeOsascript answers as osascript would and records its arguments.
type fakeOsascript struct {
	args           []string
	stdout, stderr string
	code           int
}

func (f *fakeOsascript) run(args []string) (string, string, int, error) {
	f.args = args
	return f.stdout, f.stderr, f.code, nil
}

func TestOsascriptConfirm(t *testing.T) {
	text := `start a Jump session" & do shell script "rm -rf ~" & "`
	yes := &fakeOsascript{stdout: "button returned:Yes\n"}
	ok, err := osascript{run: yes.run}.Confirm("Run this script?", text)
	require.NoError(t, err)
	assert.True(t, ok)
	// The text is an argument of the run handler, never part of the script.
	assert.Equal(t, []string{"Run this script?", text}, yes.args[len(yes.args)-2:])
	for _, a := range yes.args[:len(yes.args)-2] {
		assert.NotContains(t, a, "rm -rf")
	}

	no := &fakeOsascript{stderr: "execution error: User canceled. (-128)", code: 1}
	ok, err = osascript{run: no.run}.Confirm("t", "x")
	require.NoError(t, err)
	assert.False(t, ok)

	broken := &fakeOsascript{stderr: "execution error: no user interaction allowed (-1713)", code: 1}
	_, err = osascript{run: broken.run}.Confirm("t", "x")
	assert.ErrorContains(t, err, "no dialog could be shown")

	assert.NoError(t, osascript{run: yes.run}.Alert("The script was not run", "why"))
	assert.Contains(t, yes.args, "why")
}
