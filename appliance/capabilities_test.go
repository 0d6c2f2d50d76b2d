package appliance_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
)

func TestCapabilityListFollowsTheVersion(t *testing.T) {
	list := (&appliance.APIInfo{Version: "1.13.0"}).CapabilityList()
	require.Len(t, list, len(appliance.Capabilities))
	for i, c := range list {
		assert.Equal(t, appliance.Capabilities[i], c.Capability)
		assert.Equal(t, c.Since == "1.13.0", c.Has, c.Since)
	}
	b, err := json.Marshal(list[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"since_api_version":"1.13.0","what":"`+list[0].What+`","has":true}`, string(b))
}

func ExampleAPIInfo_CapabilityList() {
	info := &appliance.APIInfo{Version: "1.14.0"} // from Client.APIInfo
	for _, c := range info.CapabilityList()[:2] {
		fmt.Println(c.Since, c.Has)
	}
	// Output:
	// 1.13.0 true
	// 1.14.0 true
}
