package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

var kindUsage = map[appliance.ShortcutKind]string{
	appliance.LocalJump:  "a Local Jump shortcut (an endpoint on the local network)",
	appliance.RemoteJump: "a Remote Jump shortcut (through a Jumpoint)",
	appliance.RDP:        "a Remote Desktop Protocol shortcut (through a Jumpoint)",
	appliance.ShellJump:  "a Shell Jump shortcut, SSH or Telnet (through a Jumpoint)",
}

func shortcutCommand(e *env) *cli.Command {
	var kinds []*cli.Command
	for _, k := range appliance.ShortcutKinds {
		var flags []cli.Flag
		for _, p := range appliance.ShortcutParams(k) {
			flags = append(flags, &cli.StringFlag{Name: p.Column, Usage: p.Usage + " (" + p.Param + ")"})
		}
		kinds = append(kinds, &cli.Command{
			Name:  string(k),
			Usage: "import " + kindUsage[k],
			Flags: append(flags, &cli.BoolFlag{Name: "no-version-check", Usage: "skip asking get_api_info whether the appliance has import_jump_shortcut (API 1.14.0)"}),
			Action: func(c *cli.Context) error {
				s := appliance.Shortcut{Kind: k}
				for _, col := range appliance.ShortcutColumns()[1:] {
					if k.Takes(col) {
						s.SetField(col, c.String(col))
					}
				}
				if _, err := s.Params(); err != nil {
					return cliutil.Usage("%v", err)
				}
				cl, err := e.client(c, true)
				if err != nil {
					return err
				}
				if err := versionCheck(c, cl); err != nil {
					return err
				}
				ok, err := cl.ImportJumpShortcut(c.Context, s)
				if err != nil {
					return cliutil.Refused(err)
				}
				fmt.Fprintln(e.Stdout, textsafe.Escape(ok.Message))
				return nil
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

func versionCheck(c *cli.Context, cl *appliance.Client) error {
	if c.Bool("no-version-check") {
		return nil
	}
	if err := cl.CanImportShortcuts(c.Context); err != nil {
		return cliutil.Refused(err)
	}
	return nil
}

func importCSV(c *cli.Context, e *env) error {
	path := c.String("csv")
	f, err := os.Open(path)
	if err != nil {
		return cliutil.Usage("%v", err)
	}
	rows, err := appliance.ReadShortcutCSV(f, path)
	f.Close()
	if err != nil {
		return cliutil.Usage("%v", err)
	}
	valid := 0
	for _, r := range rows {
		if r.OK {
			valid++
		}
	}
	failed := len(rows) - valid
	if !c.Bool("dry-run") && valid > 0 {
		cl, err := e.client(c, true)
		if err != nil {
			return err
		}
		if err := versionCheck(c, cl); err != nil {
			return err
		}
		bar := newProgress(e, "importing", int64(len(rows)), false)
		failed = cl.ImportShortcuts(c.Context, rows, func(n int) { bar.Set(int64(n)) })
		bar.done()
	} else {
		for i := range rows {
			if rows[i].OK {
				rows[i].Outcome = "would be sent"
			}
		}
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
