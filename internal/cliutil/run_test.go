package cliutil

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

func testApp() *cli.App {
	return &cli.App{
		Name:  "t",
		Flags: []cli.Flag{&cli.StringFlag{Name: "format", Aliases: []string{"f"}}, &cli.BoolFlag{Name: "yes"}},
		Commands: []*cli.Command{{
			Name:  "url",
			Flags: []cli.Flag{&cli.StringFlag{Name: "appliance", Required: true}},
			Subcommands: []*cli.Command{{
				Name:      "jump",
				ArgsUsage: "FILE",
				Flags:     []cli.Flag{&cli.StringFlag{Name: "hostname"}, &cli.IntFlag{Name: "jobs", Usage: "at once", DefaultText: "one per CPU"}},
				Action:    func(*cli.Context) error { return nil },
			}},
		}},
	}
}

func TestReorder(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"t dir -f json", "t -f json dir"},
		{"t dir --yes x", "t --yes dir x"},
		{"t --format=json dir", "t --format=json dir"},
		{"t url jump --hostname PC --appliance https://a FILE", "t url --appliance https://a jump --hostname PC FILE"},
		{"t url jump FILE --jobs -1", "t url jump --jobs -1 FILE"},
		{"t dir -- --yes", "t -- dir --yes"},
		{"t - --yes", "t --yes -"},
		{"t url jump FILE --help", "t url jump --help"},
		{"t", "t"},
	} {
		// A root that takes arguments, as brcslint's does.
		app := testApp()
		app.Action = func(*cli.Context) error { return nil }
		assert.Equal(t, c.want, strings.Join(Reorder(app, strings.Fields(c.in)), " "), c.in)
	}
	// A root or command that only groups others: a word that names none
	// of them is a mistyped command, and the flags after it are its own.
	for _, c := range []struct{ in, want string }{
		{"t urll --appliance x", "t -- urll --appliance x"},
		{"t --yes urll --appliance x", "t --yes -- urll --appliance x"},
		{"t url jmp --hostname x", "t url -- jmp --hostname x"},
		{"t url --appliance x jmp --hostname x", "t url --appliance x -- jmp --hostname x"},
		{"t urll --help", "t --help"},
	} {
		assert.Equal(t, c.want, strings.Join(Reorder(testApp(), strings.Fields(c.in)), " "), c.in)
	}
}

// TestDefaultShownOnce: a default is data (DefaultText), shown once; a
// string flag's value is its default, unquoted; a bool's false is not shown.
func TestDefaultShownOnce(t *testing.T) {
	var out bytes.Buffer
	app := testApp()
	app.Flags = append(app.Flags, &cli.StringFlag{Name: "color", Value: "auto", Usage: "colour"}, &cli.BoolFlag{Name: "quiet", Usage: "say less"})
	Prepare(app, strings.NewReader(""), &out, io.Discard)
	assert.NoError(t, Run(context.Background(), app, []string{"t", "--help"}, nil))
	assert.Contains(t, out.String(), "colour (default: auto)\n")
	assert.Contains(t, out.String(), "say less\n")
	assert.NotContains(t, out.String(), "(default: false)")
	out.Reset()
	assert.NoError(t, Run(context.Background(), app, []string{"t", "url", "jump", "--help"}, nil))
	assert.Equal(t, 1, strings.Count(out.String(), "(default: one per CPU)"), out.String())
}

func TestRunConventions(t *testing.T) {
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		app := testApp()
		Prepare(app, strings.NewReader(""), &out, &errb)
		return ExitStatus(Run(context.Background(), app, append([]string{"t"}, args...), map[string][]string{"format": {"text", "json"}}), "t", &errb), out.String(), errb.String()
	}
	st, _, errOut := run("urll")
	assert.Equal(t, 2, st)
	assert.Equal(t, "t: unknown command \"urll\"; did you mean \"url\"? (t --help lists the commands)\n", errOut)
	st, _, errOut = run("urll", "--appliance", "x")
	assert.Equal(t, 2, st)
	assert.Equal(t, "t: unknown command \"urll\"; did you mean \"url\"? (t --help lists the commands)\n", errOut, "a mistyped command's flags are not the error")
	st, _, errOut = run("url", "jmp", "--hostname", "x")
	assert.Equal(t, 2, st)
	assert.Contains(t, errOut, "t: unknown command \"jmp\"; did you mean \"jump\"?")
	st, _, errOut = run("--appliance", "x")
	assert.Equal(t, 2, st)
	assert.Equal(t, "t: unknown flag --appliance; it is a flag of t url (t --help lists the flags)\n", errOut)
	_, _, errOut = run("--ff")
	assert.Equal(t, "t: unknown flag --ff; did you mean --format? (t --help lists the flags)\n", errOut, "a long flag is never a misspelt short one (-f)")
	st, _, errOut = run("url", "jump", "--hostnme", "x")
	assert.Equal(t, 2, st)
	assert.Equal(t, "t: unknown flag --hostnme; did you mean --hostname? (t url jump --help lists the flags)\n", errOut)
	st, out, _ := run("url", "jump", "--help")
	assert.Equal(t, 0, st)
	assert.Contains(t, out, "(default: one per CPU)")
	assert.NotContains(t, out, "(default: 0)")
	st, _, errOut = run("url", "jump")
	assert.Equal(t, 2, st)
	assert.Contains(t, errOut, `missing --appliance, which "t url" requires`)
	st, _, _ = run()
	assert.Equal(t, 2, st)
	_, out, _ = run("--format", "j", completeFlag)
	assert.Equal(t, "json\n", out)
	_, out, _ = run("--format", "=", "", completeFlag)
	assert.Equal(t, "text\njson\n", out)
	_, out, _ = run("u", completeFlag)
	assert.Equal(t, "url\n", out)
	_, out, _ = run("url", "--appliance", "x", "jump", "--ho", completeFlag)
	assert.Equal(t, "--hostname\n", out)
	_, out, _ = run("url", "--appliance", "x", "jump", "--", completeFlag)
	assert.Equal(t, "--hostname\n--jobs\n--help\n", out, "\"--\" under the cursor completes the flags, each once")
	ran := false
	app := testApp()
	app.Commands[0].Subcommands[0].Action = func(*cli.Context) error { ran = true; return nil }
	Prepare(app, strings.NewReader(""), io.Discard, io.Discard)
	assert.NoError(t, Run(context.Background(), app, []string{"t", "url", "--appliance", "x", "jump", "--", "--ho", completeFlag}, nil))
	assert.False(t, ran, "completing after \"--\" never runs the command")
	st, out, _ = run("--man")
	assert.Equal(t, 0, st)
	assert.True(t, strings.HasPrefix(out, ".nh\n.TH t 1") || strings.Contains(out, ".TH t 1"), out[:40])
}

// TestPrepareKeepsCommas: after Prepare, no repeatable flag of any level
// splits its value at commas.
func TestPrepareKeepsCommas(t *testing.T) {
	testutil.SliceFlagsKeepCommas(t, func() *cli.App {
		app := testApp()
		app.Flags = append(app.Flags, &cli.StringSliceFlag{Name: "set"})
		url := app.Commands[0]
		url.Flags = append(url.Flags, &cli.StringSliceFlag{Name: "custom", Required: true})
		url.Subcommands[0].Flags = append(url.Subcommands[0].Flags, &cli.StringSliceFlag{Name: "allow-site"})
		Prepare(app, strings.NewReader(""), io.Discard, io.Discard)
		return app
	})
}
