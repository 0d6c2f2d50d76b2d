// Command gendocs writes the reference pages under docs/ from the rule
// table and the catalogue. Run it from the repository's root.
package main

import (
	"log"
	"os"

	"github.com/brcs-toolkit/brcs/internal/docgen"
)

func main() {
	for path, content := range docgen.Files() {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
