package appliancetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactQuery(t *testing.T) {
	for q, want := range map[string]struct {
		out   string
		found bool
	}{
		"":                                  {"", false},
		"username=a&password=s3cret&x=%20":  {"username=a&password=REDACTED&x=%20", true},
		"pass%77ord=s3cret":                 {"pass%77ord=REDACTED", true},
		"password=":                         {"password=REDACTED", true},
		"type=rep&action=login&password2=x": {"type=rep&action=login&password2=x", false},
	} {
		out, found := redactQuery(q)
		assert.Equal(t, want.out, out, q)
		assert.Equal(t, want.found, found, q)
	}
}
