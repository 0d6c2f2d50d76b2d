package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

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
			r := info.Report()
			if c.Bool("json") {
				return e.printJSON(r)
			}
			tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
			q := textsafe.Escape
			fmt.Fprintf(tw, "appliance\t%s\n", cl.Base())
			fmt.Fprintf(tw, "API version\t%s\n", q(info.Version))
			fmt.Fprintf(tw, "account\t%s\n", r.AccountKind)
			fmt.Fprintf(tw, "user id\t%d\n", info.UserID)
			if info.Company != "" {
				fmt.Fprintf(tw, "company\t%s\n", q(info.Company))
			}
			if !info.Timestamp.IsZero() {
				fmt.Fprintf(tw, "appliance clock\t%s\n", info.Timestamp.Format("2006-01-02T15:04:05Z"))
			}
			fmt.Fprintln(tw, "permissions:")
			for _, p := range info.PermissionList() {
				if !p.Known {
					p.Words = "(not known to brcsapi; kept)"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", q(p.Name), q(p.Value), p.Words)
			}
			fmt.Fprintln(tw, "API version has:")
			for _, cp := range r.Capabilities {
				mark := "no"
				if cp.Has {
					mark = "yes"
				}
				fmt.Fprintf(tw, "  %s\tfrom %s\t%s\n", mark, cp.Since, cp.What)
			}
			fmt.Fprintln(tw, "this account:")
			for _, d := range r.Workflows {
				if d.Can {
					fmt.Fprintf(tw, "  can\t%s\n", d.Workflow)
				} else {
					fmt.Fprintf(tw, "  cannot\t%s\t(needs %s)\n", d.Workflow, strings.Join(d.Missing, ", "))
				}
			}
			fmt.Fprintln(tw, "  cannot\tjoin sessions: the guide lists join_session but never documents it")
			fmt.Fprintln(tw, "decided by:")
			for _, d := range r.Workflows {
				fmt.Fprintf(tw, "  %s\t%s\n", d.Workflow, q(strings.Join(d.DecidedBy, ", ")))
			}
			return tw.Flush()
		},
	}
}
