package launcher

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/template"

	"github.com/brcs-toolkit/brcs/brcs"
)

// Registration makes the launcher the handler of *.brcs-<site> files, and
// of nothing else, for the current user.
type Registration struct {
	// Exe is the launcher's absolute path.
	Exe string
	// Sites are the company site names: one extension each.
	Sites []string
	// GOOS selects the platform ("" : this one).
	GOOS string
	// DataHome and ConfigHome are XDG_DATA_HOME and XDG_CONFIG_HOME on
	// Linux (defaults ~/.local/share and ~/.config).
	DataHome, ConfigHome string
	// Run runs a helper tool (update-mime-database, xdg-mime, reg); nil
	// runs it from PATH. A missing tool is reported, not fatal.
	Run func(name string, args ...string) error
	// Out receives what is done, and under DryRun what would be.
	Out io.Writer
	// DryRun prints instead of writing and running.
	DryRun bool
}

const (
	desktopFile = "brcslaunch.desktop"
	mimePackage = "brcslaunch.xml"
)

func mimeType(site string) string { return "application/x-brcs-" + site }

func (r *Registration) check() error {
	if len(r.Sites) == 0 {
		return errors.New("give at least one --site: the handler is registered for *.brcs-<site> files")
	}
	for _, s := range r.Sites {
		if !brcs.IsSiteName(s) {
			return fmt.Errorf("site %q: a site name is letters, digits, '-' and '_'", s)
		}
	}
	if r.GOOS == "" {
		r.GOOS = runtime.GOOS
	}
	if !isAbs(r.GOOS, r.Exe) {
		return fmt.Errorf("the launcher's path %q is not absolute", r.Exe)
	}
	// A new line would split the Exec= line (and the registry value, the
	// plist); no control character belongs in a path.
	for _, c := range r.Exe {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) {
			return fmt.Errorf("the launcher's path %q holds a control character; refused", r.Exe)
		}
	}
	if r.Out == nil {
		r.Out = io.Discard
	}
	if r.Run == nil {
		r.Run = func(name string, args ...string) error {
			p, err := exec.LookPath(name)
			if err != nil {
				return err
			}
			return exec.Command(p, args...).Run()
		}
	}
	return nil
}

// Register registers the handler.
func Register(r Registration) error {
	if err := r.check(); err != nil {
		return err
	}
	switch r.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return r.registerXDG()
	case "windows":
		return r.registerWindows(false)
	case "darwin":
		fmt.Fprint(r.Out, r.InfoPlist())
		return nil
	}
	return fmt.Errorf("registering a file handler on %s is not supported", r.GOOS)
}

// Unregister removes what Register made.
func Unregister(r Registration) error {
	if err := r.check(); err != nil {
		return err
	}
	switch r.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return r.unregisterXDG()
	case "windows":
		return r.registerWindows(true)
	case "darwin":
		fmt.Fprintln(r.Out, "remove the CFBundleDocumentTypes and UTExportedTypeDeclarations entries for brcs-<site> from the app's Info.plist")
		return nil
	}
	return fmt.Errorf("registering a file handler on %s is not supported", r.GOOS)
}

// isAbs judges a path by the rules of the platform it is for, which under
// --dry-run need not be this one.
func isAbs(goos, p string) bool {
	if goos == "windows" {
		// C:\... or a UNC path, \\server\share\...
		return len(p) > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || strings.HasPrefix(p, `\\`) && len(p) > 2
	}
	return strings.HasPrefix(p, "/")
}

func (r *Registration) xdgDirs() (data, config string, err error) {
	data, config = r.DataHome, r.ConfigHome
	home, herr := os.UserHomeDir()
	if data == "" {
		if herr != nil {
			return "", "", herr
		}
		data = filepath.Join(home, ".local", "share")
	}
	if config == "" {
		if herr != nil {
			return "", "", herr
		}
		config = filepath.Join(home, ".config")
	}
	return data, config, nil
}

// quoteExec quotes an argument of a desktop entry's Exec key. The
// Desktop Entry Specification applies two escapes in turn: inside double
// quotes, '"', '`', '$' and '\' take a backslash; then, as in any string
// value, every backslash is doubled. A '%' is doubled so that it is not a
// field code.
func quoteExec(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", "$", `\$`).Replace(s)
	s = strings.ReplaceAll(`"`+s+`"`, `\`, `\\`)
	return strings.ReplaceAll(s, "%", "%%")
}

// DesktopEntry is the .desktop file Register writes on Linux.
func (r *Registration) DesktopEntry() string {
	var types []string
	for _, s := range r.Sites {
		types = append(types, mimeType(s))
	}
	return "[Desktop Entry]\nType=Application\nName=BRCS script launcher\n" +
		"Comment=Check an access console script, show what it will do, and run it\n" +
		"Exec=" + quoteExec(r.Exe) + " %f\nMimeType=" + strings.Join(types, ";") + ";\nNoDisplay=true\nTerminal=false\n"
}

// MimePackage is the shared-mime-info package Register writes on Linux.
func (r *Registration) MimePackage() string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mime-info xmlns=\"http://www.freedesktop.org/standards/shared-mime-info\">\n")
	for _, s := range r.Sites {
		fmt.Fprintf(&b, "  <mime-type type=\"%s\">\n    <comment>BeyondTrust access console script (site %s)</comment>\n    <glob pattern=\"*.brcs-%s\"/>\n  </mime-type>\n", mimeType(s), s, s)
	}
	b.WriteString("</mime-info>\n")
	return b.String()
}

func (r *Registration) write(path, content string) error {
	if r.DryRun {
		fmt.Fprintf(r.Out, "would write %s:\n%s\n", path, content)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(r.Out, "wrote %s\n", path)
	return nil
}

func (r *Registration) run(name string, args ...string) {
	line := name + " " + strings.Join(args, " ")
	if r.DryRun {
		fmt.Fprintf(r.Out, "would run: %s\n", line)
		return
	}
	if err := r.Run(name, args...); err != nil {
		fmt.Fprintf(r.Out, "could not run %s (%v); run it yourself\n", line, err)
		return
	}
	fmt.Fprintf(r.Out, "ran: %s\n", line)
}

// registeredSites returns the sites the desktop entry at path lists
// (register may have been run for several sites, one at a time).
func registeredSites(path string) []string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "MimeType="); ok {
			for _, t := range strings.Split(v, ";") {
				if site, ok := strings.CutPrefix(t, "application/x-brcs-"); ok && brcs.IsSiteName(site) {
					out = append(out, site)
				}
			}
		}
	}
	return out
}

func (r *Registration) registerXDG() error {
	data, _, err := r.xdgDirs()
	if err != nil {
		return err
	}
	entry, _ := xdgFiles(data)
	// Keep the sites registered before: registering one site must not
	// take another's files from the launcher.
	if err := r.writeXDG(data, union(registeredSites(entry), r.Sites)); err != nil {
		return err
	}
	r.updateXDG(data)
	args := []string{"default", desktopFile}
	for _, s := range r.Sites {
		args = append(args, mimeType(s))
	}
	r.run("xdg-mime", args...)
	return nil
}

// xdgFiles are the desktop entry and the MIME package below data.
func xdgFiles(data string) (entry, pkg string) {
	return filepath.Join(data, "applications", desktopFile), filepath.Join(data, "mime", "packages", mimePackage)
}

// writeXDG writes the desktop entry and the MIME package below data, for
// sites: all the sites registered, which register adds to and unregister
// takes from.
func (r *Registration) writeXDG(data string, sites []string) error {
	with := *r
	with.Sites = sites
	entry, pkg := xdgFiles(data)
	if err := r.write(entry, with.DesktopEntry()); err != nil {
		return err
	}
	return r.write(pkg, with.MimePackage())
}

// updateXDG has the desktop's databases read the files below data again.
func (r *Registration) updateXDG(data string) {
	r.run("update-mime-database", filepath.Join(data, "mime"))
	r.run("update-desktop-database", filepath.Join(data, "applications"))
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (r *Registration) unregisterXDG() error {
	data, config, err := r.xdgDirs()
	if err != nil {
		return err
	}
	entry, pkg := xdgFiles(data)
	var left []string
	for _, s := range registeredSites(entry) {
		if !slices.Contains(r.Sites, s) {
			left = append(left, s)
		}
	}
	if len(left) > 0 {
		// Other sites stay registered: rewrite the files with them only.
		if err := r.writeXDG(data, left); err != nil {
			return err
		}
	} else {
		for _, p := range []string{entry, pkg} {
			if r.DryRun {
				fmt.Fprintf(r.Out, "would remove %s\n", p)
				continue
			}
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			fmt.Fprintf(r.Out, "removed %s\n", p)
		}
	}
	// xdg-mime default wrote the association into mimeapps.list: take the
	// launcher out of the lines of the sites given, and only those.
	list := filepath.Join(config, "mimeapps.list")
	if raw, err := os.ReadFile(list); err == nil {
		var kept []string
		for _, l := range strings.SplitAfter(string(raw), "\n") {
			if l = r.dropAssociation(l); l != "" {
				kept = append(kept, l)
			}
		}
		if r.DryRun {
			fmt.Fprintf(r.Out, "would remove brcslaunch's lines for %s from %s\n", strings.Join(r.Sites, ", "), list)
		} else if err := os.WriteFile(list, []byte(strings.Join(kept, "")), 0o644); err != nil {
			return err
		}
	}
	r.updateXDG(data)
	return nil
}

// dropAssociation returns the mimeapps.list line l without the launcher,
// when l is about one of r's sites; "" when nothing is left of it.
func (r *Registration) dropAssociation(l string) string {
	key, value, ok := strings.Cut(strings.TrimRight(l, "\r\n"), "=")
	if !ok || !slices.ContainsFunc(r.Sites, func(s string) bool { return strings.TrimSpace(key) == mimeType(s) }) {
		return l
	}
	var apps []string
	for _, a := range strings.Split(value, ";") {
		if a != "" && strings.TrimSpace(a) != desktopFile {
			apps = append(apps, a)
		}
	}
	if len(apps) == 0 {
		return ""
	}
	return key + "=" + strings.Join(apps, ";") + ";" + l[len(strings.TrimRight(l, "\r\n")):]
}

// RegFile is what Register writes into the registry on Windows, in the
// form of a .reg file.
func (r *Registration) RegFile() string {
	q := func(s string) string { return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"` }
	var b strings.Builder
	b.WriteString("Windows Registry Editor Version 5.00\n")
	for _, s := range r.Sites {
		prog := "brcslaunch.brcs-" + s
		fmt.Fprintf(&b, "\n[HKEY_CURRENT_USER\\Software\\Classes\\.brcs-%s]\n@=%s\n", s, q(prog))
		fmt.Fprintf(&b, "\n[HKEY_CURRENT_USER\\Software\\Classes\\%s]\n@=%s\n", prog, q("BeyondTrust access console script (site "+s+")"))
		fmt.Fprintf(&b, "\n[HKEY_CURRENT_USER\\Software\\Classes\\%s\\shell\\open\\command]\n@=%s\n", prog, q(`"`+r.Exe+`" "%1"`))
	}
	return b.String()
}

func (r *Registration) registerWindows(remove bool) error {
	if r.DryRun && !remove {
		fmt.Fprint(r.Out, r.RegFile())
		return nil
	}
	for _, s := range r.Sites {
		ext := `HKCU\Software\Classes\.brcs-` + s
		prog := `HKCU\Software\Classes\brcslaunch.brcs-` + s
		if remove {
			r.run("reg", "delete", ext, "/f")
			r.run("reg", "delete", prog, "/f")
			continue
		}
		r.run("reg", "add", ext, "/ve", "/d", "brcslaunch.brcs-"+s, "/f")
		r.run("reg", "add", prog, "/ve", "/d", "BeyondTrust access console script (site "+s+")", "/f")
		r.run("reg", "add", prog+`\shell\open\command`, "/ve", "/d", `"`+r.Exe+`" "%1"`, "/f")
	}
	return nil
}

// infoPlist is the Info.plist entries for the sites, the app's executable
// named in a comment.
var infoPlist = template.Must(template.New("Info.plist").Funcs(template.FuncMap{"xml": xmlText}).Parse(
	`<!-- Add to the Info.plist of an app bundle whose executable runs {{.Exe}} with the opened file. -->
<key>CFBundleDocumentTypes</key>
<array>
{{- range .Sites}}
  <dict>
    <key>CFBundleTypeName</key>
    <string>BeyondTrust access console script (site {{xml .}})</string>
    <key>CFBundleTypeRole</key>
    <string>Viewer</string>
    <key>LSHandlerRank</key>
    <string>Owner</string>
    <key>LSItemContentTypes</key>
    <array>
      <string>io.github.brcs-toolkit.brcs-{{xml .}}</string>
    </array>
  </dict>
{{- end}}
</array>
<key>UTExportedTypeDeclarations</key>
<array>
{{- range .Sites}}
  <dict>
    <key>UTTypeIdentifier</key>
    <string>io.github.brcs-toolkit.brcs-{{xml .}}</string>
    <key>UTTypeDescription</key>
    <string>BeyondTrust access console script (site {{xml .}})</string>
    <key>UTTypeConformsTo</key>
    <array>
      <string>public.data</string>
    </array>
    <key>UTTypeTagSpecification</key>
    <dict>
      <key>public.filename-extension</key>
      <array>
        <string>brcs-{{xml .}}</string>
      </array>
    </dict>
  </dict>
{{- end}}
</array>
`))

// xmlText escapes s as XML character data (a site name needs none; this
// keeps it so whatever the checks before).
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// InfoPlist is what an app bundle's Info.plist needs on macOS for the
// launcher to open *.brcs-<site> files.
func (r *Registration) InfoPlist() string {
	var b strings.Builder
	err := infoPlist.Execute(&b, struct {
		Exe   string
		Sites []string
	}{commentSafe(r.Exe), r.Sites})
	if err != nil {
		panic(err) // a fixed template over strings cannot fail
	}
	return b.String()
}

// commentSafe makes s fit in an XML comment, which may hold neither "--"
// nor end in "-": every '-' is then written %2D (and '%' %25), saying so.
func commentSafe(s string) string {
	if !strings.Contains(s, "--") && !strings.HasSuffix(s, "-") {
		return s
	}
	return strings.NewReplacer("%", "%25", "-", "%2D").Replace(s) + " (percent-encoded: %2D is '-')"
}
