// Command gencsv prints a CSV file of jump rows for brcsgen batch:
//
//	go run ./scripts/gencsv -n 1000 > rows.csv
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
)

func main() {
	n := flag.Int("n", 1000, "how many rows")
	flag.Parse()
	w := csv.NewWriter(os.Stdout)
	rows := [][]string{{"hostname", "method", "external-key", "custom.requester"}}
	for i := 1; i <= *n; i++ {
		rows = append(rows, []string{fmt.Sprintf("PC-%05d", i), "pinned", fmt.Sprintf("INC%07d", i), fmt.Sprintf("Caller %d & Co", i)})
	}
	if err := w.WriteAll(rows); err != nil {
		log.Fatal(err)
	}
}
