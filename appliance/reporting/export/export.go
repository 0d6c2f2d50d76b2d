// Package export writes reports as JSON Lines, a JSON array or CSV, one
// element at a time as the decoders hand them over, so an export of any
// size runs in constant memory.
//
// CSV cells that a spreadsheet would run as a formula (starting with =, +,
// -, @, a tab or a carriage return) get a leading apostrophe: chat bodies
// and custom attributes are typed by whoever is on the other end.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// Formats lists the output formats; "xml" is the appliance's own answer,
// copied by the caller.
var Formats = []string{"jsonl", "json", "csv", "xml"}

// Writer writes items of one report.
type Writer[T any] interface {
	// Write writes one item whole to the underlying writer: nothing of it
	// is held back for the next.
	Write(*T) error
	// Close finishes the output (a JSON array's closing bracket, the CSV
	// buffer); it does not close the underlying writer.
	Close() error
}

// Neutralize returns s with a leading apostrophe when a spreadsheet would
// read it as a formula.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// jsonWriter writes JSON Lines, or a JSON array streamed element by
// element.
type jsonWriter[T any] struct {
	w     io.Writer
	array bool
	n     int
	conv  func(*T) []any // nil: the item itself; else one value per line
}

func (j *jsonWriter[T]) Write(v *T) error {
	vals := []any{v}
	if j.conv != nil {
		vals = j.conv(v)
	}
	for _, x := range vals {
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		sep := "\n"
		if j.array {
			sep = "[\n"
			if j.n > 0 {
				sep = ",\n"
			}
			_, err = io.WriteString(j.w, sep)
			sep = ""
		}
		if err == nil {
			_, err = j.w.Write(b)
		}
		if err == nil && !j.array {
			_, err = io.WriteString(j.w, sep)
		}
		if err != nil {
			return err
		}
		j.n++
	}
	return nil
}

func (j *jsonWriter[T]) Close() error {
	if !j.array {
		return nil
	}
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// csvWriter writes a header, then rows; every cell is neutralised.
type csvWriter[T any] struct {
	w      *csv.Writer
	header []string
	rows   func(*T) [][]string
	wrote  bool
}

func (c *csvWriter[T]) start() error {
	if c.wrote {
		return nil
	}
	c.wrote = true
	return c.w.Write(c.header)
}

func (c *csvWriter[T]) Write(v *T) error {
	if err := c.start(); err != nil {
		return err
	}
	for _, row := range c.rows(v) {
		for i := range row {
			row[i] = Neutralize(row[i])
		}
		if err := c.w.Write(row); err != nil {
			return err
		}
	}
	// Each item's rows reach the underlying writer whole, so a caller can
	// cut the output between items.
	c.w.Flush()
	return c.w.Error()
}

func (c *csvWriter[T]) Close() error {
	if err := c.start(); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

func newWriter[T any](w io.Writer, format string, header []string, rows func(*T) [][]string, jsonConv func(*T) []any) (Writer[T], error) {
	switch format {
	case "jsonl", "":
		return &jsonWriter[T]{w: w, conv: jsonConv}, nil
	case "json":
		return &jsonWriter[T]{w: w, array: true, conv: jsonConv}, nil
	case "csv":
		return &csvWriter[T]{w: csv.NewWriter(w), header: header, rows: rows}, nil
	}
	return nil, fmt.Errorf("format %q is not one of jsonl, json, csv", format)
}

func unixCells(t reporting.Timestamp) (string, string) {
	if !t.Valid {
		return "", ""
	}
	return t.Time().Format(time.RFC3339), strconv.FormatInt(t.Unix, 10)
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

func boolCell(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func jsonCell(v any) string {
	b, _ := json.Marshal(v)
	if string(b) == "null" {
		return ""
	}
	return string(b)
}

// SessionColumns are the CSV columns of a sessions export.
var SessionColumns = []string{"lsid", "lseq", "start_time", "start_unix", "end_time", "end_unix", "duration_seconds",
	"jumpoint", "jump_group", "external_key", "primary_rep", "primary_customer", "host", "customer_public_ip",
	"customer_private_ip", "customer_os", "representatives", "file_transfer_count", "file_move_count", "file_delete_count",
	"has_recording", "shell_recordings", "events", "custom_attributes"}

func sessionRow(s *reporting.Session) []string {
	st, su := unixCells(s.StartTime)
	et, eu := unixCells(s.EndTime)
	dur := ""
	if d, ok := s.DurationSeconds(); ok {
		dur = i64(d)
	}
	name := func(n *reporting.Named) string {
		if n == nil {
			return ""
		}
		return n.Name
	}
	party := func(p *reporting.Party) string {
		if p == nil {
			return ""
		}
		return p.Name
	}
	var c reporting.Customer
	if len(s.Customers) > 0 {
		c = s.Customers[0]
	}
	var reps []string
	for _, r := range s.Representatives {
		reps = append(reps, r.Username)
	}
	custom := map[string]string{}
	for _, a := range s.CustomAttributes {
		custom[a.CodeName] = a.Value
	}
	cj := ""
	if len(custom) > 0 {
		cj = jsonCell(custom)
	}
	return []string{s.LSID, i64(s.LSeq), st, su, et, eu, dur, name(s.Jumpoint), name(s.JumpGroup), s.ExternalKey,
		party(s.PrimaryRep), party(s.PrimaryCustomer), c.Hostname, c.PublicIP, c.PrivateIP, c.OS, strings.Join(reps, " "),
		i64(s.FileTransferCount), i64(s.FileMoveCount), i64(s.FileDeleteCount), boolCell(s.HasRecording()),
		strconv.Itoa(len(s.ShellRecordings)), strconv.Itoa(len(s.Events)), cj}
}

// EventColumns are the CSV columns of an events export.
var EventColumns = []string{"lsid", "seq", "time", "unix", "event_type", "performer_type", "performer_gsnumber", "performer_name",
	"performer", "destination_type", "destination_gsnumber", "destination_name", "destination", "body", "filename", "filesize", "details"}

// Event is one event of a session with its participants resolved, as the
// events exports write it.
type Event struct {
	LSID        string `json:"lsid"`
	Seq         int    `json:"seq"`
	Performer   string `json:"performer,omitempty"`
	Destination string `json:"destination,omitempty"`
	*reporting.Event
}

// Events returns s's events with performer and destination resolved by
// gsnumber.
func Events(s *reporting.Session) []Event {
	out := make([]Event, len(s.Events))
	who := s.Participants()
	for i := range s.Events {
		e := &s.Events[i]
		out[i] = Event{LSID: s.LSID, Seq: i, Event: e}
		if e.PerformedBy != nil {
			out[i].Performer = who.Of(e.PerformedBy.GSNumber).Name()
		}
		if e.Destination != nil {
			out[i].Destination = who.Of(e.Destination.GSNumber).Name()
		}
	}
	return out
}

func eventRows(s *reporting.Session) [][]string {
	var rows [][]string
	for _, ev := range Events(s) {
		e := ev.Event
		t, u := unixCells(e.Timestamp)
		pf := func(p *reporting.Party) (string, string, string) {
			if p == nil {
				return "", "", ""
			}
			return p.Type, p.GSNumber, p.Name
		}
		pt, pg, pn := pf(e.PerformedBy)
		dt, dg, dn := pf(e.Destination)
		size := ""
		if e.Filesize != nil {
			size = i64(*e.Filesize)
		}
		details := ""
		if len(e.Data) > 0 || len(e.Files) > 0 || len(e.SystemInformation) > 0 || len(e.Extra) > 0 {
			details = jsonCell(struct {
				Data              []reporting.Value        `json:"data,omitempty"`
				Files             []reporting.File         `json:"files,omitempty"`
				SystemInformation []reporting.InfoCategory `json:"system_information,omitempty"`
				Extra             []reporting.Element      `json:"extra,omitempty"`
			}{e.Data, e.Files, e.SystemInformation, e.Extra})
		}
		rows = append(rows, []string{s.LSID, strconv.Itoa(ev.Seq), t, u, e.Type, pt, pg, pn, ev.Performer, dt, dg, dn, ev.Destination,
			e.Body, e.Filename, size, details})
	}
	return rows
}

// Sessions writes AccessSession sessions: one row or line per session, or
// with events one per event.
func Sessions(w io.Writer, format string, events bool) (Writer[reporting.Session], error) {
	if events {
		return newWriter(w, format, EventColumns, eventRows, func(s *reporting.Session) []any {
			evs := Events(s)
			out := make([]any, len(evs))
			for i := range evs {
				out[i] = evs[i]
			}
			return out
		})
	}
	return newWriter(w, format, SessionColumns, func(s *reporting.Session) [][]string { return [][]string{sessionRow(s)} }, nil)
}

// Listing writes AccessSessionListing rows.
func Listing(w io.Writer, format string) (Writer[reporting.SessionSummary], error) {
	return newWriter(w, format, []string{"lsid", "has_recording", "external_key"}, func(s *reporting.SessionSummary) [][]string {
		return [][]string{{s.LSID, boolCell(s.HasRecording), s.ExternalKey}}
	}, nil)
}

// Summary writes AccessSessionSummary rows.
func Summary(w io.Writer, format string) (Writer[reporting.UserSummary], error) {
	return newWriter(w, format, []string{"id", "type", "display_name", "total_sessions", "avg_sessions_per_weekday", "avg_duration"},
		func(u *reporting.UserSummary) [][]string {
			return [][]string{{u.ID, u.Type, u.DisplayName, i64(u.TotalSessions), u.AvgPerWeekday, u.AvgDuration}}
		}, nil)
}

// Team writes Team activities: in CSV one row per event.
func Team(w io.Writer, format string) (Writer[reporting.TeamActivity], error) {
	return newWriter(w, format, []string{"team_id", "team_name", "time", "unix", "event_type", "performed_by", "destinations", "body", "files", "data"},
		func(a *reporting.TeamActivity) [][]string {
			var rows [][]string
			for _, e := range a.Events {
				t, u := unixCells(e.Timestamp)
				by := ""
				if e.PerformedBy != nil {
					by = e.PerformedBy.Name
				}
				var dest []string
				for _, d := range e.Destinations {
					dest = append(dest, d.Name)
				}
				files, data := "", ""
				if len(e.Files) > 0 {
					files = jsonCell(e.Files)
				}
				if len(e.Data) > 0 {
					data = jsonCell(e.Data)
				}
				rows = append(rows, []string{a.ID, a.Name, t, u, e.Type, by, strings.Join(dest, "; "), e.Body, files, data})
			}
			return rows
		}, nil)
}
