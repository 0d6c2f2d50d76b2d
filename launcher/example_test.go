package launcher_test

import (
	"context"
	"fmt"
	"os"

	"github.com/brcs-toolkit/brcs/launcher"
)

// A launcher that does not wait hands the script to a helper: its own
// program, re-run with a command that calls ServeCopy. Here that command is
// "serve-copy"; the helper removes the private copy when the console exits.
func ExampleLaunchFile_helper() {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	r, err := launcher.LaunchFile(context.Background(), "jump.brcs-support", launcher.Options{
		Prompter: launcher.Terminal{In: os.Stdin, Out: os.Stderr},
		Helper:   []string{exe, "serve-copy"},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println("the console runs", r.Copy)
}

// The helper's side: the program's serve-copy command is this call, with
// the process's own standard streams.
func ExampleServeCopy() {
	if err := launcher.ServeCopy(context.Background(), os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
