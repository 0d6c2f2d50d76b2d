package launcher

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noRun(string, ...string) error { return nil }

// unregister --site beta60 leaves support registered: its line in
// mimeapps.list, and its type in the desktop entry and MIME package.
func TestUnregisterLeavesOtherSites(t *testing.T) {
	data, config := t.TempDir(), t.TempDir()
	reg := func(sites ...string) Registration {
		return Registration{Exe: "/usr/bin/brcslaunch", Sites: sites, GOOS: "linux", DataHome: data, ConfigHome: config, Run: noRun}
	}
	require.NoError(t, Register(reg("support")))
	require.NoError(t, Register(reg("beta60")))
	entry := filepath.Join(data, "applications", desktopFile)
	assert.Equal(t, []string{"support", "beta60"}, registeredSites(entry), "registering one site keeps the other")
	list := filepath.Join(config, "mimeapps.list")
	require.NoError(t, os.WriteFile(list, []byte("[Default Applications]\napplication/x-brcs-support=brcslaunch.desktop;\napplication/x-brcs-beta60=brcslaunch.desktop;\n"+
		"[Added Associations]\napplication/x-brcs-beta60=other.desktop;brcslaunch.desktop;\n"), 0o644))
	require.NoError(t, Unregister(reg("beta60")))
	got, err := os.ReadFile(list)
	require.NoError(t, err)
	assert.Equal(t, "[Default Applications]\napplication/x-brcs-support=brcslaunch.desktop;\n[Added Associations]\napplication/x-brcs-beta60=other.desktop;\n", string(got))
	assert.Equal(t, []string{"support"}, registeredSites(entry))
	pkg, err := os.ReadFile(filepath.Join(data, "mime", "packages", mimePackage))
	require.NoError(t, err)
	assert.Contains(t, string(pkg), "*.brcs-support")
	assert.NotContains(t, string(pkg), "beta60")
	require.NoError(t, Unregister(reg("support")))
	_, err = os.Stat(entry)
	assert.True(t, os.IsNotExist(err), "the last site gone, the files go")
}

func TestRegisterAcceptsUNCExe(t *testing.T) {
	var out strings.Builder
	r := Registration{Exe: `\\server\share\tools\brcslaunch.exe`, Sites: []string{"support"}, GOOS: "windows", DryRun: true, Out: &out}
	require.NoError(t, Register(r))
	assert.Contains(t, out.String(), `\\\\server\\share\\tools\\brcslaunch.exe`)
	r.Exe = `\\`
	assert.Error(t, Register(r))
}

func TestRegisterRefusesControlCharactersInExe(t *testing.T) {
	for _, exe := range []string{"/opt/x\nExec=/tmp/evil", "/opt/x\r", "/opt/\x1b[2Kx", "/opt/x\u0085y"} {
		err := Register(Registration{Exe: exe, Sites: []string{"support"}, GOOS: "linux", DryRun: true, Out: io.Discard})
		assert.Error(t, err, "%q", exe)
	}
}

// execArgs reads an Exec value the way the Desktop Entry Specification
// (and GLib) does: the string value's escapes, then field codes ("%%" is
// "%", "%f" the file), then the quoting rules.
func execArgs(t *testing.T, value, file string) []string {
	var s strings.Builder
	for i := 0; i < len(value); i++ { // string-value escapes
		if value[i] == '\\' && i+1 < len(value) {
			i++
			switch value[i] {
			case '\\':
				s.WriteByte('\\')
			case 's':
				s.WriteByte(' ')
			default:
				t.Fatalf("invalid escape \\%c in %q", value[i], value)
			}
			continue
		}
		s.WriteByte(value[i])
	}
	var e strings.Builder
	v := s.String()
	for i := 0; i < len(v); i++ { // field codes
		if v[i] == '%' && i+1 < len(v) {
			i++
			switch v[i] {
			case '%':
				e.WriteByte('%')
			case 'f':
				e.WriteString(file)
			default:
				t.Fatalf("field code %%%c in %q", v[i], value)
			}
			continue
		}
		e.WriteByte(v[i])
	}
	var args []string
	var cur strings.Builder
	quoted, in := false, false
	x := e.String()
	for i := 0; i < len(x); i++ { // quoting
		c := x[i]
		switch {
		case quoted && c == '\\' && i+1 < len(x) && strings.IndexByte("\"`$\\", x[i+1]) >= 0:
			i++
			cur.WriteByte(x[i])
		case c == '"':
			quoted, in = !quoted, true
		case c == ' ' && !quoted:
			if in {
				args = append(args, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		args = append(args, cur.String())
	}
	return args
}

func TestDesktopEntryExecRoundTrips(t *testing.T) {
	for _, exe := range []string{"/usr/bin/brcslaunch", "/opt/100%/brcslaunch", "/opt/%f %u/x", `/opt/a "b" $c ` + "`d`" + ` \e/brcslaunch`} {
		r := Registration{Exe: exe, Sites: []string{"support"}}
		var exec string
		for _, l := range strings.Split(r.DesktopEntry(), "\n") {
			if v, ok := strings.CutPrefix(l, "Exec="); ok {
				exec = v
			}
		}
		assert.Equal(t, []string{exe, "/tmp/j.brcs-support"}, execArgs(t, exec, "/tmp/j.brcs-support"), "%q -> %q", exe, exec)
	}
}

// "-->" (or any "--") in the path must not end the plist's comment.
func TestInfoPlistCommentHoldsAnyPath(t *testing.T) {
	for _, exe := range []string{"/Applications/a-->b/<evil/>/x", "/opt/x--y", "/opt/x-"} {
		r := Registration{Exe: exe, Sites: []string{"support"}}
		dec := xml.NewDecoder(strings.NewReader("<plist><dict>" + r.InfoPlist() + "</dict></plist>"))
		var comments int
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, exe)
			if se, ok := tok.(xml.StartElement); ok {
				assert.NotEqual(t, "evil", se.Name.Local, "the path became markup")
			}
			if _, ok := tok.(xml.Comment); ok {
				comments++
			}
		}
		assert.Equal(t, 1, comments, exe)
	}
}
