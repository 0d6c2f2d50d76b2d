package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// showWarnings prints the validator's warnings about what, escaped (the
// text came from outside).
func showWarnings(e *env, what string, ds []brcs.Diagnostic) {
	for _, d := range ds {
		fmt.Fprintf(e.Stderr, "%s: warning: %s, line %d: %s [%s]\n", name, what, d.Start.Line, textsafe.Escape(d.Message), d.Rule)
	}
}

// warnClearPassword warns when a password is about to cross the network
// unencrypted: --allow-http with a plain http:// appliance.
func warnClearPassword(e *env, c *cli.Context, secret bool) {
	if secret && c.Bool("allow-http") && strings.HasPrefix(strings.ToLower(c.String("appliance")), "http:") {
		fmt.Fprintf(e.Stderr, "%s: warning: --allow-http: the password crosses the network in clear text to %s; anyone on the way can read it\n", name, textsafe.Escape(c.String("appliance")))
	}
}

// secretFromArgs returns the NAME of a --set NAME=VALUE whose value ended
// up as a secret (a password) in script, or "".
func secretFromArgs(cat *brcs.Catalogue, script []byte, sets []string) string {
	s, err := brcs.Parse("", script, brcs.Options{Profile: cat.Profile})
	if err != nil {
		return ""
	}
	var secrets []string
	for _, c := range s.Commands() {
		a, ok := cat.Lookup(c.Action())
		if !ok {
			continue
		}
		for _, p := range c.Params[1:] {
			if spec, known := a.Param(p.Key.Decoded); known && spec.Secret && p.Value.Decoded != "" {
				secrets = append(secrets, p.Value.Decoded)
			}
		}
	}
	for _, kv := range sets {
		n, v, _ := strings.Cut(kv, "=")
		for _, sv := range secrets {
			if v != "" && strings.Contains(sv, v) {
				return n
			}
		}
	}
	return ""
}
