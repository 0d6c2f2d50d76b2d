package gen

import (
	"strings"

	"github.com/brcs-toolkit/brcs/brcs"
)

// ScriptOptions shape a whole script.
type ScriptOptions struct {
	// Login, when not nil, is put first, as the appliance does.
	Login *Login
	// NoDelete leaves out the delete_script_file the appliance puts last.
	NoDelete bool
	// CRLF ends lines with "\r\n" instead of "\n".
	CRLF bool
}

// Script builds a complete script: header, login first (when asked), the
// commands, delete_script_file last (unless NoDelete), every line ended.
// It is validated before it is returned.
func Script(cat *brcs.Catalogue, o ScriptOptions, cmds ...Command) ([]byte, error) {
	nl := "\n"
	if o.CRLF {
		nl = "\r\n"
	}
	var b strings.Builder
	b.WriteString("BRCS1.0" + nl)
	if o.Login != nil {
		b.WriteString(o.Login.Command().Encode() + nl)
	}
	for _, c := range cmds {
		b.WriteString(c.Encode() + nl)
	}
	if !o.NoDelete {
		b.WriteString("action=delete_script_file" + nl)
	}
	out := []byte(b.String())
	if err := CheckScript(cat, out, "the script"); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckScript validates a whole script against cat and returns an
// *InvalidError listing its errors, if any.
func CheckScript(cat *brcs.Catalogue, src []byte, what string) error {
	_, ds, err := brcs.Check("", src, brcs.Options{Profile: cat.Profile})
	if err != nil {
		return err
	}
	if errs := brcs.Errors(ds); len(errs) > 0 {
		return &InvalidError{What: what, Findings: errs}
	}
	return nil
}
