package fsutil

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The names a hostile appliance or CSV could suggest, each refused, and
// ordinary names kept.
func TestCheckName(t *testing.T) {
	for _, bad := range []string{
		"", ".", "..", ".bashrc", "-rf", "a/b", `a\b`, "x.bin:stream", "a|b", "a?b",
		"nel\u0085x", "csi\u009b2J", "rlo\u202etxt.exe", "zw\u200bsp", "nb\u00a0sp", "tab\tx", "nl\nx",
		"CON", "con", "NUL.flv", "nul.tar.gz", "Com1", "LPT9.txt", "COM¹", "AUX .txt",
		"trailing.", "trailing ", " ", " lead", strings.Repeat("a", 256), "x##[error]y", "bad\xff",
	} {
		assert.Error(t, CheckName(bad), "%q", bad)
	}
	for _, good := range []string{"session.json", "a5eeaa58591047b88556f944804227b0-shell-0.bin", "CONSOLE.txt", "com10", "report 2015.csv", "café.txt", "x.brcs-support"} {
		assert.NoError(t, CheckName(good), good)
	}
}
