package launcher

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ConsoleNames are the access console's program names, looked for in PATH.
var consoleNames = []string{"bomgar-acc", "bomgar-acc-x64.exe", "bomgar-acc.exe", "bomgar-rep.exe"}

// ConsoleSearch says where to look for the console, in order.
type ConsoleSearch struct {
	// Flag is --console.
	Flag string
	// Env reads the environment (BRCS_CONSOLE, PATH, install folders).
	Env func(string) string
	// Config is the config file's console.
	Config string
	// GOOS selects the platform's install folders ("" : this platform).
	GOOS string
}

// NotFoundError lists every place the console was looked for.
type NotFoundError struct{ Looked []string }

func (e *NotFoundError) Error() string {
	return "the access console was not found; looked in:\n  " + strings.Join(e.Looked, "\n  ") +
		"\ngive its path with --console, BRCS_CONSOLE or the config file's \"console\""
}

// FindConsole returns the console's absolute path: --console, then
// BRCS_CONSOLE, then the config file, then PATH, then the platform's usual
// install folders.
func FindConsole(s ConsoleSearch) (string, error) {
	env := s.Env
	if env == nil {
		env = os.Getenv
	}
	var looked []string
	explicit := func(what, p string) (string, bool, error) {
		if p == "" {
			looked = append(looked, what+": not set")
			return "", false, nil
		}
		abs, err := usable(p)
		if err != nil {
			return "", false, fmt.Errorf("%s %s: %v", what, p, err)
		}
		return abs, true, nil
	}
	for _, c := range []struct{ what, path string }{{"--console", s.Flag}, {"BRCS_CONSOLE", env("BRCS_CONSOLE")}, {"the config file", s.Config}} {
		if p, ok, err := explicit(c.what, c.path); err != nil || ok {
			return p, err
		}
	}
	for _, dir := range filepath.SplitList(env("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue // a relative PATH entry would depend on where the click came from
		}
		for _, n := range consoleNames {
			if p, err := usable(filepath.Join(dir, n)); err == nil {
				return p, nil
			}
		}
	}
	looked = append(looked, "PATH: "+strings.Join(consoleNames, ", "))
	for _, pattern := range installGlobs(s.GOOS, env) {
		matches, _ := filepath.Glob(pattern)
		for _, m := range matches {
			if p, err := usable(m); err == nil {
				return p, nil
			}
		}
		looked = append(looked, pattern)
	}
	return "", &NotFoundError{Looked: looked}
}

// installGlobs are where installers put the console (see the project's
// domain notes): the Windows Representative Console folders, and the Linux
// installer's unpacked bomgar-acc. No public source names a macOS path.
func installGlobs(goos string, env func(string) string) []string {
	if goos == "" {
		goos = runtime.GOOS
	}
	var out []string
	switch goos {
	case "windows":
		for _, root := range []string{env("ProgramFiles"), env("ProgramFiles(x86)"), env("LOCALAPPDATA")} {
			if root == "" {
				continue
			}
			for _, product := range []string{"Bomgar", "BeyondTrust"} {
				out = append(out,
					filepath.Join(root, product, "Access Console", "*", "bomgar-acc*.exe"),
					filepath.Join(root, product, "Representative Console", "*", "bomgar-rep.exe"))
			}
		}
	case "linux":
		if home := env("HOME"); home != "" {
			out = append(out, filepath.Join(home, "bomgar-acc*", "bomgar-acc"), filepath.Join(home, ".bomgar*", "bomgar-acc"))
		}
		out = append(out, "/opt/bomgar*/bomgar-acc", "/opt/beyondtrust*/bomgar-acc")
	}
	return out
}

// usable returns p's absolute path if it is an executable regular file.
func usable(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
		return "", errors.New("not executable")
	}
	if _, err := exec.LookPath(abs); err != nil {
		return "", err
	}
	return abs, nil
}
