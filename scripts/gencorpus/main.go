// Command gencorpus writes a corpus of BRCS files for benchmarks: mostly
// valid scripts, some broken ones and some templates, all different.
//
//	go run ./scripts/gencorpus -n 10000 -o DIR
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := flag.Int("n", 10000, "how many files")
	out := flag.String("o", "corpus", "folder to write them in")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < *n; i++ {
		name, body := file(i)
		if err := os.WriteFile(filepath.Join(*out, name), []byte(body), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// file returns the i-th file: 6 in 10 valid scripts, 2 in 10 broken ones,
// 2 in 10 templates.
func file(i int) (string, string) {
	var b strings.Builder
	b.WriteString("BRCS1.0\naction=login\n")
	host := fmt.Sprintf("PC-%05d", i)
	ticket := fmt.Sprintf("INC%07d", i)
	switch i % 10 {
	case 6, 7: // broken: raw space, form-encoded plus, bad enum
		fmt.Fprintf(&b, "action=start_jump_item_session&client.hostname=%s&client.comments=front desk+%d&jump.method=Pinned&session.custom.external_key=%s\n", host, i, ticket)
		b.WriteString("action=delete_script_file\n")
		return fmt.Sprintf("broken-%05d.brcs-support", i), b.String()
	case 8, 9: // template
		b.WriteString("action=start_jump_item_session&client.hostname={{asset.name}}&jump.method=pinned&session.custom.external_key={{ticket.number}}\n")
		fmt.Fprintf(&b, "action=start_jump_item_session&client.tag=site%%20%d&session.custom.requester={{caller}}\n", i)
		b.WriteString("action=delete_script_file\n")
		return fmt.Sprintf("template-%05d.brcs.tmpl", i), b.String()
	}
	fmt.Fprintf(&b, "action=start_jump_item_session&client.hostname=%s&jump.method=pinned&session.custom.external_key=%s\n", host, ticket)
	fmt.Fprintf(&b, "action=start_jump_item_session&client.comments=maintenance%%20window%%20%d&client.tag=server&session.custom.custom_field1=Custom%%20Value\n", i)
	b.WriteString("action=delete_script_file\n")
	return fmt.Sprintf("jump-%05d.brcs-support", i), b.String()
}
