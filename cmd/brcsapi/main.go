// Command brcsapi talks to a BeyondTrust / Bomgar appliance's Command and
// Backup APIs and its health probe: API info and permissions, health (also
// as a Nagios check), session attributes, terminating a session, Jump
// shortcut import (one or a CSV of many) and backups with rotation. Run
// brcsapi --help for its commands.
package main

import (
	"os"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

func main() { os.Exit(Main(os.Args, cliutil.OSEnv())) }
