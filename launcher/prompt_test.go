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
