package main

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance/monitor"
)

func healthCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "health",
		Usage: "probe /check_health (no credentials), and with a user name also ask check_health",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "nagios", Usage: "print one Nagios line with perfdata; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN"},
			&cli.BoolFlag{Name: "probe-only", Usage: "only the unauthenticated probe, even with a user name"},
			&cli.StringFlag{Name: "expect-role", Usage: "warn unless the failover role is this: none, primary or backup"},
			&cli.DurationFlag{Name: "sync-warn", Value: time.Hour, Usage: "warn when the last failover data sync is older"},
			&cli.DurationFlag{Name: "sync-crit", Value: 6 * time.Hour, Usage: "critical when the last failover data sync is older"},
		},
		Action: func(c *cli.Context) error {
			nag := c.Bool("nagios")
			usage := func(err error) error {
				if nag {
					v := monitor.ErrorVerdict(err)
					fmt.Fprintln(e.Stdout, v.Line)
					return cli.Exit("", int(v.State))
				}
				return err
			}
			if r := c.String("expect-role"); r != "" && monitor.CheckRole(r) != nil {
				return usage(fmt.Errorf("--expect-role %w", monitor.CheckRole(r)))
			}
			cf, err := e.settings(c)
			if err != nil {
				return usage(err)
			}
			checked := cf.HasAccount() && !c.Bool("probe-only")
			cl, err := e.client(c, checked)
			if err != nil {
				return usage(err)
			}
			h := monitor.Check{Checked: checked, ExpectRole: c.String("expect-role"),
				SyncWarn: c.Duration("sync-warn"), SyncCrit: c.Duration("sync-crit")}
			h.Ask(c.Context, cl) // a signal is what stopped it, not "context canceled"
			h.Now = e.Now()
			v := h.Verdict()
			if nag {
				fmt.Fprintln(e.Stdout, v.Line)
				if v.State == monitor.OK {
					return nil
				}
				return cli.Exit("", int(v.State))
			}
			if c.Bool("json") {
				if err := e.printJSON(h.Result()); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(e.Stdout, v.Line)
			}
			if v.State != monitor.OK {
				return cli.Exit("", 1)
			}
			return nil
		},
	}
}
