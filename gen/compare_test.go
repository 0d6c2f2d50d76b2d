package gen

import (
	"context"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/testutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// answering is an appliance (or whoever stands in its place) that answers
// every request with body.
func answering(t *testing.T, body string, header http.Header) *Fetcher {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	_, f := fetcherFor(t, srv.URL, appliance.Options{CACertsPEM: ca, Backoff: time.Millisecond, Timeout: 2 * time.Second})
	return f
}

// fetchCase reads testdata/attacks/fetch/NAME: the request, then the answer.
func fetchCase(t *testing.T, path string) (Command, string) {
	req, answer := testutil.FetchCase(t, path)
	m, err := brcs.ParseCommand(req, brcs.Options{})
	require.NoError(t, err)
	c := m.Commands()[0]
	cmd := Command{Action: c.Action()}
	for _, p := range c.Params[1:] {
		cmd.Params = append(cmd.Params, Param{Key: p.Key.Decoded, Value: p.Value.Decoded})
	}
	return cmd, answer
}

func TestFetchedAnswerIsWhatWasAsked(t *testing.T) {
	files, err := filepath.Glob("../testdata/attacks/fetch/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	cat := catalogue(t, "")
	for _, path := range files {
		name := filepath.Base(path)
		req, answer := fetchCase(t, path)
		f := answering(t, answer, nil)
		got, err := f.Fetch(context.Background(), cat, req)
		if strings.HasPrefix(name, "accept-") {
			require.NoError(t, err, name)
			assert.Equal(t, answer, string(got.Script), name)
			continue
		}
		require.Error(t, err, name)
		assert.Nil(t, got, name)
		assert.NotContains(t, err.Error(), "hunter2", name)
		assert.NotContains(t, err.Error(), "s3cret", name)
		var ae *AnswerError
		var ie *InvalidError
		assert.True(t, errors.As(err, &ae) || errors.As(err, &ie), "%s: %v", name, err)
	}
}

func TestCheckAnswerSaysTheDifference(t *testing.T) {
	cat := catalogue(t, "")
	req, answer := fetchCase(t, "../testdata/attacks/fetch/refuse-other-target.txt")
	_, err := CheckAnswer(cat, req, []byte(answer))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nothing is written")
	assert.Contains(t, err.Error(), "line 3: client.hostname=ABCDEF02 was asked for and is not in the answer")
	assert.Contains(t, err.Error(), "line 3: the answer adds client.hostname=EVIL01, which was not asked for")
	assert.Contains(t, err.Error(), "line 3: the answer adds jump.method=rdp, which was not asked for")

	req, answer = fetchCase(t, "../testdata/attacks/fetch/refuse-login-with-password.txt")
	_, err = CheckAnswer(cat, req, []byte(answer))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "password=(a secret, not shown)")
	assert.NotContains(t, err.Error(), "hunter2")

	req, answer = fetchCase(t, "../testdata/attacks/fetch/accept-reordered-encoded.txt")
	warnings, err := CheckAnswer(cat, req, []byte(answer))
	require.NoError(t, err)
	assert.NotEmpty(t, warnings, "the answer's warnings are returned to be shown")
}

func TestHoldsSecret(t *testing.T) {
	cat := catalogue(t, "")
	assert.True(t, HoldsSecret(cat, []byte("BRCS1.0\naction=login&mechanism=username_password&username=a&password=b\n")))
	assert.False(t, HoldsSecret(cat, []byte("BRCS1.0\naction=login\n")))
}

// The appliance's <error> text and suggested file name are the
// appliance's words: escaped when shown, and a name that could be read as
// an option or hides characters is not used.
func TestAppliancesWordsAreEscaped(t *testing.T) {
	for _, msg := range testutil.Corpus(t, "../testdata/attacks/messages.txt") {
		var b strings.Builder
		xml.EscapeText(&b, []byte(msg))
		f := answering(t, "<error>"+b.String()+"</error>", nil)
		_, err := f.Fetch(context.Background(), catalogue(t, ""), jump.Command())
		require.Error(t, err)
		testutil.AssertShownSafely(t, err.Error())
		assert.NotContains(t, err.Error(), "\n", "no new line")
		// The appliance reader folds runs of white space (U+2028 among them) into one space.
		assert.Contains(t, err.Error(), textsafe.Escape(strings.Join(strings.Fields(msg), " ")))
	}
	for _, n := range testutil.Corpus(t, "../testdata/attacks/dispositions.txt") {
		assert.Empty(t, suggestedName(`attachment; filename="`+n+`"`), "%q", n)
	}
	assert.Equal(t, "ok.brcs-support", suggestedName(`attachment; filename="ok.brcs-support"`))
}
