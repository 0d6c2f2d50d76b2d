package appliance_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// Export is one report as one call: here a web service's handler that
// answers /sessions?since=...&until=...&format=... with the sessions of
// the range.
func ExampleClient_Export() {
	c, stop := standin.Client() // a client of a stand-in appliance
	defer stop()

	handler := func(w http.ResponseWriter, r *http.Request) {
		rg, err := reporting.ParseRange(r.FormValue("since"), r.FormValue("until"), time.Now())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		x := appliance.Export{Report: reporting.AccessSession, Range: rg, Window: 24 * time.Hour, Format: r.FormValue("format")}
		_, err = c.Export(r.Context(), w, x)
		var bad *appliance.ExportError
		if errors.As(err, &bad) {
			http.Error(w, bad.Error(), http.StatusBadRequest) // nothing was sent or written
		} else if err != nil {
			// The answer has begun: a server aborts it here
			// (panic(http.ErrAbortHandler)), so that it is seen cut short.
			log.Print(err)
		}
	}

	rec := httptest.NewRecorder()
	handler(rec, httptest.NewRequest("GET", "/sessions?since=2015-03-01&until=2015-03-02&format=csv", nil))
	lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	fmt.Println(rec.Code, len(lines)-1, "sessions;", strings.Join(strings.Split(lines[0], ",")[:4], ","))

	rec = httptest.NewRecorder()
	handler(rec, httptest.NewRequest("GET", "/sessions?since=2015-03-01&until=2015-03-02&format=xlsx", nil))
	fmt.Print(rec.Code, " ", rec.Body.String())
	// Output:
	// 200 3 sessions; lsid,lseq,start_time,start_unix
	// 400 export: Format: format "xlsx" is not one of jsonl, json, csv
}
