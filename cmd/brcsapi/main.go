// Command brcsapi talks to a BeyondTrust / Bomgar appliance's XML APIs:
// the Command API (API info and permissions, check_health, session
// attributes, terminating a session, Jump shortcut import, one or a CSV
// of many), the Reporting API (session reports, listings, summaries and
// team activity exported as JSON Lines, JSON, CSV or the appliance's XML;
// screen and shell recordings; an archive of sessions in SQLite or
// PostgreSQL; a ticket's evidence folder), the Backup API (backups with
// rotation) and the unauthenticated /check_health probe (health, also as
// a Nagios check). Run brcsapi --help for its commands.
package main

import (
	"os"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

func main() { os.Exit(Main(os.Args, cliutil.OSEnv())) }
