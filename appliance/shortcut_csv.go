package appliance

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
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

// ReadShortcutCSV reads a CSV of Jump shortcuts: a header row naming a
// kind column and columns named after ShortcutColumns (any case, _ for
// -, a byte order mark allowed), then one shortcut a row. Each row is
// checked as Shortcut.Params checks it: a row that cannot be sent is not
// OK, and its Outcome says why, on one line. name is the file's name in
// the errors, which say the line and column; an error means no row can
// be trusted (a bad header, a broken row).
func ReadShortcutCSV(r io.Reader, name string) ([]ShortcutRow, error) {
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
	var rows []ShortcutRow
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
