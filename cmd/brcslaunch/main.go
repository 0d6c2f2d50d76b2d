// Command brcslaunch checks a BRCS script (a downloaded file or a single
// command), shows the technician what it will do, and starts the access
// console with it. brcslaunch register makes it the handler of
// *.brcs-<site> files. Run brcslaunch --help for its flags.
package main

import (
	"os"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/launcher"
)

func main() {
	cols, rows := terminalSize(os.Stderr) // the question goes to standard error
	os.Exit(Main(os.Args, Env{
		Env:     cliutil.OSEnv(),
		Desktop: launcher.Desktop(), StdinIsTerminal: cliutil.IsTerminal(os.Stdin),
		TerminalCols: cols, TerminalRows: rows, Helper: selfHelper(),
	}))
}
