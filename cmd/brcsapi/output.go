package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

// output is where an export goes: standard output, or a file written
// through a temporary file in the same folder and renamed only when the
// whole export succeeded, so a failure never leaves a partial file.
type output struct {
	io.Writer
	f    *os.File
	path string
}

func (e *env) openOutput(path string) (*output, error) {
	if path == "" || path == "-" {
		return &output{Writer: e.Stdout}, nil
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".part-*")
	if err != nil {
		return nil, cliutil.Usage("-o %s: %v", path, err)
	}
	return &output{Writer: f, f: f, path: path}, nil
}

// finish keeps the file when err is nil and removes it otherwise.
func (o *output) finish(err error) error {
	if o.f == nil {
		return err
	}
	if err == nil {
		err = o.f.Sync()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.f.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.f.Name())
	}
	return err
}

// parseWhen reads an RFC 3339 time, a date (UTC midnight), or a time
// relative to now: 7d, 12h, 30m, 90s (in the past).
func parseWhen(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	if v == "now" {
		return now, nil
	}
	if n := len(v); n > 1 {
		if k, err := strconv.Atoi(v[:n-1]); err == nil && k >= 0 {
			unit := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}[v[n-1]]
			if unit != 0 {
				return now.Add(-time.Duration(k) * unit), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 (2015-03-01T08:00:00Z), a date (2015-03-01) nor relative (7d, 12h, 30m)", v)
}

// chunks cuts ids into lists of at most n.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

func splitIDs(values []string) []string {
	var out []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}
