package brcs

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Catalogue is what one product version accepts: its actions, their
// parameters, limits and enumerations, and the rules between parameters.
// It is the one source of these facts; the validator, the generator, the
// documentation and shell completion all read it. A Catalogue returned by
// [LookupProfile] is shared: treat it as read-only.
type Catalogue struct {
	Profile     string
	Description string
	// MaxCommands is the most commands a script may hold.
	MaxCommands int
	Actions     []Action

	byName map[string]*Action
	// keys and keyPrefixes are every parameter name of every action.
	keys        map[string]bool
	keyPrefixes []string
}

// keyName returns the catalogue's name that key is written with: the key
// itself, or the prefix a custom field starts with.
func (c *Catalogue) keyName(key string) (string, bool) {
	if c.keys[key] {
		return key, true
	}
	for _, p := range c.keyPrefixes {
		if strings.HasPrefix(key, p) {
			return p, true
		}
	}
	return "", false
}

// Placement says where in a script an action belongs.
type Placement int

// Placements.
const (
	Anywhere Placement = iota
	First
	Last
)

// Action is one command of the console.
type Action struct {
	Name    string
	Summary string
	// Placement is where the appliance puts this action; elsewhere is warned.
	Placement Placement
	Params    []ParamSpec
	// AllOrNone lists groups of keys that must be given all together or not at all.
	AllOrNone [][]string
	// AtLeastOne lists groups of keys of which at least one must be given.
	AtLeastOne [][]string
	// TotalMax caps the summed decoded size in bytes of the values of the
	// parameters whose spec has InTotal set (0: no cap).
	TotalMax int
	// CustomUnknown marks an action of which no source says whether it
	// takes custom fields (session.custom.<code_name>): one given is warned
	// of as unconfirmed, not refused as an unknown key.
	CustomUnknown bool

	byKey     map[string]int // exact keys to their index in Params
	prefixes  []int          // indexes of prefix specs
	hasSecret bool
}

// index builds a's lookup tables; the catalogue does it once.
func (a *Action) index() {
	a.byKey = make(map[string]int, len(a.Params))
	for i, p := range a.Params {
		if p.Prefix {
			a.prefixes = append(a.prefixes, i)
		} else {
			a.byKey[p.Name] = i
		}
		a.hasSecret = a.hasSecret || p.Secret
	}
}

// Index returns where the spec that key matches stands in a.Params.
func (a *Action) Index(key string) (int, bool) {
	if i, ok := a.byKey[key]; ok {
		return i, true
	}
	for _, i := range a.prefixes {
		if p := &a.Params[i]; strings.HasPrefix(key, p.Name) && len(key) > len(p.Name) {
			return i, true
		}
	}
	return 0, false
}

// HasSecret reports whether any parameter of a is a secret.
func (a *Action) HasSecret() bool { return a.hasSecret }

// ParamSpec is one parameter of an action.
type ParamSpec struct {
	// Name is the key. When Prefix is set it is a prefix such as
	// "session.custom." and any key that starts with it and continues with
	// a non-empty name matches.
	Name    string
	Prefix  bool
	Summary string
	// Doc is a longer note for the documentation: where a rule about this
	// parameter comes from.
	Doc string
	// FreeText marks a value that is text for people (a custom field, a
	// password) rather than a name the console matches or looks up: a
	// control character in it is a warning, not an error.
	FreeText bool
	// Flag is the generator's command-line flag for this parameter, if any.
	Flag     string
	Required bool
	// MaxLen is the most characters the decoded value may hold (0: no limit).
	MaxLen int
	// Values, when not empty, lists the only values accepted.
	Values []string
	// Secret marks a value that must never be shown.
	Secret bool
	// InTotal counts the value towards the action's TotalMax.
	InTotal bool
	// OnlyWith, when set, names "key=value": this parameter matches nothing
	// unless that key is absent or has that value.
	OnlyWith string
	// Filter, for a search filter, says in words what it matches, for a
	// value to follow: "host name contains".
	Filter string
	// ValueWords say in words what some values mean ("pinned": "a pinned
	// Jump Client").
	ValueWords map[string]string
}

// Lookup returns the action called name.
func (c *Catalogue) Lookup(name string) (*Action, bool) {
	a, ok := c.byName[name]
	return a, ok
}

// ActionNames returns the names of every action, sorted.
func (c *Catalogue) ActionNames() []string {
	out := make([]string, 0, len(c.Actions))
	for _, a := range c.Actions {
		out = append(out, a.Name)
	}
	sort.Strings(out)
	return out
}

// Param returns the spec that key matches, if any.
func (a *Action) Param(key string) (*ParamSpec, bool) {
	if i, ok := a.Index(key); ok {
		return &a.Params[i], true
	}
	return nil, false
}

// Keys returns the parameter names of a; a prefix is shown as
// prefix<code_name>.
func (a *Action) Keys() []string {
	out := make([]string, 0, len(a.Params))
	for _, p := range a.Params {
		out = append(out, p.Display())
	}
	return out
}

// Display is the parameter's name as documentation shows it.
func (p *ParamSpec) Display() string {
	if p.Prefix {
		return p.Name + "<code_name>"
	}
	return p.Name
}

// KnownIn returns the profiles, other than c's, whose catalogue has the
// action called name, in the order of [Profiles].
func (c *Catalogue) KnownIn(name string) []string {
	var out []string
	for _, p := range Profiles() {
		if other := catalogues()[p]; p != c.Profile && other != nil {
			if _, ok := other.Lookup(name); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// DefaultProfile is the profile of the vendor's API guide 1.14.0 (PAM 15.3).
const DefaultProfile = "pam-15.3"

// Profiles returns the names of the known profiles, the default first.
func Profiles() []string { return []string{DefaultProfile, "pra", "rs"} }

var catalogues = sync.OnceValue(func() map[string]*Catalogue {
	out := map[string]*Catalogue{}
	for _, c := range buildCatalogues() {
		c.byName = make(map[string]*Action, len(c.Actions))
		c.keys = map[string]bool{"action": true}
		for i := range c.Actions {
			a := &c.Actions[i]
			a.index()
			c.byName[a.Name] = a
			for _, p := range a.Params {
				switch {
				case !p.Prefix:
					c.keys[p.Name] = true
				case !slices.Contains(c.keyPrefixes, p.Name):
					c.keyPrefixes = append(c.keyPrefixes, p.Name)
				}
			}
		}
		out[c.Profile] = c
	}
	return out
})

// LookupProfile returns the catalogue of a profile ("" means the default).
func LookupProfile(name string) (*Catalogue, error) {
	if name == "" {
		name = DefaultProfile
	}
	c, ok := catalogues()[name]
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(Profiles(), ", "))
	}
	return c, nil
}
