package docgen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsAreUpToDate fails when docs/ no longer says what the tables say:
// run go run ./scripts/gendocs.
func TestDocsAreUpToDate(t *testing.T) {
	for path, want := range Files() {
		got, err := os.ReadFile(filepath.Join("..", "..", path))
		require.NoError(t, err, "go run ./scripts/gendocs writes %s", path)
		assert.Equal(t, want, string(got), "%s is stale: go run ./scripts/gendocs", path)
	}
}

// TestCatalogueShowsParameterNotes: a parameter's Doc (why its code name
// is checked as it is) reaches docs/catalogue.md.
func TestCatalogueShowsParameterNotes(t *testing.T) {
	assert.Contains(t, Catalogue(), "`session.custom.<code_name>`: The code name is the one given to the custom field")
}
