// Command brcs-fakeconsole is a test helper, not a tool: it stands in for
// the vendor's access console in tests and demonstrations. It appends what it was given (its arguments and the
// bytes of the script file) as one JSON line to $FAKE_CONSOLE_LOG, removes
// the script file when the script ends in delete_script_file (as the
// console does), then, when $FAKE_CONSOLE_HOLD names a file, runs until
// that file exists (a console the technician keeps open), and exits with
// $FAKE_CONSOLE_EXIT (default 0).
package main

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"time"
)

// Record is one run, as logged.
type Record struct {
	Args   []string `json:"args"`
	Script string   `json:"script"`
	// Mode is the script file's permission bits, in octal.
	Mode string `json:"mode"`
	// DirMode is its folder's permission bits, in octal.
	DirMode string `json:"dir_mode"`
	// PID and PPID are the console's process and its parent's.
	PID  int `json:"pid"`
	PPID int `json:"ppid"`
}

func main() {
	r := Record{Args: os.Args[1:], PID: os.Getpid(), PPID: os.Getppid()}
	for i, a := range os.Args {
		if a == "--run-script-file" && i+1 < len(os.Args) {
			path := os.Args[i+1]
			if b, err := os.ReadFile(path); err == nil {
				r.Script = string(b)
			}
			if fi, err := os.Stat(path); err == nil {
				r.Mode = strconv.FormatUint(uint64(fi.Mode().Perm()), 8)
			}
			if fi, err := os.Stat(dir(path)); err == nil {
				r.DirMode = strconv.FormatUint(uint64(fi.Mode().Perm()), 8)
			}
			if strings.Contains(r.Script, "action=delete_script_file") {
				os.Remove(path)
			}
		}
	}
	if log := os.Getenv("FAKE_CONSOLE_LOG"); log != "" {
		f, err := os.OpenFile(log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err == nil {
			json.NewEncoder(f).Encode(r)
			f.Close()
		}
	}
	if hold := os.Getenv("FAKE_CONSOLE_HOLD"); hold != "" {
		for {
			if _, err := os.Stat(hold); err == nil {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	code, _ := strconv.Atoi(os.Getenv("FAKE_CONSOLE_EXIT"))
	os.Exit(code)
}

func dir(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[:i]
	}
	return "."
}
