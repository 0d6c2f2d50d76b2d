// Command brcslint checks BRCS scripts, script templates and single
// commands, for CI and for people. Run brcslint --help for its flags.
package main

import (
	"os"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

func main() { os.Exit(Main(os.Args, cliutil.OSEnv())) }
