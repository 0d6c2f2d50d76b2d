package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/brcs-toolkit/brcs/appliance/reporting/export"
	"github.com/brcs-toolkit/brcs/gen"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// resultColumn names what a row makes, in the records of --format.
func resultColumn(m gen.BatchMode) string {
	switch m {
	case gen.BatchCommand:
		return "command"
	case gen.BatchURL:
		return "link"
	}
	return "path"
}

func status(r gen.RowResult) string {
	switch {
	case !r.Attempted:
		return "not_attempted"
	case r.Err != nil:
		return "refused"
	}
	return "done"
}

// printResults writes the rows' results on w. In every format a line
// belongs to one row and says so, or sits in that row's place: plain
// prints the command or link of row N on line N (an empty line for a row
// that made none), and stops after the last row worked on when the batch
// was stopped; tsv, csv and jsonl write one record a row, every row,
// with its number and key.
func printResults(w io.Writer, format string, mode gen.BatchMode, rep *gen.BatchReport) error {
	col := resultColumn(mode)
	result := func(r gen.RowResult) string {
		if col == "path" {
			return r.Path
		}
		return r.Text
	}
	errText := func(r gen.RowResult) string {
		if r.Err == nil {
			return ""
		}
		return r.Err.Error()
	}
	switch format {
	case "plain":
		if col == "path" {
			return nil // the files are the output; the report says which
		}
		n := len(rep.Results)
		if rep.Stopped != nil {
			for n > 0 && !rep.Results[n-1].Attempted {
				n--
			}
		}
		var b strings.Builder
		for _, r := range rep.Results[:n] {
			if r.Done() {
				b.WriteString(r.Text)
			}
			b.WriteByte('\n')
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "tsv":
		var b strings.Builder
		b.WriteString("row\tkey\tstatus\t" + col + "\terror\n")
		for _, r := range rep.Results {
			// Escaped, so a tab or a new line in a cell never makes a column or a record.
			fmt.Fprintf(&b, "%d\t%s\t%s\t%s\t%s\n", r.Row, textsafe.Escape(r.Key), status(r), textsafe.Escape(result(r)), textsafe.EscapeLines(errText(r)))
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"row", "key", "status", col, "error"})
		for _, r := range rep.Results {
			// A spreadsheet never runs a cell as a formula.
			cw.Write([]string{strconv.Itoa(r.Row), export.Neutralize(r.Key), status(r), export.Neutralize(result(r)), export.Neutralize(errText(r))})
		}
		cw.Flush()
		return cw.Error()
	case "jsonl":
		enc := json.NewEncoder(w)
		for _, r := range rep.Results {
			rec := map[string]any{"row": r.Row, "key": r.Key, "status": status(r)}
			if v := result(r); v != "" {
				rec[col] = v
			}
			if r.Err != nil {
				rec["error"] = r.Err.Error()
			}
			var warnings []string
			for _, d := range r.Warnings {
				warnings = append(warnings, fmt.Sprintf("line %d: %s [%s]", d.Start.Line, d.Message, d.Rule))
			}
			if len(warnings) > 0 {
				rec["warnings"] = warnings
			}
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// batchSummary is the line that says what the batch came to, then one
// line per refused row (an unwritable folder once, for all its rows) and
// per warning. Rows not attempted are counted, never listed.
func batchSummary(rep *gen.BatchReport) string {
	total := len(rep.Results)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: batch: %s, %d done, %d refused", name, cliutil.Count(total, "row"), rep.Done, rep.Refused)
	if rep.NotAttempted > 0 {
		fmt.Fprintf(&b, ", %d not attempted", rep.NotAttempted)
		var intr *cliutil.Interrupted
		if !errors.As(rep.Stopped, &intr) && rep.Stopped != nil {
			fmt.Fprintf(&b, " (the batch stopped: %s)", textsafe.EscapeLines(rep.Stopped.Error()))
		}
	}
	b.WriteByte('\n')
	said := map[*gen.UnwritableError]bool{}
	for _, r := range rep.Results {
		var ue *gen.UnwritableError
		switch {
		case !r.Attempted:
			continue
		case errors.As(r.Err, &ue):
			if !said[ue] {
				said[ue] = true
				rows := rowsOf(rep, ue)
				fmt.Fprintf(&b, "  %s: %s\n", rows, textsafe.EscapeLines(ue.Error()))
			}
			continue
		case r.Err != nil:
			fmt.Fprintf(&b, "  row %d (line %d): %s\n", r.Row, r.Row+1, textsafe.EscapeLines(r.Err.Error()))
			continue
		}
		for _, d := range r.Warnings {
			fmt.Fprintf(&b, "  row %d (line %d): warning: the appliance's answer, line %d: %s [%s]\n", r.Row, r.Row+1, d.Start.Line, textsafe.Escape(d.Message), d.Rule)
		}
	}
	return b.String()
}

// rowsOf names the rows that carry ue: "row 3 (line 4)", or "rows 1-999,
// 1001 (999+1 rows)" in ranges.
func rowsOf(rep *gen.BatchReport, ue *gen.UnwritableError) string {
	var rows []int
	for _, r := range rep.Results {
		var e *gen.UnwritableError
		if errors.As(r.Err, &e) && e == ue {
			rows = append(rows, r.Row)
		}
	}
	if len(rows) == 1 {
		return fmt.Sprintf("row %d (line %d)", rows[0], rows[0]+1)
	}
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(rows[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", rows[i], rows[j]))
		}
		i = j + 1
	}
	return fmt.Sprintf("rows %s (%d rows)", strings.Join(parts, ", "), len(rows))
}
