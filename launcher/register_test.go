package launcher

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/internal/testutil"
)

func golden(t *testing.T, name, got string) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", name), got)
}

func TestRegisterLinux(t *testing.T) {
	data, config := t.TempDir(), t.TempDir()
	var ran []string
	var out bytes.Buffer
	r := Registration{Exe: "/opt/brcs tools/brcslaunch", Sites: []string{"support", "beta60"}, GOOS: "linux", DataHome: data, ConfigHome: config,
		Run: func(name string, args ...string) error {
			ran = append(ran, name+" "+strings.Join(args, " "))
			return nil
		}, Out: &out}
	require.NoError(t, Register(r))
	desktop, err := os.ReadFile(filepath.Join(data, "applications", "brcslaunch.desktop"))
	require.NoError(t, err)
	golden(t, "brcslaunch.desktop", string(desktop))
	mime, err := os.ReadFile(filepath.Join(data, "mime", "packages", "brcslaunch.xml"))
	require.NoError(t, err)
	golden(t, "brcslaunch.xml", string(mime))
	assert.Equal(t, []string{
		"update-mime-database " + filepath.Join(data, "mime"),
		"update-desktop-database " + filepath.Join(data, "applications"),
		"xdg-mime default brcslaunch.desktop application/x-brcs-support application/x-brcs-beta60",
	}, ran)

	list := filepath.Join(config, "mimeapps.list")
	require.NoError(t, os.WriteFile(list, []byte("[Default Applications]\ntext/html=firefox.desktop\napplication/x-brcs-support=brcslaunch.desktop\napplication/x-brcs-beta60=brcslaunch.desktop\n"), 0o644))
	ran = nil
	require.NoError(t, Unregister(r))
	for _, p := range []string{filepath.Join(data, "applications", "brcslaunch.desktop"), filepath.Join(data, "mime", "packages", "brcslaunch.xml")} {
		_, err := os.Stat(p)
		assert.True(t, os.IsNotExist(err), p)
	}
	got, err := os.ReadFile(list)
	require.NoError(t, err)
	assert.Equal(t, "[Default Applications]\ntext/html=firefox.desktop\n", string(got), "only the launcher's associations go")
	assert.Contains(t, ran, "update-mime-database "+filepath.Join(data, "mime"))
}

func TestRegisterDryRunWritesNothing(t *testing.T) {
	data := t.TempDir()
	var out bytes.Buffer
	r := Registration{Exe: "/usr/bin/brcslaunch", Sites: []string{"support"}, GOOS: "linux", DataHome: data, ConfigHome: t.TempDir(),
		Run: func(string, ...string) error { t.Fatal("dry run ran a tool"); return nil }, Out: &out, DryRun: true}
	require.NoError(t, Register(r))
	entries, _ := os.ReadDir(data)
	assert.Empty(t, entries)
	assert.Contains(t, out.String(), "would write "+filepath.Join(data, "applications", "brcslaunch.desktop"))
	assert.Contains(t, out.String(), "would run: xdg-mime default brcslaunch.desktop application/x-brcs-support")
}

func TestRegisterWindows(t *testing.T) {
	var out bytes.Buffer
	r := Registration{Exe: `C:\Program Files\brcs\brcslaunch.exe`, Sites: []string{"support", "beta60"}, GOOS: "windows", Out: &out, DryRun: true}
	require.NoError(t, Register(r))
	golden(t, "register-windows.reg", out.String())

	var ran [][]string
	r = Registration{Exe: `C:\brcslaunch.exe`, Sites: []string{"support"}, GOOS: "windows", Out: &out,
		Run: func(name string, args ...string) error {
			ran = append(ran, append([]string{name}, args...))
			return nil
		}}
	require.NoError(t, Register(r))
	assert.Equal(t, [][]string{
		{"reg", "add", `HKCU\Software\Classes\.brcs-support`, "/ve", "/d", "brcslaunch.brcs-support", "/f"},
		{"reg", "add", `HKCU\Software\Classes\brcslaunch.brcs-support`, "/ve", "/d", "BeyondTrust access console script (site support)", "/f"},
		{"reg", "add", `HKCU\Software\Classes\brcslaunch.brcs-support\shell\open\command`, "/ve", "/d", `"C:\brcslaunch.exe" "%1"`, "/f"},
	}, ran)
	ran = nil
	require.NoError(t, Unregister(r))
	assert.Equal(t, [][]string{
		{"reg", "delete", `HKCU\Software\Classes\.brcs-support`, "/f"},
		{"reg", "delete", `HKCU\Software\Classes\brcslaunch.brcs-support`, "/f"},
	}, ran)
}

func TestRegisterMacOS(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, Register(Registration{Exe: "/Applications/BRCS Launcher.app/Contents/MacOS/brcslaunch", Sites: []string{"support"}, GOOS: "darwin", Out: &out}))
	golden(t, "register-macos.plist", out.String())
}

func TestRegisterRefusesBadSites(t *testing.T) {
	for _, sites := range [][]string{nil, {""}, {"a b"}, {"x;rm -rf"}, {"../x"}} {
		err := Register(Registration{Exe: "/x", Sites: sites, GOOS: "linux", DataHome: t.TempDir(), DryRun: true})
		assert.Error(t, err, sites)
	}
	assert.Error(t, Register(Registration{Exe: "relative", Sites: []string{"s"}, GOOS: "linux", DryRun: true}))
}

func TestQuoteExec(t *testing.T) {
	assert.Equal(t, `"/a b/c"`, quoteExec("/a b/c"))
	// Quoting rule: /a\\\$x\"y\`z% ; quoted and every backslash doubled.
	assert.Equal(t, `"/a\\\\\\$x\\"y\\`+"`"+`z%%"`, quoteExec(`/a\$x"y`+"`"+`z%`))
}
