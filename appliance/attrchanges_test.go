package appliance_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
)

// The changes come in the order given: the changes given first, then the
// sets, then the clears; a value may hold "=".
func TestParseAttrChangesInOrder(t *testing.T) {
	key := append(make([]appliance.AttrChange, 0, 4), appliance.Set(appliance.ExternalKey, "INC1"))
	got, err := appliance.ParseAttrChanges(key, []string{"priority=high", "formula=a=b"}, []string{"team"})
	require.NoError(t, err)
	assert.Equal(t, []appliance.AttrChange{
		appliance.Set(appliance.ExternalKey, "INC1"),
		appliance.Set("priority", "high"),
		appliance.Set("formula", "a=b"),
		appliance.Clear("team"),
	}, got)
	assert.Zero(t, key[:2][1], "the room behind the changes given is not written to")
}

// Each error is the one session set prints after "brcsapi: ".
func TestParseAttrChangesErrors(t *testing.T) {
	for name, c := range map[string]struct {
		given         []appliance.AttrChange
		custom, clear []string
		want          string
	}{
		"no =":       {nil, []string{"priority"}, nil, `--custom "priority": write CODE_NAME=VALUE`},
		"nothing":    {nil, nil, nil, "no attribute to set or clear: give an external key, a custom NAME=VALUE or a NAME to clear"},
		"twice":      {nil, []string{"a=1"}, []string{"a"}, `attribute "a" is given twice: set or clear it once`},
		"empty key":  {[]appliance.AttrChange{appliance.Set(appliance.ExternalKey, "")}, nil, nil, `attribute "external_key": an empty value clears it; say so with clear (--clear external_key), or give a value`},
		"empty code": {nil, []string{"=x"}, nil, `attribute "": not a code name; give the custom field's code name as configured in /login > Management > API Configuration, without control or invisible characters`},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := appliance.ParseAttrChanges(c.given, c.custom, c.clear)
			assert.EqualError(t, err, c.want)
			assert.Nil(t, got)
		})
	}
}

func ExampleParseAttrChanges() {
	// As `brcsapi session set LSID --custom priority=high --clear team` has them.
	changes, err := appliance.ParseAttrChanges(nil, []string{"priority=high"}, []string{"team"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", changes) // then Client.SetSessionAttributes(ctx, lsid, changes...)
	_, err = appliance.ParseAttrChanges(nil, []string{"priority"}, nil)
	fmt.Println(err)
	// Output:
	// [{Code:priority Value:high Clear:false} {Code:team Value: Clear:true}]
	// --custom "priority": write CODE_NAME=VALUE
}
