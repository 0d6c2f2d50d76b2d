package reporting_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

func ExampleSessions() {
	answer := `<?xml version="1.0" encoding="UTF-8"?>
<session_list xmlns="http://www.bomgar.com/namespaces/API/reporting">
 <session lsid="c69a8e10bea9428f816cfababe9815fe">
  <start_time timestamp="1425196800">2015-03-01T08:00:00+00:00</start_time>
  <external_key>INC0012345</external_key>
  <customer_list><customer gsnumber="12"><hostname>ABCDEF02</hostname></customer></customer_list>
  <session_details>
   <event timestamp="1425196830" event_type="Chat Message">
    <performed_by gsnumber="12" type="customer">ABCDEF02</performed_by>
    <encoded_body>aGVsbG8=</encoded_body>
   </event>
  </session_details>
 </session>
</session_list>`
	for s, err := range reporting.Sessions(strings.NewReader(answer), reporting.Options{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		e := s.Events[0]
		fmt.Println(s.LSID, s.ExternalKey, s.StartTime.Time().Format(time.RFC3339))
		fmt.Printf("%s by %s: %q\n", e.Type, s.Participant(e.PerformedBy.GSNumber).Name(), e.Body)
	}
	// A real appliance's "nothing found" is an empty result, not an error.
	for range reporting.Sessions(strings.NewReader(`<error>No Support report information matching your chosen criteria is available.</error>`), reporting.Options{}) {
		fmt.Println("never printed")
	}
	// Output:
	// c69a8e10bea9428f816cfababe9815fe INC0012345 2015-03-01T08:00:00Z
	// Chat Message by ABCDEF02: "hello"
}

func ExampleQuery_Params() {
	from := time.Date(2015, 3, 1, 8, 0, 0, 0, time.UTC)
	p, _ := reporting.StartedBetween(reporting.AccessSession, from, from.Add(10*time.Hour)).Params()
	fmt.Println(p)
	_, err := reporting.Query{Report: reporting.AccessSessionListing, LSID: "c69a8e10bea9428f816cfababe9815fe"}.Params()
	fmt.Println(err)
	// Output:
	// [{generate_report AccessSession} {start_time 1425196800} {duration 36000}]
	// AccessSessionListing does not take lsid; use one of start_date, start_time, end_date, end_time
}

func ExampleWindows() {
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	ws, _ := reporting.Windows(reporting.AccessSession, true, from, from.Add(150*time.Minute), time.Hour)
	for _, w := range ws {
		p, _ := w.Query.Params()
		fmt.Println(p[1:])
	}
	// Output:
	// [{end_time 1425168000} {duration 3600}]
	// [{end_time 1425171600} {duration 3600}]
	// [{end_time 1425175200} {duration 1800}]
}

func ExampleCopy() {
	answer := `<session_list><session lsid="c69a8e10bea9428f816cfababe9815fe"><lseq>1</lseq></session>` +
		`<error>Document Not Found</error></session_list>`
	var out strings.Builder
	n, err := reporting.Copy(&out, strings.NewReader(answer), reporting.AccessSession, reporting.Options{})
	// Items are written a few at a time; after an error the caller drops
	// what was written.
	fmt.Println(n, err)
	// Output:
	// 0 the report holds an error: Document Not Found
}
