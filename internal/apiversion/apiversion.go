// Package apiversion compares the dotted API versions appliances report
// (get_api_info's api_version): the client asks what a version has, and
// the stand-in answers as that version would, by the one comparison.
package apiversion

import (
	"cmp"
	"strconv"
	"strings"
)

// Compare compares dotted version numbers part by part, as numbers
// (1.9.0 < 1.14.0); a missing part counts as 0 (1.14 == 1.14.0), as does
// a part that is no number. The result is -1, 0 or +1.
func Compare(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}
