// Command brcsgen builds BRCS scripts, single commands and help-desk links
// offline, fills script templates with correctly encoded values, fetches
// scripts from an appliance and runs all of these in batches from a CSV
// file. Run brcsgen --help for its commands.
package main

import (
	"os"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

func main() { os.Exit(Main(os.Args, cliutil.OSEnv())) }
