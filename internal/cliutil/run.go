package cliutil

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"
)

// completeFlag is urfave/cli's own completion request: the words typed so
// far, then this flag, and the command prints what may come next.
const completeFlag = "--generate-bash-completion"

// Run runs app with args (args[0] is the program name) by the toolkit's
// conventions, the same for every command:
//
//   - flags may come before or after arguments; "--" ends the flags;
//   - an unknown flag or command is one line naming it, with a suggestion,
//     and exit status 2; so is a flag's bad value and a missing required
//     flag;
//   - --help always prints the help and exits 0;
//   - a command that only groups others, run bare, is a usage error;
//   - --completion bash|zsh|fish and --man (section 1) are answered at the
//     top level; values gives, by flag name, the words to complete after a
//     flag (enumerations such as formats and profiles).
//
// Call Prepare first. The error is for ExitStatus.
func Run(ctx context.Context, app *cli.App, args []string, values map[string][]string) error {
	completing := len(args) > 1 && args[len(args)-1] == completeFlag
	words := []string(nil)
	if completing {
		words = append([]string(nil), args[1:len(args)-1]...)
		if len(words) > 0 {
			if slices.Contains(words[:len(words)-1], "--") {
				// After "--" every word is an argument: nothing to offer
				// (the shell completes file names). urfave/cli would run the
				// command instead, with the request as an argument.
				return nil
			}
			// The word under the cursor is what completion filters by,
			// never a flag or a command to parse: "--" would end urfave/cli's
			// completion, and a command's full name would be entered.
			args = append(append(args[:1:1], words[:len(words)-1]...), completeFlag)
		}
	} else {
		args = Reorder(app, args)
	}
	vals := map[string][]string{"completion": {"bash", "zsh", "fish"}}
	for k, v := range values {
		vals[k] = v
	}
	setup(app, words, vals)
	return app.RunContext(ctx, args)
}

// setup applies the conventions to app and every command below it.
func setup(app *cli.App, words []string, values map[string][]string) {
	if !hasFlag(app.Flags, "completion") {
		app.Flags = append(app.Flags, DocFlags()...)
	}
	complete := func(c *cli.Context) { writeCompletions(c, words, values) }
	required := requiredFlags{}
	app.BashComplete = complete
	app.OnUsageError = onUsageError
	app.Action = wrapAction(app.Action, app.Commands, true, required)
	var walk func(cmds []*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.HideHelpCommand = true
			cmd.BashComplete = complete
			cmd.OnUsageError = onUsageError
			cmd.Action = wrapAction(cmd.Action, cmd.Subcommands, false, required)
			walk(cmd.Subcommands)
		}
	}
	walk(app.Commands)
	required.take(app.Flags)
	forEach(app.Commands, func(c *cli.Command) { required.take(c.Flags) })
	showDefaults(app.Flags)
	forEach(app.Commands, func(c *cli.Command) { showDefaults(c.Flags) })
}

func forEach(cmds []*cli.Command, f func(*cli.Command)) {
	for _, c := range cmds {
		f(c)
		forEach(c.Subcommands, f)
	}
}

// requiredFlags are the flags a command checks itself are given: urfave/cli
// checks its own Required flags before it sees --help of a subcommand, so
// Run takes them over (and says "(required)" in the help).
type requiredFlags map[cli.Flag]bool

// take moves the Required flags of flags into r.
func (r requiredFlags) take(flags []cli.Flag) {
	for _, f := range flags {
		rf, ok := f.(cli.RequiredFlag)
		if !ok || !rf.IsRequired() {
			continue
		}
		r[f] = true
		switch f := f.(type) {
		case *cli.StringFlag:
			takeOver(&f.Required, &f.Usage)
		case *cli.StringSliceFlag:
			takeOver(&f.Required, &f.Usage)
		case *cli.IntFlag:
			takeOver(&f.Required, &f.Usage)
		case *cli.BoolFlag:
			takeOver(&f.Required, &f.Usage)
		}
	}
}

// takeOver clears a flag's Required and says it in its usage instead. The
// flag types share these fields but have no method to set them.
func takeOver(required *bool, usage *string) {
	*required = false
	*usage += " (required)"
}

// showDefaults shows a default once, as its DefaultText says it: a string
// flag's value unquoted, as every other default; a bool's "false" not at
// all, since it says nothing.
func showDefaults(flags []cli.Flag) {
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			if f.Value != "" && f.DefaultText == "" {
				f.DefaultText = f.Value
			}
		case *cli.BoolFlag:
			f.DisableDefaultText = f.DefaultText == ""
		}
	}
}

// wrapAction adds the conventions to one command's action: --completion
// and --man at the top, required flags, and for a command that only
// groups others, a usage error when none (or an unknown one) is named.
func wrapAction(action cli.ActionFunc, subs []*cli.Command, top bool, required requiredFlags) cli.ActionFunc {
	return func(c *cli.Context) error {
		if top {
			switch {
			case c.IsSet("completion"):
				if err := Completion(c.App.Writer, c.App.Name, c.String("completion")); err != nil {
					return Usage("%v", err)
				}
				return nil
			case c.Bool("man"):
				return Man(c.App.Writer, c.App)
			}
		}
		if action == nil {
			if c.NArg() > 0 {
				return Usage("unknown command %q%s (%s --help lists the commands)", c.Args().First(), suggestCommand(subs, c.Args().First()), c.Command.HelpName)
			}
			return Usage("missing command after %q: %s (%s --help says more)", helpName(c), strings.Join(commandNames(subs), ", "), helpName(c))
		}
		for _, ctx := range c.Lineage() {
			if ctx.Command == nil {
				continue
			}
			for _, f := range ctx.Command.Flags {
				if required[f] && !c.IsSet(f.Names()[0]) {
					return Usage("missing --%s, which %q requires", f.Names()[0], helpName(ctx))
				}
			}
		}
		return action(c)
	}
}

func helpName(c *cli.Context) string {
	if c.Command != nil && c.Command.HelpName != "" {
		return c.Command.HelpName
	}
	return c.App.Name
}

func commandNames(cmds []*cli.Command) []string {
	var out []string
	for _, c := range cmds {
		if !c.Hidden {
			out = append(out, c.Name)
		}
	}
	return out
}

// similar returns the candidate closest to s, if close enough to be a
// likely misspelling.
func similar(s string, candidates []string) string {
	best, bestScore := "", 0.0
	for _, c := range candidates {
		if score := smetrics.JaroWinkler(s, c, 0.7, 4); score > bestScore {
			best, bestScore = c, score
		}
	}
	if bestScore < 0.75 {
		return ""
	}
	return best
}

func suggestCommand(cmds []*cli.Command, s string) string {
	if s == "help" {
		// There is no help command: help is a flag, everywhere.
		return "; for help, use --help"
	}
	if m := similar(s, commandNames(cmds)); m != "" {
		return fmt.Sprintf("; did you mean %q?", m)
	}
	return ""
}

func flagNames(flags []cli.Flag) []string {
	var out []string
	for _, f := range flags {
		for _, n := range f.Names() {
			out = append(out, dashed(n))
		}
	}
	return out
}

func dashed(n string) string {
	if len(n) == 1 {
		return "-" + n
	}
	return "--" + n
}

// onUsageError turns the flag package's errors into one line naming the
// flag, with a suggestion.
func onUsageError(c *cli.Context, err error, _ bool) error {
	msg := err.Error()
	var flags []cli.Flag
	if c.Command != nil {
		flags = c.Command.Flags
	}
	if flags == nil {
		flags = c.App.Flags
	}
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: -"):
		name := strings.TrimPrefix(msg, "flag provided but not defined: -")
		f := dashed(name)
		hint := ""
		if owners := flagOwners(c, name); len(owners) > 0 {
			// "brcslaunch regster --site x": the flag is a command's, not a
			// misspelling of this level's.
			hint = "; it is a flag of " + andList(owners)
		} else if m := similar(f, sameForm(f, flagNames(flags))); m != "" {
			hint = fmt.Sprintf("; did you mean %s?", m)
		}
		msg = fmt.Sprintf("unknown flag %s%s (%s --help lists the flags)", f, hint, helpName(c))
	case strings.HasPrefix(msg, "flag needs an argument: -"):
		msg = fmt.Sprintf("%s needs a value", dashed(strings.TrimPrefix(msg, "flag needs an argument: -")))
	case strings.HasPrefix(msg, "invalid value "):
		msg = strings.Replace(msg, "for flag -", "for --", 1)
	}
	return cli.Exit(strings.ReplaceAll(msg, "\n", " "), ExitUsage)
}

// sameForm keeps the names written as f is: long (--name) or short (-n);
// a long flag is never a misspelt short one.
func sameForm(f string, names []string) []string {
	var out []string
	for _, n := range names {
		if (len(n) > 2) == (len(f) > 2) {
			out = append(out, n)
		}
	}
	return out
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// flagOwners names the commands right below c's that define the flag.
func flagOwners(c *cli.Context, name string) []string {
	subs := c.App.Commands
	if c.Command != nil {
		subs = c.Command.Subcommands // at the top, the app's commands
	}
	var out []string
	for _, sub := range subs {
		if !sub.Hidden && hasFlag(sub.Flags, name) {
			out = append(out, helpName(c)+" "+sub.Name)
		}
	}
	return out
}

func hasFlag(flags []cli.Flag, name string) bool {
	return slices.ContainsFunc(flags, func(f cli.Flag) bool { return slices.Contains(f.Names(), name) })
}

// lookupFlag finds a flag by name among flags.
func lookupFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	df, ok := f.(cli.DocGenerationFlag)
	return ok && df.TakesValue()
}

// Reorder moves each level's flags before its arguments, so that urfave/cli
// (which stops reading flags at the first argument) accepts flags anywhere.
// A flag is moved to the command that defines it, nearest first, so a
// parent's flag may follow a subcommand's name. After "--" everything is an
// argument.
func Reorder(app *cli.App, args []string) []string {
	if len(args) == 0 {
		return args
	}
	type level struct {
		name  string
		flags []cli.Flag
		subs  []*cli.Command
		got   []string
		args  []string
		dashd bool
		help  bool // the help asked for: arguments would name a help topic
		group bool // only groups its subcommands: an argument is a command's name
	}
	std := []cli.Flag{cli.HelpFlag, cli.VersionFlag}
	chain := []*level{{flags: append(slices.Clone(app.Flags), std...), subs: app.Commands, group: app.Action == nil && len(app.Commands) > 0}}
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		cur := chain[len(chain)-1]
		if a == "--" {
			cur.args = append(cur.args, rest[i+1:]...)
			cur.dashd = true
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			owner := cur
			var f cli.Flag
			for j := len(chain) - 1; j >= 0; j-- {
				if f = lookupFlag(chain[j].flags, name); f != nil {
					owner = chain[j]
					break
				}
			}
			owner.got = append(owner.got, a)
			if f == cli.HelpFlag {
				owner.help = true
			}
			if f != nil && takesValue(f) && !hasValue && i+1 < len(rest) {
				i++
				owner.got = append(owner.got, rest[i])
			}
			continue
		}
		if len(cur.args) == 0 {
			if sub := findCommand(cur.subs, a); sub != nil {
				chain = append(chain, &level{name: a, flags: append(slices.Clone(sub.Flags), cli.HelpFlag), subs: sub.Subcommands,
					group: sub.Action == nil && len(sub.Subcommands) > 0})
				continue
			}
			if cur.group && !slices.ContainsFunc(rest[i:], isHelp) {
				// A mistyped command: what follows is its, not this level's,
				// so the error names the command rather than its flags
				// (--help still shows this level's help).
				cur.args = append(cur.args, rest[i:]...)
				break
			}
		}
		cur.args = append(cur.args, a)
	}
	out := []string{args[0]}
	for i, l := range chain {
		if i > 0 {
			out = append(out, l.name)
		}
		out = append(out, l.got...)
		if len(l.args) > 0 && !l.help {
			if l.dashd || slices.ContainsFunc(l.args, func(s string) bool { return strings.HasPrefix(s, "-") && s != "-" }) {
				out = append(out, "--")
			}
			out = append(out, l.args...)
		}
	}
	return out
}

func isHelp(arg string) bool { return arg == "--help" || arg == "-h" }

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// writeCompletions answers urfave/cli's completion request. words are the
// words typed after the program's name, the last being the one under the
// cursor (maybe empty). It offers, filtered by that word: the values of
// the flag before it when they are enumerated, else the flags when the
// word starts with "-", else the subcommands. Nothing offered lets the
// shell complete file names.
func writeCompletions(c *cli.Context, words []string, values map[string][]string) {
	cur, prev := "", ""
	if n := len(words); n > 0 {
		cur = words[n-1]
		if n > 1 {
			prev = words[n-2]
		}
	}
	if prev == "=" && len(words) > 2 {
		// bash splits "--format=js" into "--format", "=", "js".
		prev = words[len(words)-3]
	}
	var flags []cli.Flag
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil {
			flags = append(flags, ctx.Command.Flags...)
		}
	}
	flags = append(flags, c.App.Flags...)
	out := c.App.Writer
	offer := func(w string) {
		if strings.HasPrefix(w, cur) {
			fmt.Fprintln(out, w)
		}
	}
	if name, value, ok := strings.Cut(strings.TrimLeft(cur, "-"), "="); ok && strings.HasPrefix(cur, "-") {
		// --flag=value in one word
		for _, v := range values[name] {
			if strings.HasPrefix(v, value) {
				fmt.Fprintf(out, "%s=%s\n", strings.SplitN(cur, "=", 2)[0], v)
			}
		}
		return
	}
	if strings.HasPrefix(prev, "-") && !strings.Contains(prev, "=") {
		if f := lookupFlag(flags, strings.TrimLeft(prev, "-")); f != nil && takesValue(f) {
			for _, v := range values[f.Names()[0]] {
				offer(v)
			}
			return
		}
	}
	if strings.HasPrefix(cur, "-") {
		own := c.App.Flags
		if c.Command != nil && c.Command.Flags != nil {
			own = c.Command.Flags
		}
		// urfave/cli adds --help to a command's flags itself; each flag is
		// offered once, and hidden ones never.
		names := []string{}
		for _, f := range own {
			if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
				continue
			}
			for _, n := range flagNames([]cli.Flag{f}) {
				if (len(n) > 2 || cur == "-") && !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
		if !slices.Contains(names, "--help") {
			names = append(names, "--help")
		}
		for _, n := range names {
			offer(n)
		}
		return
	}
	if c.Command != nil {
		for _, n := range commandNames(c.Command.Subcommands) {
			offer(n)
		}
	}
}

// completionScripts ask the program itself (urfave/cli's completion
// request) and fall back to file names when it offers nothing.
var completionScripts = map[string]string{
	"bash": `# bash completion for PROG: source <(PROG --completion bash)
_PROG_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" IFS=$'\n'
  COMPREPLY=( $("${COMP_WORDS[0]}" "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" --generate-bash-completion 2>/dev/null) )
}
complete -o default -o bashdefault -F _PROG_complete PROG
`,
	"zsh": `#compdef PROG
# zsh completion for PROG: source <(PROG --completion zsh), after compinit
_PROG_complete() {
  local -a opts
  opts=("${(@f)$("${words[1]}" "${(@)words[2,CURRENT]}" --generate-bash-completion 2>/dev/null)}")
  opts=(${opts:#})
  if (( ${#opts} )); then
    compadd -Q -- "${opts[@]}"
  else
    _files
  fi
}
compdef _PROG_complete PROG
`,
	"fish": `# fish completion for PROG: PROG --completion fish | source
function __PROG_complete
    set -l words (commandline -opc)
    # Quoted, so that an empty word under the cursor is still a word.
    set -l cur (commandline -ct)
    set -l opts ($words[1] $words[2..-1] "$cur" --generate-bash-completion 2>/dev/null)
    if test (count $opts) -gt 0
        printf '%s\n' $opts
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c PROG -f -a '(__PROG_complete)'
`,
}

// Completion writes the completion script of the program prog for shell
// (bash, zsh or fish). The script asks prog itself, through urfave/cli's
// completion request, what to offer: see Run.
func Completion(w io.Writer, prog, shell string) error {
	s, ok := completionScripts[shell]
	if !ok {
		return fmt.Errorf("no completion for shell %q (want bash, zsh or fish)", shell)
	}
	fn := strings.NewReplacer("-", "_", ".", "_").Replace(prog)
	s = strings.ReplaceAll(s, "_PROG_", "_"+fn+"_")
	s = strings.ReplaceAll(s, "__PROG_", "__"+fn+"_")
	s = strings.ReplaceAll(s, "PROG", prog)
	_, err := io.WriteString(w, s)
	return err
}
