package cliutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/internal/progress"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Env is what a command's run sees of its surroundings. main passes
// OSEnv(); tests give their own readers, writers, environment and clock.
// Every command has the same entry point, Main(args []string, env Env) int.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (nil: none is set).
	Getenv func(string) string
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Terminal reports whether v (Stdin, Stdout, Stderr) is a terminal a
	// person uses (nil: asks the terminal driver of an *os.File).
	Terminal func(v any) bool
	// Context ends the run when cancelled (nil: Background). Main adds
	// SIGINT and SIGTERM to it.
	Context context.Context
}

// OSEnv is the process's own standard streams, environment and clock.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
}

// WithDefaults fills what e leaves nil: no input, discarded output, an
// empty environment, the real clock and terminal check, Background.
func (e Env) WithDefaults() Env {
	if e.Stdin == nil {
		e.Stdin = eofReader{}
	}
	if e.Stdout == nil {
		e.Stdout = io.Discard
	}
	if e.Stderr == nil {
		e.Stderr = io.Discard
	}
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Terminal == nil {
		e.Terminal = isTerminal
	}
	if e.Context == nil {
		e.Context = context.Background()
	}
	return e
}

// Progress is a progress line of what on standard error, drawn only when
// standard error is a terminal: cron, pipes and tests see nothing of it.
func (e Env) Progress(what string, o progress.Options) *progress.Line {
	var w io.Writer
	if e.Terminal(e.Stderr) {
		w = e.Stderr
	}
	return progress.New(w, what, o)
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

func isTerminal(v any) bool {
	if f, ok := v.(*os.File); ok {
		return IsTerminal(f)
	}
	w, ok := v.(io.Writer)
	return ok && IsTerminal(w)
}

// Interrupted is the cause of a run's end by a signal: SIGINT (Ctrl-C)
// exits 130, SIGTERM 143, as shells report a process killed by them.
type Interrupted struct {
	Signal os.Signal
}

func (i *Interrupted) Error() string { return "interrupted by " + signalName(i.Signal) }

// ExitCode is 128 plus the signal's number.
func (i *Interrupted) ExitCode() int {
	if i.Signal == syscall.SIGTERM {
		return ExitTerminated
	}
	return ExitInterrupted
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// Interruptible returns a context that SIGINT or SIGTERM cancels with an
// *Interrupted cause, so that a command stops cleanly (removing its
// temporary files, finishing the line it writes) instead of dying between
// a temporary file and its rename. A second signal, once the first has
// been seen, is left to its default action. Call stop when done.
func Interruptible(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(&Interrupted{Signal: s})
		case <-done:
		}
	}()
	var once bool
	return ctx, func() {
		if !once {
			once = true
			signal.Stop(ch)
			close(done)
			cancel(context.Canceled)
		}
	}
}

// InterruptedBy reports the signal that ended ctx, if one did.
func InterruptedBy(ctx context.Context) *Interrupted {
	var i *Interrupted
	if errors.As(context.Cause(ctx), &i) {
		return i
	}
	return nil
}

// Exit turns a run's end into its exit status, printing err (if any) once
// as "name: message" on stderr. A run ended by a signal exits 130 or 143
// whatever err says, in one line: "name: interrupted by SIGINT: what the
// command says it wrote" when err says that, never a chain of "context
// canceled".
func Exit(ctx context.Context, err error, name string, stderr io.Writer) int {
	if i := InterruptedBy(ctx); i != nil {
		var already *Interrupted
		if err != nil && err.Error() != "" && !errors.As(err, &already) && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "%s: %s: %s\n", name, i, textsafe.EscapeLines(err.Error()))
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", name, i)
		}
		return i.ExitCode()
	}
	return ExitStatus(err, name, stderr)
}

// Main runs the app that newApp builds for e by the toolkit's conventions
// (Run), with SIGINT and SIGTERM ending the run (Interruptible) and a
// panic turned into exit status 3 (Recover), and returns the exit status
// (Exit). It is the whole of a command's Main.
func Main(name string, args []string, e Env, newApp func(Env) *cli.App, values map[string][]string) (status int) {
	e = e.WithDefaults()
	defer Recover(name, e.Stderr, &status)
	ctx, stop := Interruptible(e.Context)
	defer stop()
	e.Context = ctx
	return Exit(ctx, Run(ctx, newApp(e), args, values), name, e.Stderr)
}
