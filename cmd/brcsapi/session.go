package main

import (
	"bufio"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

func sessionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "session",
		Usage: "read or set an active session's attributes, or terminate it",
		Description: "The guide's Command API also lists join_session, but documents neither its parameters nor its answer, " +
			"so brcsapi does not offer it rather than guess. The session ID is the lsid parameter (the guide prints Isid).",
		Subcommands: []*cli.Command{sessionAttrsCommand(e), sessionSetCommand(e), sessionTerminateCommand(e)},
	}
}

// lsidArg is the one argument of a command about a session, a checked
// lsid; without one, the usage error says usage.
func lsidArg(c *cli.Context, usage string) (string, error) {
	if c.NArg() != 1 {
		return "", cliutil.Usage("%s", usage)
	}
	lsid := c.Args().First()
	if err := appliance.CheckLSID(lsid); err != nil {
		return "", cliutil.Usage("%s", textsafe.Escape(err.Error()))
	}
	return lsid, nil
}

const giveLSID = "give one session ID (LSID), e.g. c69a8e10bea9428f816cfababe9815fe"

func sessionAttrsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "attrs",
		Usage:     "show an active session's custom attributes (get_session_attributes)",
		ArgsUsage: "LSID",
		Action: func(c *cli.Context) error {
			lsid, err := lsidArg(c, giveLSID)
			if err != nil {
				return err
			}
			cl, err := e.client(c, true)
			if err != nil {
				return err
			}
			attrs, err := cl.SessionAttributes(c.Context, lsid)
			if err != nil {
				return cliutil.Refused(err)
			}
			if c.Bool("json") {
				return e.printJSON(attrs)
			}
			tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE NAME\tDISPLAY NAME\tVALUE")
			for _, a := range attrs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", textsafe.Escape(a.CodeName), textsafe.Escape(a.DisplayName), textsafe.Escape(a.Value))
			}
			return tw.Flush()
		},
	}
}

func sessionSetCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "set",
		Usage:     "set or clear an active session's attributes (set_session_attributes); attributes not named keep their values",
		ArgsUsage: "LSID",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "external-key", Usage: "the ticket number or other key that links the session to an external system"},
			&cli.StringSliceFlag{Name: "custom", Usage: "CODE_NAME=VALUE of a custom attribute (repeatable)"},
			&cli.StringSliceFlag{Name: "clear", Usage: "CODE_NAME of an attribute to clear, external_key too (repeatable)"},
		},
		Action: func(c *cli.Context) error {
			lsid, err := lsidArg(c, giveLSID)
			if err != nil {
				return err
			}
			var key []appliance.AttrChange
			if c.IsSet("external-key") {
				key = append(key, appliance.Set(appliance.ExternalKey, c.String("external-key")))
			}
			changes, err := appliance.ParseAttrChanges(key, c.StringSlice("custom"), c.StringSlice("clear"))
			if err != nil {
				return cliutil.Usage("%v", err)
			}
			return send(e, c, func(cl *appliance.Client) (*appliance.Success, error) {
				return cl.SetSessionAttributes(c.Context, lsid, changes...)
			})
		},
	}
}

func sessionTerminateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "terminate",
		Usage:     "end an active session (terminate_session); asks first on a terminal",
		ArgsUsage: "LSID",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "do not ask"}},
		Action: func(c *cli.Context) error {
			lsid, err := lsidArg(c, giveLSID)
			if err != nil {
				return err
			}
			if !c.Bool("yes") {
				if err := confirmTerminate(e, lsid); err != nil {
					return err
				}
			}
			return send(e, c, func(cl *appliance.Client) (*appliance.Success, error) {
				return cl.TerminateSession(c.Context, lsid)
			})
		},
	}
}

// confirmTerminate asks on the terminal whether to terminate the session;
// without a terminal nobody can answer, so it refuses at once.
func confirmTerminate(e *env, lsid string) error {
	if !e.Terminal(e.Stdin) {
		return cliutil.Usage("standard input is not a terminal, so nobody can answer the question: pass --yes to terminate session %s", lsid)
	}
	fmt.Fprintf(e.Stderr, "terminate session %s? [y/N] ", lsid)
	answer, _ := bufio.NewReader(e.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return cli.Exit("not terminated", cliutil.ExitFindings)
	}
	return nil
}

// send makes the client, sends what call asks and prints the appliance's
// message; a refusal is the command's finding.
func send(e *env, c *cli.Context, call func(*appliance.Client) (*appliance.Success, error)) error {
	cl, err := e.client(c, true)
	if err != nil {
		return err
	}
	ok, err := call(cl)
	if err != nil {
		return cliutil.Refused(err)
	}
	fmt.Fprintln(e.Stdout, textsafe.Escape(ok.Message))
	return nil
}
