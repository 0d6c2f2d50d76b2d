package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// AnswerError is an appliance's answer that does not do exactly what was
// asked. Differences say what differs, secrets not shown.
type AnswerError struct {
	Differences []string
}

func (e *AnswerError) Error() string {
	return "the appliance's answer is not the script that was asked for, so nothing is written:\n  - " + strings.Join(e.Differences, "\n  - ")
}

// CheckAnswer checks that the script an appliance sent for the request
// want does exactly what was asked: the requested command once, with the
// same action and the same decoded parameters (order aside), and besides
// it only what the appliance adds to every script: a bare "action=login"
// first (log in with the console's saved credentials, when the request is
// not itself a login) and "action=delete_script_file" last. Anything else
// (another target, another Jump method, a further command, credentials
// the request did not hold) is an *AnswerError listing the differences.
// It returns the answer's warnings, which the caller shows.
func CheckAnswer(cat *brcs.Catalogue, want Command, answer []byte) ([]brcs.Diagnostic, error) {
	s, ds, err := brcs.Check("", answer, brcs.Options{Profile: cat.Profile})
	if err != nil {
		return nil, err
	}
	if errs := brcs.Errors(ds); len(errs) > 0 {
		return nil, &InvalidError{What: "the script the appliance sent", Findings: errs}
	}
	var warnings []brcs.Diagnostic
	for _, d := range ds {
		if d.Severity != brcs.Error {
			warnings = append(warnings, d)
		}
	}
	cmds := s.Commands()
	var diffs []string
	i := 0
	if want.Action != "login" && i < len(cmds) && cmds[i].Action() == "login" {
		if len(cmds[i].Params) > 1 {
			diffs = append(diffs, fmt.Sprintf("line %d: the appliance added a login with %s; only a bare action=login (the console's saved credentials) is expected", cmds[i].Params[0].Key.Start.Line, paramList(cat, cmds[i], cmds[i].Params[1:])))
		}
		i++
	}
	if i >= len(cmds) {
		diffs = append(diffs, "the answer does not hold the "+want.Action+" command that was asked for")
		return warnings, &AnswerError{Differences: diffs}
	}
	got := cmds[i]
	line := got.Params[0].Key.Start.Line
	if got.Action() != want.Action {
		diffs = append(diffs, fmt.Sprintf("line %d: asked for %s, the answer runs %s", line, want.Action, textsafe.Quote(got.Action())))
	} else {
		diffs = append(diffs, compareParams(cat, line, want, got)...)
	}
	i++
	if i < len(cmds) && cmds[i].Action() == "delete_script_file" && i == len(cmds)-1 && len(cmds[i].Params) == 1 {
		i++
	}
	for ; i < len(cmds); i++ {
		diffs = append(diffs, fmt.Sprintf("line %d: a command that was not asked for: %s", cmds[i].Params[0].Key.Start.Line, textsafe.Quote(cmds[i].Action())+paramSuffix(cat, cmds[i])))
	}
	if len(diffs) > 0 {
		return warnings, &AnswerError{Differences: diffs}
	}
	return warnings, nil
}

// HoldsSecret reports whether the script src holds a secret value (a
// login's password) in cat: what is written decides whether the file is
// secret, not what was asked.
func HoldsSecret(cat *brcs.Catalogue, src []byte) bool {
	s, err := brcs.Parse("", src, brcs.Options{Profile: cat.Profile})
	return err != nil || len(brcs.SecretSpans(s, cat)) > 0
}

type kv struct{ key, value string }

func compareParams(cat *brcs.Catalogue, line int, want Command, got *brcs.Command) []string {
	var asked, sent []kv
	for _, p := range want.Params {
		asked = append(asked, kv{p.Key, p.Value})
	}
	for _, p := range got.Params[1:] {
		sent = append(sent, kv{p.Key.Decoded, p.Value.Decoded})
	}
	cmp := func(a, b kv) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	}
	slices.SortFunc(asked, cmp)
	slices.SortFunc(sent, cmp)
	var diffs []string
	a, s := 0, 0
	for a < len(asked) || s < len(sent) {
		switch {
		case s == len(sent) || a < len(asked) && cmp(asked[a], sent[s]) < 0:
			diffs = append(diffs, fmt.Sprintf("line %d: %s was asked for and is not in the answer", line, shown(cat, want.Action, asked[a])))
			a++
		case a == len(asked) || cmp(asked[a], sent[s]) > 0:
			diffs = append(diffs, fmt.Sprintf("line %d: the answer adds %s, which was not asked for", line, shown(cat, want.Action, sent[s])))
			s++
		default:
			a++
			s++
		}
	}
	return diffs
}

// shown is key=value for a message: escaped, and a secret not shown.
func shown(cat *brcs.Catalogue, action string, p kv) string {
	v := textsafe.QuoteMax(p.value, 160)
	if a, ok := cat.Lookup(action); ok {
		if spec, ok := a.Param(p.key); ok && spec.Secret {
			v = "(a secret, not shown)"
		}
	}
	return textsafe.QuoteMax(p.key, 160) + "=" + v
}

func paramList(cat *brcs.Catalogue, c *brcs.Command, ps []brcs.Param) string {
	var out []string
	for _, p := range ps {
		out = append(out, shown(cat, c.Action(), kv{p.Key.Decoded, p.Value.Decoded}))
	}
	return strings.Join(out, ", ")
}

func paramSuffix(cat *brcs.Catalogue, c *brcs.Command) string {
	if len(c.Params) < 2 {
		return ""
	}
	return " with " + paramList(cat, c, c.Params[1:])
}
