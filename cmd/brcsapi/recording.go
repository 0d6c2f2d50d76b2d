package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/progress"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

func recordingCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "recording",
		Usage:     "download a session's screen recording, or its command shell recordings",
		ArgsUsage: "LSID",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: ".", Usage: "the folder to write into"},
			&cli.IntFlag{Name: "shell", Value: -1, Usage: "command shell recording instance N (0 is the first)"},
			&cli.BoolFlag{Name: "txt", Usage: "with --shell or --all-shells: the shell's output as text"},
			&cli.BoolFlag{Name: "all-shells", Usage: "every command shell recording the AccessSession report lists"},
		},
		Action: func(c *cli.Context) error { return e.recording(c) },
	}
}

func (e *env) recording(c *cli.Context) error {
	lsid, err := lsidArg(c, "give one session ID: brcsapi recording LSID")
	if err != nil {
		return err
	}
	shell, all, txt := c.Int("shell"), c.Bool("all-shells"), c.Bool("txt")
	if shell >= 0 && all {
		return cliutil.Usage("--shell N and --all-shells exclude each other")
	}
	if txt && shell < 0 && !all {
		return cliutil.Usage("--txt goes with --shell N or --all-shells")
	}
	q := reporting.ByLSID(reporting.AccessSessionRecording, lsid)
	if shell >= 0 {
		q = reporting.ShellRecordingOf(lsid, shell, txt)
	}
	if _, err := q.Params(); err != nil {
		return cliutil.Usage("%v", err)
	}
	qs := []reporting.Query{q} // with --all-shells, those the report lists (below)
	dir := c.String("output")
	// A missing folder is created by the download, as ticket -o does.
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return cliutil.Usage("-o %s is not a folder", textsafe.Escape(dir))
	}
	cl, err := e.client(c, true)
	if err != nil {
		return err
	}
	if all {
		// Only the session asked for: another one in the answer is dropped.
		if qs, err = cl.ShellRecordings(c.Context, lsid, txt, appliance.ByLSIDOptions{Dropped: e.warnNotAsked}); err != nil {
			return cliutil.Refused(err)
		}
		if len(qs) == 0 {
			fmt.Fprintf(e.Stderr, "%s: session %s has no command shell recording\n", name, lsid)
			return e.printSaved(c, nil)
		}
	}
	out, err := cl.SaveRecordings(c.Context, qs, dir, func(q reporting.Query) (io.Writer, func()) {
		p := e.Progress(string(q.Report), progress.Options{Bytes: true}) // on a terminal only
		return p, p.Done
	})
	if err != nil {
		if cliutil.InterruptedBy(c.Context) != nil {
			e.printSaved(c, out)
			return fmt.Errorf("%d of %d recordings written in %s before the signal; the one in progress was removed", len(out), len(qs), textsafe.Escape(dir)) // Exit says it after the signal, in one line
		}
		if appliance.IsExpired(err) {
			return cliutil.Refused(fmt.Errorf("the recording of %s has expired on the appliance: %w", lsid, err))
		}
		return cliutil.Refused(err)
	}
	return e.printSaved(c, out)
}

// printSaved lists the files written: path (escaped), size, SHA-256.
func (e *env) printSaved(c *cli.Context, out []appliance.SavedRecording) error {
	if c.Bool("json") {
		if out == nil {
			out = []appliance.SavedRecording{}
		}
		return e.printJSON(out)
	}
	for _, s := range out {
		fmt.Fprintf(e.Stdout, "%s\t%d bytes\tsha256 %s\n", textsafe.Escape(s.Path), s.Size, s.SHA256)
	}
	return nil
}
