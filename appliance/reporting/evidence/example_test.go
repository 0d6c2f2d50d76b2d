package evidence_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliance/reporting/evidence"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

// Build searches March 2015 for the sessions of ticket INC0012345 and
// writes their evidence folder, recordings included.
func ExampleBuild() {
	cl, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	// The sessions that started in March 2015, in adaptive windows.
	march := reporting.Walker[reporting.SessionSummary]{From: from, To: from.AddDate(0, 1, 0), Start: 7 * 24 * time.Hour}
	tmp, _ := os.MkdirTemp("", "evidence")
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "INC0012345")
	m, err := evidence.Build(context.Background(), cl, "INC0012345", march, dir, evidence.Options{
		Warn: func(msg string) { fmt.Println("warning:", msg) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(m.Sessions), "sessions,", len(m.Files), "files")
	for _, f := range m.Files[:5] {
		fmt.Println(f.File)
	}
	// Output:
	// warning: a5eeaa58591047b88556f944804227b0: the recording has expired on the appliance; skipped (the screen recording)
	// 2 sessions, 11 files
	// c69a8e10bea9428f816cfababe9815fe/session.json
	// c69a8e10bea9428f816cfababe9815fe/events.csv
	// c69a8e10bea9428f816cfababe9815fe/c69a8e10bea9428f816cfababe9815fe-session.bin
	// c69a8e10bea9428f816cfababe9815fe/c69a8e10bea9428f816cfababe9815fe-shell-0.bin
	// c69a8e10bea9428f816cfababe9815fe/c69a8e10bea9428f816cfababe9815fe-shell-0.txt
}

// List shows the sessions of ticket INC0012345 that Find finds, a row
// each, without writing a folder.
func ExampleList() {
	cl, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	march := reporting.Walker[reporting.SessionSummary]{From: from, To: from.AddDate(0, 1, 0), Start: 7 * 24 * time.Hour}
	var o evidence.Options
	for r, err := range evidence.List(evidence.Find(context.Background(), cl, "INC0012345", march, o), o) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.LSID, r.Start, r.End, r.Host, r.Shells)
	}
	// Output:
	// c69a8e10bea9428f816cfababe9815fe 2015-03-01T08:00:00Z 2015-03-01T09:00:00Z ABCDEF02 2
	// a5eeaa58591047b88556f944804227b0 2015-03-01T10:00:00Z 2015-03-01T10:30:00Z WEB01 1
}
