package launcher

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Config is the launcher's config file, by default
// <user config folder>/brcslaunch/config.json.
type Config struct {
	// Console is the access console's path.
	Console string `json:"console,omitempty"`
	// AllowSites, when not empty, are the only company site names whose
	// scripts run (the <site> of *.brcs-<site>).
	AllowSites []string `json:"allow_sites,omitempty"`
	// AllowOrigins, when not empty, are the only appliance hosts a
	// downloaded script may come from (as the browser recorded it).
	AllowOrigins []string `json:"allow_origins,omitempty"`
	// Profile is the product profile scripts are checked against.
	Profile string `json:"profile,omitempty"`
	// Passwords is what to do with a script that logs in with a plain-text
	// password: "warn" (the default) or "refuse".
	Passwords string `json:"passwords,omitempty"`
}

// DefaultConfigPath is where the config file is looked for.
func DefaultConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "brcslaunch", "config.json"), nil
}

// LoadConfig reads a config file; a missing one is an empty config.
func LoadConfig(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, err
	}
	var c Config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	switch c.Passwords {
	case "", "warn", "refuse":
	default:
		return nil, fmt.Errorf("%s: \"passwords\" is warn or refuse, not %q", path, c.Passwords)
	}
	return &c, nil
}
