package xmlcheck

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLost(t *testing.T) {
	answer := []byte(`<list xmlns="x"><item id="7" flag="1"><name> Ann </name><n>042</n><skip/><u>&lt;b&gt;</u></item><other>not an item</other></list>`)
	lost, err := Lost(answer, "item", []byte(`{"id":"7","flag":true,"name":"Ann","n":42,"extra":[{"name":"u","xml":"&lt;b&gt;"}]}`))
	require.NoError(t, err)
	assert.Empty(t, lost)
	lost, err = Lost(answer, "item", []byte(`[{"id":"7","name":"Ann"}]`))
	require.NoError(t, err)
	assert.Equal(t, []string{`list/item/@flag: "1"`, `list/item/n: "042"`, `list/item/u: "<b>"`}, lost)
}

// Text between child elements is layout, not a value; a leaf's text split
// by a comment or CDATA is one value.
func TestLeavesOnly(t *testing.T) {
	answer := []byte("<list><item>stray<a>x<!-- c -->y</a><b><![CDATA[<z>]]></b></item></list>")
	lost, err := Lost(answer, "item", []byte(`{"a":"xy"}`))
	require.NoError(t, err)
	assert.Equal(t, []string{`list/item/b: "<z>"`}, lost)
}
