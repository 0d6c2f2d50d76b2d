package launcher

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endless reads zeros, like /dev/zero, and counts what was taken.
type endless struct{ read int }

func (e *endless) Read(p []byte) (int, error) {
	if e.read > 8<<20 {
		return 0, errors.New("read 8 MiB: the answer is not bounded")
	}
	clear(p)
	e.read += len(p)
	return len(p), nil
}

func TestTerminalAnswerIsBounded(t *testing.T) {
	in := &endless{}
	var out bytes.Buffer
	ok, err := Terminal{In: in, Out: &out}.Confirm(Title, "x")
	assert.False(t, ok)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "longer than 64 bytes")
	assert.LessOrEqual(t, in.read, MaxAnswer+1)
}

func TestTerminalAnswers(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\r\n": true, " yes \n": true, "n\n": false, "\n": false, "yes please\n": false, "y": true} {
		ok, err := Terminal{In: strings.NewReader(in), Out: io.Discard}.Confirm(Title, "x")
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, ok, "%q", in)
	}
	r := strings.NewReader("y\nrest")
	_, err := Terminal{In: r, Out: io.Discard}.Confirm(Title, "x")
	require.NoError(t, err)
	assert.Equal(t, 4, r.Len(), "nothing past the answer's line is read")
	_, err = Terminal{In: strings.NewReader(""), Out: io.Discard}.Confirm(Title, "x")
	assert.ErrorContains(t, err, "no answer")
}

// A question taller than the terminal scrolls its first lines, and with
// them the script's first command, out of view before the technician
// answers: 55 custom fields of 120 characters stay under MaxSummary and
// pushed "1. start a Jump session ... EVIL01" off an 80x24 terminal. Such
// a question is refused, not asked; one that fits is asked.
func TestTerminalRefusesAQuestionTallerThanItself(t *testing.T) {
	tall := strings.Repeat("a line\n", 30)
	var out bytes.Buffer
	ok, err := Terminal{In: strings.NewReader("y\n"), Out: &out, Cols: 80, Rows: 24}.Confirm(Title, tall)
	assert.False(t, ok)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "24")
	assert.Empty(t, out.String(), "nothing is shown in part")

	wide := strings.Repeat("x", 80*21) // one line wrapped to 21 rows, 25 with the rest
	ok, err = Terminal{In: strings.NewReader("y\n"), Out: io.Discard, Cols: 80, Rows: 24}.Confirm(Title, wide)
	assert.False(t, ok)
	require.Error(t, err, "wrapped lines count as the rows they take")

	ok, err = Terminal{In: strings.NewReader("y\n"), Out: io.Discard, Cols: 80, Rows: 24}.Confirm(Title, strings.Repeat("a line\n", 10))
	require.NoError(t, err)
	assert.True(t, ok, "a question that fits is asked")
	ok, err = Terminal{In: strings.NewReader("y\n"), Out: io.Discard}.Confirm(Title, tall)
	require.NoError(t, err)
	assert.True(t, ok, "with the size unknown, it is asked")
}
