package appliance_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// hostileReports answers every AccessSession request with the sessions of
// answer, whatever was asked, and every recording with body under the
// Content-Disposition disp; asked records the lsids= of each request.
type hostileReports struct {
	mu     sync.Mutex
	answer []string
	disp   string
	asked  []string
}

func (h *hostileReports) client(t *testing.T) *appliance.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		switch r.FormValue("generate_report") {
		case "AccessSession":
			h.asked = append(h.asked, r.FormValue("lsids"))
			fmt.Fprint(w, `<?xml version="1.0"?><session_list xmlns="http://www.bomgar.com/namespaces/API/reporting">`)
			for _, id := range h.answer {
				fmt.Fprintf(w, `<session lsid="%s"><lseq>1</lseq></session>`, id)
			}
			fmt.Fprint(w, `</session_list>`)
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", h.disp)
			fmt.Fprint(w, "recording bytes of "+r.FormValue("lsid"))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := appliance.New(srv.URL, appliance.UserPassword{Username: "u", Password: "p"}, appliance.Options{AllowHTTP: true, Attempts: 1})
	require.NoError(t, err)
	return c
}

var (
	idA = strings.Repeat("a", 32)
	idB = strings.Repeat("b", 32)
	idC = strings.Repeat("c", 32)
)

// Issue 18 item 1 (and "also seen"): an lsid query answered with other
// sessions (an lsid not asked for) and with copies yields each session
// asked for once, and reports the rest; an lsid that is no session ID (a
// path) refuses the answer where it is decoded, before it names anything.
func TestSessionsByLSIDHoldsTheAnswerToTheQuestion(t *testing.T) {
	bad := &hostileReports{answer: []string{idA, "../../escaped", idB}}
	var err error
	for _, e := range bad.client(t).SessionsByLSID(context.Background(), []string{idA, idB}, appliance.ByLSIDOptions{}) {
		if e != nil {
			err = e
		}
	}
	require.ErrorContains(t, err, `lsid "../../escaped" is not 32 lower-case hexadecimal digits`)

	h := &hostileReports{answer: []string{idA, idA, idC, idB}}
	c := h.client(t)
	var dropped []string
	var got []string
	for s, err := range c.SessionsByLSID(context.Background(), []string{idA, idB, idA}, appliance.ByLSIDOptions{
		Dropped: func(lsid, why string) { dropped = append(dropped, lsid+": "+why) },
	}) {
		require.NoError(t, err)
		got = append(got, s.LSID)
	}
	assert.Equal(t, []string{idA, idB}, got)
	assert.Equal(t, []string{
		idC + ": the appliance sent it, but it was not asked for",
		idA + ": the appliance sent it twice; the first copy is kept",
	}, dropped)
	assert.Equal(t, []string{idA + "," + idB}, h.asked, "one request, each lsid once")
}

// Requests hold at most PerRequest lsids (slices.Chunk), and a bad lsid
// is refused before anything is sent.
func TestSessionsByLSIDChunksAndChecks(t *testing.T) {
	h := &hostileReports{}
	c := h.client(t)
	ids := []string{idA, idB, idC}
	for _, err := range c.SessionsByLSID(context.Background(), ids, appliance.ByLSIDOptions{PerRequest: 2}) {
		require.NoError(t, err)
	}
	assert.Equal(t, []string{idA + "," + idB, idC}, h.asked)
	h.asked = nil
	n := 0
	for _, err := range c.SessionsByLSID(context.Background(), []string{idA, "../x"}, appliance.ByLSIDOptions{Options: reporting.Options{}}) {
		assert.ErrorContains(t, err, "an lsid is 32 lower-case hex digits")
		n++
	}
	assert.Equal(t, 1, n)
	assert.Empty(t, h.asked, "nothing sent")
}
