package appliance

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// ShortcutRow is one row of a shortcut CSV file, and what became of it.
type ShortcutRow struct {
	// Line is the row's line in the file (the header is line 1).
	Line     int    `json:"line"`
	Kind     string `json:"kind"`
	Hostname string `json:"hostname"`
	// OK says the row can be sent (ReadShortcutCSV), or was imported.
	OK bool `json:"ok"`
	// Outcome is "refused: why" for a row that cannot be sent; the
	// caller sets it for the others.
	Outcome  string   `json:"outcome"`
	Shortcut Shortcut `json:"-"`
}

// ShortcutRows are the rows of a shortcut CSV (ReadShortcutCSV), on their
// way to the appliance (Client.ImportShortcuts) or to a dry run.
type ShortcutRows []ShortcutRow

// ToSend is the number of rows that are OK: those ImportShortcuts would
// send. With none, there is no need for a client.
func (rows ShortcutRows) ToSend() int {
	n := 0
	for _, r := range rows {
		if r.OK {
			n++
		}
	}
	return n
}

// DryRun sends nothing: each row that is OK gets the Outcome "would be
// sent", and the others keep theirs. It returns the number of rows not
// OK, those that would be refused.
func (rows ShortcutRows) DryRun() (refused int) {
	for i := range rows {
		if rows[i].OK {
			rows[i].Outcome = "would be sent"
		}
	}
	return len(rows) - rows.ToSend()
}

// ReadShortcutCSV reads a CSV of Jump shortcuts: a header row naming a
// kind column and columns named after ShortcutColumns (any case, _ for
// -, a byte order mark allowed), then one shortcut a row. Each row is
// checked as Shortcut.Params checks it: a row that cannot be sent is not
// OK, and its Outcome says why, on one line. name is the file's name in
// the errors, which say the line and column; an error means no row can
// be trusted (a bad header, a broken row).
func ReadShortcutCSV(r io.Reader, name string) (ShortcutRows, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: no header row: %v", name, err)
	}
	known := map[string]bool{}
	for _, col := range ShortcutColumns() {
		known[col] = true
	}
	hasKind := false
	for i, h := range header {
		h = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))), "_", "-")
		if !known[h] {
			return nil, fmt.Errorf("%s:1:%d: unknown column %q (columns: %s)", name, i+1, header[i], strings.Join(ShortcutColumns(), ", "))
		}
		header[i] = h
		hasKind = hasKind || h == "kind"
	}
	if !hasKind {
		return nil, fmt.Errorf("%s:1: no kind column (local, remote, rdp or shell)", name)
	}
	var rows ShortcutRows
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		var s Shortcut
		for i, v := range rec {
			s.SetField(header[i], v)
		}
		row := ShortcutRow{Line: line, Kind: string(s.Kind), Hostname: s.Hostname, Shortcut: s}
		if _, err := s.Params(); err != nil {
			row.Outcome = "refused: " + strings.ReplaceAll(err.Error(), "\n", "; ")
		} else {
			row.OK = true
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// OpenShortcutCSV reads the shortcut CSV file at path (ReadShortcutCSV),
// naming it path in the errors.
func OpenShortcutCSV(path string) (ShortcutRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadShortcutCSV(f, path)
}

// CanImportShortcuts asks get_api_info whether the appliance's API has
// import_jump_shortcut (ImportVersion and later): nil when it has, the
// call's *Error, or an error naming both versions.
func (c *Client) CanImportShortcuts(ctx context.Context) error {
	info, err := c.APIInfo(ctx)
	if err != nil {
		return err
	}
	if !info.AtLeast(ImportVersion) {
		return fmt.Errorf("the appliance's API is %s; import_jump_shortcut needs %s or later", textsafe.Quote(info.Version), ImportVersion)
	}
	return nil
}

// ImportShortcuts imports the rows that are OK (see ReadShortcutCSV) one
// by one; a row that fails never stops the others. A row imported keeps
// OK, and its Outcome is the appliance's message; a row that failed is no
// longer OK, and its Outcome is "failed: " and why. done, when not nil,
// is told the number of rows done after each row. It returns the number
// of rows not OK.
func (c *Client) ImportShortcuts(ctx context.Context, rows []ShortcutRow, done func(n int)) (failed int) {
	for i := range rows {
		if rows[i].OK {
			ok, err := c.ImportJumpShortcut(ctx, rows[i].Shortcut)
			if err != nil {
				rows[i].OK, rows[i].Outcome = false, "failed: "+Reason(err)
			} else {
				rows[i].Outcome = ok.Message
			}
		}
		if !rows[i].OK {
			failed++
		}
		if done != nil {
			done(i + 1)
		}
	}
	return failed
}

// Reason is an error's message without the endpoint prefix an *Error
// adds: the appliance's own message, or the cause in words, with the
// client's secrets redacted (Error.Text).
func Reason(err error) string {
	if e, ok := err.(*Error); ok && (e.Message != "" || e.Err != nil) {
		return e.Text()
	}
	return err.Error()
}
