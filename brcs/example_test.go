package brcs_test

import (
	"fmt"
	"os"

	"github.com/brcs-toolkit/brcs/brcs"
)

func ExampleCheck() {
	src := []byte("BRCS1.0\n" +
		"action=start_jump_item_session&client.hostname=ABCDEF02&jump.method=Pinned&session.custom.external_key=INC 42\n")
	_, findings, err := brcs.Check("jump.brcs-support", src, brcs.Options{})
	if err != nil {
		panic(err)
	}
	for _, d := range findings {
		fmt.Println(d)
	}
	// Output:
	// jump.brcs-support:2:69: error: jump.method="Pinned" is not accepted; did you mean "pinned"? (one of push, local_push, pinned, rdp, shelljump) [invalid-value]
	// jump.brcs-support:2:107: error: a space is not allowed in a url-encoded string; write %20 [illegal-character]
}

func ExampleEncode() {
	fmt.Println(brcs.Encode("Custom Value & more=1+1"))
	// Output: Custom%20Value%20%26%20more%3D1%2B1
}

func ExampleDecode() {
	s, err := brcs.Decode("caf%C3%A9%20au%20lait")
	fmt.Println(s, err)
	_, err = brcs.Decode("100%")
	fmt.Println(err)
	// Output:
	// café au lait <nil>
	// '%' must start a %XX escape with two hex digits; write %25 for a literal percent sign
}

func ExamplePrinter_Format() {
	s, err := brcs.Parse("x.brcs-support", []byte("BRCS1.0\r\naction=start_jump_item_session&client.comments=web+server%2fa&client.tag=%41B\r\n"), brcs.Options{})
	if err != nil {
		panic(err)
	}
	os.Stdout.Write(brcs.Printer{LineEnding: "\n"}.Format(s))
	// Output:
	// BRCS1.0
	// action=start_jump_item_session&client.comments=web%2Bserver%2Fa&client.tag=AB
}

func ExampleCheckCommand() {
	cmd := "action=start_jump_item_session&client.hostname=PC&action=login"
	_, findings, _ := brcs.CheckCommand(cmd, brcs.Options{})
	for _, d := range findings {
		fmt.Println(d.Rule, d.Start)
	}
	// Output: duplicate-key 1:51
}

func ExampleText_Fill() {
	tmpl := []byte("BRCS1.0\naction=start_jump_item_session&client.hostname={{asset}}&session.custom.external_key={{ticket}}\n")
	s, err := brcs.Parse("t.brcs.tmpl", tmpl, brcs.Options{Template: brcs.Mustache})
	if err != nil {
		panic(err)
	}
	vars := map[string]string{"asset": "PC 01", "ticket": "INC1&action=login"}
	for _, p := range s.Commands()[0].Params {
		filled, err := p.Value.Fill(func(name string) (string, bool) { v, ok := vars[name]; return v, ok })
		if err != nil {
			panic(err)
		}
		fmt.Println(p.Key.Raw, filled)
	}
	// Output:
	// action start_jump_item_session
	// client.hostname PC%2001
	// session.custom.external_key INC1%26action%3Dlogin
}

func ExampleLookupProfile() {
	cat, err := brcs.LookupProfile("pam-15.3")
	if err != nil {
		panic(err)
	}
	for _, a := range cat.Actions {
		fmt.Println(a.Name, a.Keys())
	}
	// Output:
	// login [mechanism username password]
	// start_jump_item_session [client.comments client.hostname client.private_ip client.public_ip client.tag jump.method session.custom.external_key session.custom.<code_name>]
	// delete_script_file []
}

func ExampleCheckFileName() {
	for _, d := range brcs.CheckFileName("my_script_file.brsc-beta60") {
		fmt.Println(d.Severity, d.Rule)
	}
	// Output: warning misspelled-extension
}

func ExampleCatalogue_KnownIn() {
	cat, err := brcs.LookupProfile("pam-15.3")
	if err != nil {
		panic(err)
	}
	fmt.Println(cat.KnownIn("start_pinned_client_session"))
	fmt.Println(cat.KnownIn("start_vpro_session"))
	// Output:
	// [pra rs]
	// [rs]
}
