// Package readme runs the README's examples, so that an example that stops
// working fails the tests.
package readme

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// marker follows every ```sh block of the README: either the name of the
// testdata/NAME.txtar that runs it, or "skip" and why it cannot run here.
var marker = regexp.MustCompile(`^<!-- readme-test: (skip .+|[a-z0-9-]+) -->$`)

// prelude runs the README's lines as written: "go run ./PATH" runs the
// command built from PATH, "go install ...@latest" stands for the commands
// built from this checkout (already on PATH), and "go test" is the suite
// running this very test.
const prelude = `go() {
  case "$1" in
    run) shift; p="$1"; shift; "$(basename "$p")" "$@" ;;
    install) shift; echo "(go install $*: the commands built from this checkout are on PATH)" ;;
    test) shift; echo "(go test $*: the suite this runs in)" ;;
    *) command go "$@" ;;
  esac
}
`

// examples returns the README's sh blocks by marker.
func examples(t *testing.T) (run map[string]string, skipped int) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	run = map[string]string{}
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```sh" {
			continue
		}
		start := i + 1
		for i++; i < len(lines) && lines[i] != "```"; i++ {
		}
		if i+1 >= len(lines) || !marker.MatchString(lines[i+1]) {
			t.Errorf("README.md:%d: a sh block must be followed by <!-- readme-test: NAME --> (testdata/NAME.txtar runs it) or <!-- readme-test: skip WHY -->", start)
			continue
		}
		name := marker.FindStringSubmatch(lines[i+1])[1]
		if strings.HasPrefix(name, "skip ") {
			skipped++
			continue
		}
		if _, dup := run[name]; dup {
			t.Errorf("README.md:%d: readme-test %s is used twice", i+2, name)
		}
		run[name] = strings.Join(lines[start:i], "\n") + "\n"
	}
	return run, skipped
}

func TestReadmeExamples(t *testing.T) {
	blocks, skipped := examples(t)
	t.Logf("%d README examples run, %d skipped with a reason", len(blocks), skipped)
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, f := range files {
		if _, ok := blocks[strings.TrimSuffix(filepath.Base(f), ".txtar")]; !ok {
			t.Errorf("%s runs no README example: no <!-- readme-test: %s --> in README.md", f, strings.TrimSuffix(filepath.Base(f), ".txtar"))
		}
	}
	if testing.Short() {
		t.Skip("SKIPPED: running the README's examples builds every command; run without -short")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator),
		"../../cmd/brcslint", "../../cmd/brcsgen", "../../cmd/brcslaunch", "../../internal/brcs-fakeconsole", "../../scripts/gencsv")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the commands: %v\n%s", err, out)
	}
	for name, block := range blocks {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat("testdata/" + name + ".txtar"); err != nil {
				t.Fatalf("README.md names readme-test %s, but testdata/%s.txtar is missing", name, name)
			}
			testscript.Run(t, testscript.Params{
				Files: []string{"testdata/" + name + ".txtar"},
				Setup: func(e *testscript.Env) error {
					home := filepath.Join(e.WorkDir, "home")
					e.Setenv("HOME", home)
					e.Setenv("PATH", bin+string(os.PathListSeparator)+e.Getenv("PATH"))
					e.Setenv("BRCS_CONSOLE", filepath.Join(bin, "brcs-fakeconsole"))
					e.Setenv("FAKE_CONSOLE_LOG", filepath.Join(e.WorkDir, "console.log"))
					if err := os.MkdirAll(filepath.Join(e.WorkDir, "tmp"), 0o755); err != nil {
						return err
					}
					// /tmp in an example is this test's own temporary folder.
					text := strings.ReplaceAll(block, "/tmp/", "$WORK/tmp/")
					return os.WriteFile(filepath.Join(e.WorkDir, "example.sh"), []byte(fmt.Sprintf("%s\n%s", prelude, text)), 0o644)
				},
			})
		})
	}
}
