package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/progress"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

func shortcutCommand(e *env) *cli.Command {
	var kinds []*cli.Command
	for _, k := range appliance.ShortcutKinds {
		var flags []cli.Flag
		for _, p := range appliance.ShortcutParams(k) {
			flags = append(flags, &cli.StringFlag{Name: p.Column, Usage: p.Usage + " (" + p.Param + ")"})
		}
		kinds = append(kinds, &cli.Command{
			Name:  string(k),
			Usage: "import " + k.Description(),
			Flags: append(flags, &cli.BoolFlag{Name: "no-version-check", Usage: "skip asking get_api_info whether the appliance has import_jump_shortcut (API 1.14.0)"}),
			Action: func(c *cli.Context) error {
				s := appliance.ShortcutOf(k, c.String)
				if _, err := s.Params(); err != nil {
					return cliutil.Usage("%v", err)
				}
				return send(e, c, func(cl *appliance.Client) (*appliance.Success, error) {
					if err := versionCheck(c, cl); err != nil {
						return nil, err
					}
					return cl.ImportJumpShortcut(c.Context, s)
				})
			},
		})
	}
	return &cli.Command{
		Name:  "shortcut",
		Usage: "Jump shortcuts",
		Subcommands: []*cli.Command{{
			Name:      "import",
			Usage:     "import one Jump shortcut (import local|remote|rdp|shell --hostname ...) or a CSV of them (import --csv FILE)",
			ArgsUsage: "[local|remote|rdp|shell]",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "csv", Usage: "a CSV file: a header row naming a kind column and columns named after the flags, then one shortcut a row"},
				&cli.BoolFlag{Name: "dry-run", Usage: "check every row, send nothing; exit 1 if any row would be refused"},
				&cli.BoolFlag{Name: "no-version-check", Usage: "skip asking get_api_info whether the appliance has import_jump_shortcut (API 1.14.0)"},
			},
			Subcommands: kinds,
			Action: func(c *cli.Context) error {
				if c.String("csv") == "" {
					return cliutil.Usage("give a kind (local, remote, rdp or shell) and its flags, or --csv FILE")
				}
				return importCSV(c, e)
			},
		}},
	}
}

// versionCheck asks whether the appliance has import_jump_shortcut,
// unless told not to.
func versionCheck(c *cli.Context, cl *appliance.Client) error {
	if c.Bool("no-version-check") {
		return nil
	}
	return cl.CanImportShortcuts(c.Context)
}

func importCSV(c *cli.Context, e *env) error {
	path := c.String("csv")
	rows, err := appliance.OpenShortcutCSV(path)
	if err != nil {
		return cliutil.Usage("%v", err)
	}
	failed := 0
	if c.Bool("dry-run") || rows.ToSend() == 0 {
		failed = rows.DryRun()
	} else {
		cl, err := e.client(c, true)
		if err != nil {
			return err
		}
		if err := versionCheck(c, cl); err != nil {
			return cliutil.Refused(err)
		}
		bar := e.Progress("importing", progress.Options{Total: int64(len(rows))})
		failed = cl.ImportShortcuts(c.Context, rows, func(n int) { bar.Set(int64(n)) })
		bar.Done()
	}
	if c.Bool("json") {
		if err := e.printJSON(rows); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LINE\tKIND\tHOSTNAME\tOUTCOME")
		for _, r := range rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.Line, textsafe.Escape(r.Kind), textsafe.Escape(r.Hostname), textsafe.Escape(r.Outcome))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if failed > 0 {
		verb := "failed"
		if c.Bool("dry-run") {
			verb = "would be refused"
		}
		return cli.Exit(fmt.Sprintf("%s: %d of %d rows %s", path, failed, len(rows), verb), cliutil.ExitFindings)
	}
	return nil
}
