package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/progress"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

func backupCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "backup",
		Usage: "download the appliance's configuration backup into a folder, atomically, with mode 0600; optionally rotate old ones",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true, Usage: "the folder to write HOST-YYYYMMDDTHHMMSSZ.nsb into, created (0700) when missing (HOST is the appliance's host, with _PORT when its URL names one)"},
			&cli.IntFlag{Name: "keep", Usage: "after a good backup, keep the newest N of this appliance's backups in the folder, delete older ones (0: no limit)"},
			&cli.IntFlag{Name: "keep-days", Usage: "after a good backup, keep this appliance's backups younger than D days, delete older ones (0: no limit)"},
		},
		Action: func(c *cli.Context) error {
			dir := c.String("output")
			o := appliance.BackupOptions{Dir: dir, Now: e.Now(), Keep: c.Int("keep"), KeepDays: c.Int("keep-days")}
			if o.Keep < 0 || o.KeepDays < 0 {
				return cliutil.Usage("--keep and --keep-days take a number of files or days, 0 or more")
			}
			if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
				return cliutil.Usage("-o %s: not a folder; give the folder to write backups into", dir)
			}
			cl, err := e.client(c, true)
			if err != nil {
				return err
			}
			bar := e.Progress("backup", progress.Options{Bytes: true})
			o.Progress = bar
			saved, err := cl.SaveBackup(c.Context, o)
			bar.Done()
			if saved == nil {
				if cliutil.InterruptedBy(c.Context) != nil {
					return cliutil.Refused(fmt.Errorf("nothing written in %s, no partial file left", dir))
				}
				return cliutil.Refused(err) // a write error names the file asked for, not the temporary one
			}
			for _, p := range saved.Removed {
				fmt.Fprintf(e.Stderr, "%s: removed %s, left by a backup that was killed\n", name, textsafe.Escape(p))
			}
			if c.Bool("json") {
				if jerr := e.printJSON(saved); jerr != nil {
					return jerr
				}
			} else {
				fmt.Fprintf(e.Stdout, "%s\t%d bytes\tsha256 %s\n", saved.Path, saved.Size, saved.SHA256)
				for _, f := range saved.Deleted {
					fmt.Fprintf(e.Stdout, "deleted %s\n", f)
				}
			}
			if err != nil {
				return cliutil.Refused(err)
			}
			return nil
		},
	}
}
