// Package readme runs the README's examples, so that an example that stops
// working fails the tests.
package readme

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/brcs-toolkit/brcs/internal/pgtest"
	"github.com/brcs-toolkit/brcs/internal/testutil"
	"github.com/rogpeppe/go-internal/testscript"
)

// marker follows every ```sh block of the README: either the name of the
// testdata/NAME.txtar that runs it, or "skip" and why it cannot run here.
var marker = regexp.MustCompile(`^<!-- readme-test: (skip .+|[a-z0-9-]+) -->$`)

// prelude runs the README's lines as written: "go run ./PATH" runs the
// command built from PATH, "go build -o FILE ./PATH" copies it to FILE,
// "go install" (from a clone, or ...@latest) stands for the commands built
// from this checkout (already on PATH), and "go test" is the suite
// running this very test.
const prelude = `go() {
  case "$1" in
    run) shift; p="$1"; shift; "$(basename "$p")" "$@" ;;
    build) shift; [ "$1" = -o ] && cp "$(command -v "$(basename "$3")")" "$2" ;;
    install) shift; echo "(go install $*: the commands built from this checkout are on PATH)" ;;
    test) shift; echo "(go test $*: the suite this runs in)" ;;
    *) command go "$@" ;;
  esac
}
# A stand-in started in the background ends with the example. The parent
# goes first: a subshell that outlives its child reports "Terminated".
killtree() { local cs; cs=$(pgrep -P "$1"); kill "$1" 2>/dev/null; for c in $cs; do killtree "$c"; done; }
# disown first, so that bash does not report the job's end ("Terminated").
trap 'js=$(jobs -p); disown -a; for j in $js; do killtree "$j"; done' EXIT
`

// standinLine is a README line that starts the stand-in appliance (the
// binary built by the line before) in the background; a person waits for
// its address, the test for its certificate file.
var standinLine = regexp.MustCompile(`(?m)^(\S*/brcs-standin .*-ca (\S+).*?&)(.*)$`)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

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

// commands are what the examples run, built once.
var commands = &testutil.Commands{Pkgs: []string{"../../cmd/brcslint", "../../cmd/brcsgen", "../../cmd/brcslaunch", "../../cmd/brcsapi",
	"../../internal/brcs-fakeconsole", "../../internal/brcs-standin", "../../scripts/gencsv"}}

func TestMain(m *testing.M) {
	code := m.Run()
	commands.Remove()
	os.Exit(code)
}

// pgREADME is the PostgreSQL server the README's sync example names.
const pgREADME = "postgres://postgres@127.0.0.1:5432/postgres"

// The README's sentence on what the commands share names every command
// in cmd/, and says how many there are.
func TestREADMENamesEveryCommand(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := os.ReadDir("../../cmd")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dirs {
		if d.IsDir() {
			names = append(names, d.Name())
		}
	}
	words := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight"}
	want := fmt.Sprintf("The %s commands (%s) share one convention", words[len(names)], strings.Join(names, ", "))
	if !strings.Contains(string(raw), want) {
		t.Errorf("README.md does not say %q", want)
	}
	if want := "Shell completion, the same for the " + words[len(names)] + " commands"; !strings.Contains(string(raw), want) {
		t.Errorf("README.md does not say %q", want)
	}
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
	// The examples run all at once, whatever -parallel says (it counts
	// cores): each has its own folder, stand-in port and PostgreSQL server,
	// and they spend most of their time waiting, as the client sends at
	// most 20 requests a second.
	var wg sync.WaitGroup
	for name, block := range blocks {
		wg.Go(func() { t.Run(name, func(t *testing.T) { runExample(t, name, block) }) })
	}
	wg.Wait()
}

// runExample runs one README block with testdata/NAME.txtar.
func runExample(t *testing.T, name, block string) {
	if _, err := os.Stat("testdata/" + name + ".txtar"); err != nil {
		t.Fatalf("README.md names readme-test %s, but testdata/%s.txtar is missing", name, name)
	}
	// The stand-in's README address, 127.0.0.1:9443, is a free port
	// here; the README's PostgreSQL server is one the test starts.
	addr := freeAddr(t)
	text := strings.ReplaceAll(block, "127.0.0.1:9443", addr)
	text = standinLine.ReplaceAllString(text, `$1 for i in $$(seq 200); do [ -s $2 ] && break; sleep 0.1; done $3`)
	if strings.Contains(text, pgREADME) {
		text = strings.ReplaceAll(text, pgREADME, pgtest.Start(t))
	}
	// After the server: it starts while the first example builds the
	// commands for all.
	bin := commands.Dir(t)
	deadline, _ := t.Deadline()
	testscript.RunT(inline{t}, testscript.Params{
		Deadline: deadline,
		Files:    []string{"testdata/" + name + ".txtar"},
		Setup: func(e *testscript.Env) error {
			home := filepath.Join(e.WorkDir, "home")
			e.Setenv("HOME", home)
			e.Setenv("PATH", bin+string(os.PathListSeparator)+e.Getenv("PATH"))
			e.Setenv("BRCS_CONSOLE", filepath.Join(bin, "brcs-fakeconsole"))
			e.Setenv("FAKE_CONSOLE_LOG", filepath.Join(e.WorkDir, "console.log"))
			if err := os.MkdirAll(filepath.Join(e.WorkDir, "tmp"), 0o755); err != nil {
				return err
			}
			e.Setenv("BRCS_STANDIN_LISTEN", addr)
			// /tmp in an example is this test's own temporary folder.
			text := strings.ReplaceAll(text, "/tmp/", filepath.Join(e.WorkDir, "tmp")+"/")
			return os.WriteFile(filepath.Join(e.WorkDir, "example.sh"), []byte(fmt.Sprintf("%s\n%s", prelude, text)), 0o644)
		},
	})
}

// inline runs a script in the calling test (testscript.Run would make it a
// parallel subtest, one of -parallel at a time).
type inline struct{ *testing.T }

func (inline) Parallel() {}

func (inline) Verbose() bool { return testing.Verbose() }

func (t inline) Run(name string, f func(testscript.T)) {
	t.T.Run(name, func(t *testing.T) { f(inline{t}) })
}
