package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// ConfigNames are the file names FindConfig looks for, in order.
var ConfigNames = []string{".brcslint.json", ".brcslint.yaml", ".brcslint.yml"}

// Layer is one set of settings: the top of a config file, one of its
// per-path entries, or the command line. Empty fields leave what the
// layers below said.
type Layer struct {
	Profile        string            `json:"profile,omitempty" yaml:"profile,omitempty"`
	Template       *bool             `json:"template,omitempty" yaml:"template,omitempty"`
	TemplateSyntax string            `json:"template_syntax,omitempty" yaml:"template_syntax,omitempty"`
	Enable         []string          `json:"enable,omitempty" yaml:"enable,omitempty"`
	Disable        []string          `json:"disable,omitempty" yaml:"disable,omitempty"`
	Severity       map[string]string `json:"severity,omitempty" yaml:"severity,omitempty"`
	Ignore         []string          `json:"ignore,omitempty" yaml:"ignore,omitempty"`
}

// PathLayer is a Layer for the files a glob matches. The glob is relative
// to the config file's folder; "**" matches any number of folders, and a
// glob without "/" matches a file name at any depth.
type PathLayer struct {
	Glob  string `json:"glob" yaml:"glob"`
	Layer `yaml:",inline"`
}

// Config is a .brcslint.json or .brcslint.yaml file.
type Config struct {
	Layer       `yaml:",inline"`
	MaxWarnings *int `json:"max_warnings,omitempty" yaml:"max_warnings,omitempty"`
	// Exclude are globs of files and folders a folder walk skips.
	Exclude []string    `json:"exclude,omitempty" yaml:"exclude,omitempty"`
	Paths   []PathLayer `json:"paths,omitempty" yaml:"paths,omitempty"`

	// Dir is the folder the config file is in; globs are relative to it.
	Dir   string `json:"-" yaml:"-"`
	globs []*regexp.Regexp
}

// UsageError is a mistake in how the linter was asked to run: a bad flag
// value, an unknown rule, a config file that does not parse.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// FindConfig looks for a config file in dir and its parents and returns
// its path, or "" when there is none.
func FindConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		for _, n := range ConfigNames {
			p := filepath.Join(dir, n)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				return p, nil
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// LoadConfig reads and checks a config file.
func LoadConfig(path string) (*Config, error) {
	raw, err := fsutil.ReadFileLimit(path, 1<<20)
	if err != nil {
		return nil, &UsageError{fsutil.ReadError("the config file", path, err)}
	}
	var c Config
	if strings.HasSuffix(path, ".json") {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		err = dec.Decode(&c)
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		err = dec.Decode(&c)
		if errors.Is(err, io.EOF) {
			err = nil // an empty YAML file
		}
	}
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c.Dir = filepath.Dir(abs)
	if err := c.Layer.Check(); err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	for _, g := range c.Exclude {
		if _, err := globRegexp(filepath.ToSlash(g)); err != nil {
			return nil, usagef("%s: exclude %q: %v", path, g, err)
		}
	}
	for _, p := range c.Paths {
		if p.Glob == "" {
			return nil, usagef("%s: a paths entry has no glob", path)
		}
		re, err := globRegexp(p.Glob)
		if err != nil {
			return nil, usagef("%s: glob %q: %v", path, p.Glob, err)
		}
		c.globs = append(c.globs, re)
		if err := p.Layer.Check(); err != nil {
			return nil, usagef("%s: paths %q: %v", path, p.Glob, err)
		}
	}
	return &c, nil
}

// layersFor returns the config's layers that apply to the file at abs.
func (c *Config) layersFor(abs string) []Layer {
	if c == nil {
		return nil
	}
	out := []Layer{c.Layer}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return out
	}
	rel = filepath.ToSlash(rel)
	for i, p := range c.Paths {
		subject := rel
		if !strings.Contains(p.Glob, "/") {
			subject = filepath.Base(rel)
		}
		if c.globs[i].MatchString(subject) {
			out = append(out, p.Layer)
		}
	}
	return out
}

// Check reports unknown rules, severities, profiles and syntaxes.
func (l *Layer) Check() error {
	for _, r := range append(append([]string(nil), l.Enable...), l.Disable...) {
		if _, ok := brcs.LookupRule(r); !ok {
			return unknownRule(r)
		}
	}
	for r, s := range l.Severity {
		if _, ok := brcs.LookupRule(r); !ok {
			return unknownRule(r)
		}
		if _, err := brcs.ParseSeverity(s); err != nil {
			return fmt.Errorf("rule %s: %v", r, err)
		}
	}
	for _, re := range l.Ignore {
		if _, err := regexp.Compile(re); err != nil {
			return fmt.Errorf("ignore %q: %v", re, err)
		}
	}
	if l.Profile != "" {
		if _, err := brcs.LookupProfile(l.Profile); err != nil {
			return err
		}
	}
	if _, err := brcs.ParseSyntax(l.TemplateSyntax); err != nil {
		return err
	}
	return nil
}

func unknownRule(name string) error {
	names := make([]string, 0, len(brcs.Rules()))
	for _, r := range brcs.Rules() {
		names = append(names, r.Name)
	}
	return fmt.Errorf("unknown rule %q (brcslint --list-rules lists them: %s)", name, strings.Join(names, ", "))
}

// globRegexp turns a glob into an anchored regular expression: "*" and
// "?" stay within a folder, "**/" matches any number of folders, "[...]"
// is a class.
func globRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(glob[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("unclosed '['")
			}
			class := glob[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + class + "]")
			i += j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
