package testutil

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/urfave/cli/v2"
)

// CommaValue is the value SliceFlagsKeepCommas gives every repeatable
// flag: a contact name as a help desk types it.
const CommaValue = "Smith, John"

// SliceFlagsKeepCommas runs the app newApp returns once per repeatable
// flag of every command, with that flag given CommaValue, and fails
// unless the command's action sees exactly that one value: a comma is
// data, never a separator. Actions are replaced (nothing is run) and
// required flags are waived. newApp must return a fresh app each call.
func SliceFlagsKeepCommas(t *testing.T, newApp func() *cli.App) {
	t.Helper()
	seen := 0
	for _, path := range slicePaths(newApp()) {
		seen++
		t.Run(strings.Join(path, " "), func(t *testing.T) {
			app := newApp()
			app.Writer, app.ErrWriter = io.Discard, io.Discard
			flag := path[len(path)-1]
			var got []string
			ran := false
			capture := func(c *cli.Context) error {
				ran = true
				got = c.StringSlice(flag)
				return nil
			}
			app.Action = capture
			waive(app.Flags)
			forEachCommand(app.Commands, func(c *cli.Command) {
				c.Action, c.Before, c.After = capture, nil, nil
				waive(c.Flags)
			})
			app.Before, app.After = nil, nil
			args := append([]string{app.Name}, path[:len(path)-1]...)
			args = append(args, "--"+flag, CommaValue)
			err := app.Run(args)
			assert.NoError(t, err, args)
			assert.True(t, ran, "%v: the action did not run", args)
			assert.Equal(t, []string{CommaValue}, got, "%v: the comma split the value", args)
		})
	}
	assert.NotZero(t, seen, "the app has no repeatable flag")
}

// slicePaths lists each repeatable flag as the command names leading to
// it followed by the flag's name.
func slicePaths(app *cli.App) [][]string {
	var out [][]string
	add := func(prefix []string, flags []cli.Flag) {
		for _, f := range flags {
			if _, ok := f.(*cli.StringSliceFlag); ok {
				out = append(out, append(slices.Clone(prefix), f.Names()[0]))
			}
		}
	}
	add(nil, app.Flags)
	var walk func(prefix []string, cmds []*cli.Command)
	walk = func(prefix []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(slices.Clone(prefix), c.Name)
			add(p, c.Flags)
			walk(p, c.Subcommands)
		}
	}
	walk(nil, app.Commands)
	return out
}

func forEachCommand(cmds []*cli.Command, f func(*cli.Command)) {
	for _, c := range cmds {
		f(c)
		forEachCommand(c.Subcommands, f)
	}
}

func waive(flags []cli.Flag) {
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Required = false
		case *cli.StringSliceFlag:
			f.Required = false
		case *cli.IntFlag:
			f.Required = false
		case *cli.BoolFlag:
			f.Required = false
		}
	}
}

// CompletionNamesFlags fails for each key of values (the words shell
// completion offers after a flag) that names no flag of app or of its
// commands: an entry completion never reaches.
func CompletionNamesFlags(t *testing.T, app *cli.App, values map[string][]string) {
	t.Helper()
	names := map[string]bool{}
	add := func(flags []cli.Flag) {
		for _, f := range flags {
			for _, n := range f.Names() {
				names[n] = true
			}
		}
	}
	add(app.Flags)
	forEachCommand(app.Commands, func(c *cli.Command) { add(c.Flags) })
	for name := range values {
		assert.True(t, names[name], "completion offers values after --%s, which no command has", name)
	}
}
