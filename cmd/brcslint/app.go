package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
	"github.com/brcs-toolkit/brcs/lint"
	"github.com/brcs-toolkit/brcs/report"
)

const name = "brcslint"

// Main runs brcslint with args (args[0] is the program name) and returns
// its exit status: 0 clean, 1 findings at error level (or more warnings
// than --max-warnings, or a --fix that cannot be written), 2 a usage error
// or an unreadable path, 3 an internal failure, 130 and 143 interrupted by
// SIGINT and SIGTERM.
func Main(args []string, e cliutil.Env) (status int) {
	e = e.WithDefaults()
	defer cliutil.Recover(name, e.Stderr, &status)
	ctx, stop := cliutil.Interruptible(e.Context)
	defer stop()
	app := newApp(e.Stdin, e.Stdout, e.Stderr, e.Getenv, &status)
	err := cliutil.Run(ctx, app, args, completionValues())
	if err != nil || cliutil.InterruptedBy(ctx) != nil {
		return cliutil.Exit(ctx, err, name, e.Stderr)
	}
	return status
}

func ruleNames() []string {
	var out []string
	for _, r := range brcs.Rules() {
		out = append(out, r.Name)
	}
	return out
}

func formatNames() []string {
	var out []string
	for _, f := range report.Formats() {
		out = append(out, string(f))
	}
	return out
}

// completionValues are the words shell completion offers after a flag.
func completionValues() map[string][]string {
	return map[string][]string{"profile": brcs.Profiles(), "format": formatNames(), "template-syntax": syntaxNames(),
		"color": {"auto", "always", "never"}, "enable": ruleNames(), "disable": ruleNames(), "explain": ruleNames()}
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, status *int) *cli.App {
	app := &cli.App{
		Name:      name,
		Usage:     "check BRCS access-console scripts, script templates and commands",
		UsageText: "brcslint [flags] PATH...   (a folder is searched for *.brcs-*, *.brcs and *.brcs.tmpl; - reads standard input)",
		Description: "brcslint checks BeyondTrust / Bomgar access-console scripts against the vendor's grammar, " +
			"RFC 3986 percent-encoding and the catalogue of actions of a product profile. " +
			"Exit status: 0 clean, 1 findings at error level (or too many warnings, or with --error-on-empty a folder with no script), " +
			"2 usage error or unreadable path, 3 internal failure. " +
			"Flags may come before or after the paths; -- ends the flags.",
		HideHelpCommand: true,
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "command", Aliases: []string{"c"}, Usage: "check one command string, the form --run-script takes (repeatable)"},
			&cli.BoolFlag{Name: "template", Aliases: []string{"t"}, Usage: "treat every input as a script template (files named *.brcs.tmpl always are)"},
			&cli.StringFlag{Name: "template-syntax", Usage: "placeholder syntax of templates: mustache ({{name}}) or dollar (${name})", DefaultText: brcs.Mustache.String()},
			&cli.StringFlag{Name: "profile", Aliases: []string{"p"}, Usage: "product profile: " + strings.Join(brcs.Profiles(), ", "), DefaultText: brcs.DefaultProfile},
			&cli.StringSliceFlag{Name: "enable", Usage: "turn a rule on again (repeatable)"},
			&cli.StringSliceFlag{Name: "disable", Usage: "turn a rule off (repeatable)"},
			&cli.StringSliceFlag{Name: "severity", Usage: "set a rule's severity, RULE=error|warning|info (repeatable)"},
			&cli.StringSliceFlag{Name: "ignore", Usage: "drop findings whose message matches this regular expression (repeatable)"},
			&cli.StringFlag{Name: "config", Usage: "config file", DefaultText: ".brcslint.json or .brcslint.yaml found upward from the working folder"},
			&cli.BoolFlag{Name: "no-config", Usage: "use no config file"},
			&cli.BoolFlag{Name: "fix", Usage: "rewrite files in place to their fixed, canonical form (standard input and commands: print it)"},
			&cli.BoolFlag{Name: "diff", Usage: "print what --fix would change as a unified diff; exit 1 if anything would"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: " + strings.Join(formatNames(), ", ")},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour and source lines in text output: auto, always or never (auto honours NO_COLOR)"},
			&cli.IntFlag{Name: "max-warnings", Value: -1, Usage: "exit 1 when there are more than this many warnings (-1: no limit)"},
			&cli.StringSliceFlag{Name: "exclude", Usage: "skip files and folders matching this glob when searching folders, relative to the working folder (repeatable; adds to the config's exclude)"},
			&cli.BoolFlag{Name: "error-on-empty", Usage: "exit 1 when a folder holds no script", DefaultText: "say so on standard error and exit 0"},
			&cli.StringFlag{Name: "stdin-filename", Usage: "the name findings give standard input"},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "inputs checked at once", DefaultText: "one per CPU"},
			&cli.BoolFlag{Name: "list-rules", Usage: "list every rule with its default severity and exit"},
			&cli.StringFlag{Name: "explain", Usage: "explain a rule, with a wrong and a right example, and exit"},
		}, cliutil.DocFlags()...),
	}
	cliutil.Prepare(app, stdin, stdout, stderr)
	app.Action = func(c *cli.Context) error {
		st, err := run(c, stdin, stdout, stderr, getenv)
		*status = st
		return err
	}
	return app
}

func run(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (int, error) {
	if done, err := answerInfo(c, stdout); done || err != nil {
		return 0, err
	}
	inv, err := settings(c, stdout, getenv)
	if err != nil {
		return 0, err
	}
	inputs, status, empty, err := collectInputs(c, inv.opts, stderr)
	if err != nil {
		return 0, err
	}
	results := lint.Run(c.Context, inputs, stdin, inv.opts)
	lint.SortResults(results)
	if inv.opts.Fix {
		status = max(status, writeFixes(results, stderr))
	}
	out, findingsOut, changed, st, err := gather(results, inv.opts, stdout, stderr)
	if err != nil {
		return 0, err
	}
	status = max(status, st)
	tool := report.Tool{Name: name, Version: cliutil.Version(), URI: "https://github.com/brcs-toolkit/brcs"}
	if err := report.Write(findingsOut, inv.format, out, report.Options{Tool: tool, Color: inv.color && findingsOut == stdout}); err != nil {
		return cliutil.ExitInternal, cli.Exit(fmt.Sprintf("writing the report: %v", err), cliutil.ExitInternal)
	}
	if status != 0 {
		return status, nil
	}
	return verdict(out, inv, changed, empty && c.Bool("error-on-empty"), stderr), nil
}

// answerInfo answers --list-rules and --explain, and reports whether it did.
func answerInfo(c *cli.Context, stdout io.Writer) (bool, error) {
	switch {
	case c.Bool("list-rules"):
		for _, r := range brcs.Rules() {
			fmt.Fprintf(stdout, "%-26s %-8s %s\n", r.Name, r.Severity, r.Summary)
		}
		return true, nil
	case c.IsSet("explain"):
		r, ok := brcs.LookupRule(c.String("explain"))
		if !ok {
			return true, cliutil.Usage("unknown rule %q (brcslint --list-rules lists them)", c.String("explain"))
		}
		fmt.Fprintf(stdout, "%s (%s)\n\n%s\n\n%s\n\nWrong:\n    %s\n\nRight:\n    %s\n", r.Name, r.Severity, r.Summary, r.Help,
			strings.ReplaceAll(r.Bad, "\n", "\n    "), strings.ReplaceAll(r.Good, "\n", "\n    "))
		return true, nil
	}
	return false, nil
}

// invocation is what the flags and the config file ask of one run.
type invocation struct {
	format      report.Format
	color       bool
	opts        lint.Options
	maxWarnings int
}

// settings reads the flags and the config file; every mistake in them is
// a usage error, even when there is nothing to check.
func settings(c *cli.Context, stdout io.Writer, getenv func(string) string) (*invocation, error) {
	inv := &invocation{maxWarnings: c.Int("max-warnings")}
	var err error
	if inv.format, err = report.ParseFormat(c.String("format")); err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	if inv.color, err = cliutil.UseColor(c.String("color"), stdout, getenv); err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	if c.Bool("fix") && c.Bool("diff") {
		return nil, cliutil.Usage("--fix and --diff do not go together: --diff shows what --fix would write")
	}
	flags, err := flagLayer(c)
	if err != nil {
		return nil, err
	}
	inv.opts = lint.Options{Flags: flags, Fix: c.Bool("fix"), Diff: c.Bool("diff"), StdinName: c.String("stdin-filename"), Workers: c.Int("jobs"),
		Exclude: c.StringSlice("exclude")}
	if !c.Bool("no-config") {
		if inv.opts.Config, err = findConfig(c.String("config")); err != nil {
			return nil, err
		}
		if cfg := inv.opts.Config; cfg != nil && !c.IsSet("max-warnings") && cfg.MaxWarnings != nil {
			inv.maxWarnings = *cfg.MaxWarnings
		}
	}
	if err := flags.Check(); err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	return inv, nil
}

// flagLayer is the command line's layer of settings, over the config's.
func flagLayer(c *cli.Context) (lint.Layer, error) {
	flags := lint.Layer{
		Profile: c.String("profile"),
		Enable:  c.StringSlice("enable"),
		Disable: c.StringSlice("disable"),
		Ignore:  c.StringSlice("ignore"),
	}
	if c.IsSet("template-syntax") { // only a given flag overrides the config
		flags.TemplateSyntax = c.String("template-syntax")
	}
	for _, kv := range c.StringSlice("severity") {
		rule, sev, ok := strings.Cut(kv, "=")
		if !ok {
			return flags, cliutil.Usage("--severity takes RULE=error|warning|info, not %q", kv)
		}
		if flags.Severity == nil {
			flags.Severity = map[string]string{}
		}
		flags.Severity[rule] = sev
	}
	return flags, nil
}

// findConfig loads the config file at path, or the one found upward from
// the working folder when path is empty (nil when there is none).
func findConfig(path string) (*lint.Config, error) {
	if path == "" {
		var err error
		if path, err = lint.FindConfig("."); err != nil {
			return nil, cliutil.Usage("looking for a config file: %v", err)
		}
		if path == "" {
			return nil, nil
		}
	}
	cfg, err := lint.LoadConfig(path)
	if err != nil {
		return nil, cliutil.Usage("%v", err)
	}
	return cfg, nil
}

// collectInputs turns the paths and --command values into inputs. A path
// that cannot be read is said and makes the status 2; empty reports a
// folder with no script in it.
func collectInputs(c *cli.Context, opts lint.Options, stderr io.Writer) (inputs []lint.Input, status int, empty bool, err error) {
	paths := c.Args().Slice()
	commands := c.StringSlice("command")
	if len(paths) == 0 && len(commands) == 0 {
		return nil, 0, false, cliutil.Usage("nothing to check: give files, folders, - for standard input, or --command")
	}
	inputs, errs := lint.Collect(paths, c.Bool("template"), opts)
	for i, cmd := range commands {
		n := "<command>"
		if len(commands) > 1 {
			n = fmt.Sprintf("<command %d>", i+1)
		}
		inputs = append(inputs, lint.Input{Name: n, Command: cmd, Template: c.Bool("template")})
	}
	for _, e := range errs {
		var none *lint.NoScriptsError
		switch {
		case lint.IsUsage(e):
			return nil, 0, false, cliutil.Usage("%v", e)
		case errors.As(e, &none):
			fmt.Fprintf(stderr, "%s: %s\n", name, textsafe.Escape(e.Error()))
			empty = true
		default:
			fmt.Fprintf(stderr, "%s: cannot read %s\n", name, textsafe.Escape(fsutil.Describe(e)))
			status = cliutil.ExitUsage
		}
	}
	return inputs, status, empty, nil
}

// writeFixes writes the fixed files, saying once for each that cannot be
// written (naming it, not its temporary file) and returning exit status 1
// if one could not: an output that cannot be written.
func writeFixes(results []lint.Result, stderr io.Writer) int {
	status := 0
	for _, e := range lint.WriteFixes(results) {
		var we *fsutil.WriteError
		if errors.As(e, &we) {
			fmt.Fprintf(stderr, "%s: cannot fix %s: %s\n", name, textsafe.Escape(we.Path), textsafe.Escape(fsutil.Reason(we.Err)))
		} else {
			fmt.Fprintf(stderr, "%s: cannot fix %s\n", name, textsafe.Escape(fsutil.Describe(e)))
		}
		status = cliutil.ExitFindings
	}
	return status
}

// gather prints the fixed text of standard input and commands and the
// diffs that were asked for, and collects the findings to report and
// where they go (standard error when standard output holds the text).
// changed says whether a fix would change something; status is 2 when
// an input could not be read.
func gather(results []lint.Result, opts lint.Options, stdout, stderr io.Writer) (out *report.Result, findingsOut io.Writer, changed bool, status int, err error) {
	out, findingsOut = &report.Result{}, stdout
	for _, r := range results {
		if r.Err != nil {
			if lint.IsUsage(r.Err) {
				return nil, nil, false, 0, cliutil.Usage("%v", r.Err)
			}
			if r.Path != "" && opts.Fix && r.Fixed != nil {
				continue // said by writeFixes
			}
			fmt.Fprintf(stderr, "%s: cannot read %s\n", name, textsafe.Escape(fsutil.Describe(r.Err)))
			status = cliutil.ExitUsage
			continue
		}
		if r.Fixed != nil {
			changed = true
		}
		if opts.Fix && (r.Path == "-" || r.Path == "") {
			// Fixed standard input and commands go to stdout, findings to stderr.
			text := r.Source
			if r.Fixed != nil {
				text = r.Fixed
			}
			stdout.Write(text)
			if r.Path == "" {
				io.WriteString(stdout, "\n")
			}
			findingsOut = stderr
		}
		if opts.Diff && r.Fixed != nil {
			writeDiff(stdout, r)
		}
		f := report.File{Path: r.Name, Source: r.Source, Secrets: r.Secrets}
		if opts.Fix && r.Fixed != nil {
			f.Source = r.Fixed
		}
		out.Files = append(out.Files, f)
		out.Diagnostics = append(out.Diagnostics, r.Diagnostics...)
	}
	if opts.Diff {
		findingsOut = stderr
	}
	return out, findingsOut, changed, status, nil
}

// verdict is the exit status of a run whose inputs were all read: 1 for
// an error-level finding, more warnings than allowed, a --diff that would
// change something, or (errorOnEmpty) a folder with no script.
func verdict(out *report.Result, inv *invocation, changed, errorOnEmpty bool, stderr io.Writer) int {
	status, warnings := 0, 0
	for _, d := range out.Diagnostics {
		switch d.Severity {
		case brcs.Error:
			status = cliutil.ExitFindings
		case brcs.Warning:
			warnings++
		}
	}
	if inv.maxWarnings >= 0 && warnings > inv.maxWarnings {
		fmt.Fprintf(stderr, "%s: %s, more than --max-warnings %d\n", name, cliutil.Count(warnings, "warning"), inv.maxWarnings)
		status = cliutil.ExitFindings
	}
	if (inv.opts.Diff && changed) || errorOnEmpty {
		status = cliutil.ExitFindings
	}
	return status
}

// writeDiff prints what fixing r changes, with secrets masked on both
// sides; a change to a secret alone is said, not shown.
func writeDiff(w io.Writer, r lint.Result) {
	before := mask(r.Source, r.Secrets)
	after := mask(r.Fixed, r.FixedSecrets)
	// The name is not ours: a new line in it would print a line of its own.
	n := textsafe.Escape(r.Name)
	d := udiff.Unified("a/"+n, "b/"+n, string(before), string(after))
	if d == "" {
		fmt.Fprintf(w, "--- a/%s\n+++ b/%s\n(only the encoding of a secret value changes; not shown)\n", n, n)
		return
	}
	io.WriteString(w, d)
}

func mask(src []byte, secrets []brcs.Span) []byte {
	out := []byte(nil)
	last := 0
	for _, s := range secrets {
		out = append(out, src[last:s.Start.Offset]...)
		out = append(out, report.Redacted...)
		last = s.End.Offset
	}
	return append(out, src[last:]...)
}

func syntaxNames() []string { return []string{brcs.Mustache.String(), brcs.Dollar.String()} }
