package main

import (
	"github.com/brcs-toolkit/brcs/internal/cliutil"

	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
)

// workflow is something brcsapi (or the Reporting API) does, and the
// permissions it needs.
type workflow struct {
	What  string   `json:"workflow"`
	Needs []string `json:"needs"`
	// MinVersion is the first API version that has it ("" any).
	MinVersion string `json:"min_api_version,omitempty"`
}

var workflows = []workflow{
	{What: "read and set session attributes, terminate sessions", Needs: []string{"perm_admin", "perm_use_command_api"}},
	{What: "check_health (brcsapi health with credentials)", Needs: []string{"perm_admin", "perm_use_command_api"}},
	{What: "import Jump shortcuts", Needs: []string{"perm_admin", "perm_use_command_api"}, MinVersion: appliance.ImportVersion},
	{What: "back up the configuration", Needs: []string{"perm_admin"}},
	{What: "download session reports", Needs: []string{"perm_use_reporting_api", "perm_view_reports"}},
	{What: "download session recordings", Needs: []string{"perm_use_reporting_api", "perm_view_sd_recordings"}},
}

// permWords say what each known permission is.
var permWords = map[string]string{
	"perm_use_command_api":    "allowed to use the Command API",
	"perm_use_reporting_api":  "allowed to use the Reporting API",
	"perm_admin":              "administrator",
	"perm_view_reports":       "which session reports it may view",
	"perm_view_sd_recordings": "allowed to view session recordings",
}

type verdict struct {
	workflow
	Can     bool     `json:"can"`
	Missing []string `json:"missing,omitempty"`
}

func judge(info *appliance.APIInfo) []verdict {
	var out []verdict
	for _, w := range workflows {
		v := verdict{workflow: w, Can: true}
		for _, p := range w.Needs {
			if !info.Has(p) {
				v.Can = false
				v.Missing = append(v.Missing, p)
			}
		}
		if w.MinVersion != "" && !info.AtLeast(w.MinVersion) {
			v.Can = false
			v.Missing = append(v.Missing, "API "+w.MinVersion)
		}
		out = append(out, v)
	}
	return out
}

func infoCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "info",
		Usage: "show the API version, the account and its permissions, and which workflows it can run (get_api_info)",
		Action: func(c *cli.Context) error {
			cl, err := e.client(c, true)
			if err != nil {
				return err
			}
			info, err := cl.APIInfo(c.Context)
			if err != nil {
				return cliutil.Refused(err)
			}
			verdicts := judge(info)
			if c.Bool("json") {
				return e.printJSON(struct {
					*appliance.APIInfo
					Workflows []verdict `json:"workflows"`
				}{info, verdicts})
			}
			tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "appliance\t%s\n", cl.Base())
			fmt.Fprintf(tw, "API version\t%s\n", info.Version)
			fmt.Fprintf(tw, "user id\t%d\n", info.UserID)
			if !info.Timestamp.IsZero() {
				fmt.Fprintf(tw, "appliance clock\t%s\n", info.Timestamp.Format("2006-01-02T15:04:05Z"))
			}
			fmt.Fprintln(tw, "permissions:")
			names := make([]string, 0, len(info.Permissions))
			for n := range info.Permissions {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				words := permWords[n]
				if words == "" {
					words = "(not in the guide)"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", n, info.Permissions[n], words)
			}
			fmt.Fprintln(tw, "this account:")
			for _, v := range verdicts {
				if v.Can {
					fmt.Fprintf(tw, "  can\t%s\n", v.What)
				} else {
					fmt.Fprintf(tw, "  cannot\t%s\t(needs %s)\n", v.What, strings.Join(v.Missing, ", "))
				}
			}
			fmt.Fprintln(tw, "  cannot\tjoin sessions: the guide lists join_session but never documents it")
			return tw.Flush()
		},
	}
}
