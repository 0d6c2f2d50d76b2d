package appliance_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// namespaces are the namespace declarations appliances send: the guide's,
// RS 19.1's http form, PRA cloud's, later docs', and none.
var namespaces = []string{
	` xmlns="https://www.bomgar.com/namespaces/API/command"`,
	` xmlns="http://www.bomgar.com/namespaces/API/command"`,
	` xmlns="http://www.beyondtrust.com/sra/namespaces/API/command"`,
	` xmlns="https://www.beyondtrust.com/namespaces/API/command"`,
	``,
	` xmlns:c="https://www.bomgar.com/namespaces/API/command"`, // a prefix declared, unused
}

const xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n"

func TestParseAPIInfoEveryNamespace(t *testing.T) {
	for _, ns := range namespaces {
		body := xmlHead + `<api_information` + ns + `><api_version>1.14.0</api_version><timestamp>1426258800</timestamp>` +
			`<permissions><permission name="perm_use_command_api">1</permission><permission name="perm_admin">0</permission>` +
			`<permission name="perm_view_reports">team_sessions</permission><permission name="perm_backup">1</permission>` +
			`<perm_view_sd_recordings>1</perm_view_sd_recordings></permissions><user_id>42</user_id><new_element>x</new_element></api_information>`
		info, err := appliance.ParseAPIInfo([]byte(body))
		require.NoError(t, err, ns)
		assert.Equal(t, "1.14.0", info.Version)
		assert.Equal(t, 42, info.UserID)
		assert.Equal(t, time.Unix(1426258800, 0).UTC(), info.Timestamp)
		assert.Equal(t, map[string]string{"perm_use_command_api": "1", "perm_admin": "0", "perm_view_reports": "team_sessions",
			"perm_backup": "1", "perm_view_sd_recordings": "1"}, info.Permissions, "unknown permissions kept, both shapes read")
		assert.True(t, info.Has("perm_view_reports"))
		assert.False(t, info.Has("perm_admin"))
		assert.True(t, info.AtLeast("1.14.0"))
		assert.False(t, info.AtLeast("1.14.1"))
	}
	// The guide's path names the root get_api_info.
	info, err := appliance.ParseAPIInfo([]byte(`<get_api_info><api_version>1.13.0</api_version></get_api_info>`))
	require.NoError(t, err)
	assert.False(t, info.AtLeast(appliance.ImportVersion))
}

func TestParseHealthEveryNamespace(t *testing.T) {
	for _, ns := range namespaces {
		body := xmlHead + `<health_check` + ns + `><appliance id="50adeb59f0f04163b09b7591af1949ea">ip-10-156-64-136</appliance>` +
			`<version>19.1.8 (37380-749b17ca)</version><success>0</success><error_message>Disk nearly full</error_message>` +
			`<failover_role>primary</failover_role><enabled_shared_ips><ip>10.0.0.5</ip><ip>10.0.0.6</ip></enabled_shared_ips>` +
			`<last_data_sync_time ts="1426258800">2015-03-13T15:00:00+00:00</last_data_sync_time>` +
			`<last_data_sync_status>failed</last_data_sync_status><extra><deep/></extra></health_check>`
		h, err := appliance.ParseHealth([]byte(body))
		require.NoError(t, err, ns)
		assert.Equal(t, &appliance.Health{Appliance: "ip-10-156-64-136", ApplianceID: "50adeb59f0f04163b09b7591af1949ea",
			Version: "19.1.8 (37380-749b17ca)", Success: false, ErrorMessage: "Disk nearly full", FailoverRole: "primary",
			SharedIPs: []string{"10.0.0.5", "10.0.0.6"}, LastSync: time.Unix(1426258800, 0).UTC(), LastSyncStatus: "failed",
			Namespace: nsURI(ns)}, h)
	}
	// Without ts, the ISO text; without colon in the offset too.
	h, err := appliance.ParseHealth([]byte(`<health_check><success>1</success><failover_role>backup</failover_role>` +
		`<last_data_sync_time>2019-10-07T00:32:50.877+0000</last_data_sync_time></health_check>`))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2019, 10, 7, 0, 32, 50, 877e6, time.UTC), h.LastSync)
	_, err = appliance.ParseHealth([]byte(`<health_check><success>yes</success></health_check>`))
	assert.ErrorContains(t, err, `success is "yes", not 1 or 0`)
}

func nsURI(decl string) string {
	if !strings.HasPrefix(decl, ` xmlns="`) {
		return ""
	}
	return strings.TrimSuffix(strings.TrimPrefix(decl, ` xmlns="`), `"`)
}

func TestParseAttributesAndSuccessEveryNamespace(t *testing.T) {
	for _, ns := range namespaces {
		attrs, err := appliance.ParseAttributes([]byte(xmlHead + `<custom_attributes` + ns + `>` +
			`<custom_attribute display_name="External Key" code_name="external_key">INC 1 &amp; 2</custom_attribute>` +
			`<custom_attribute display_name="Priority" code_name="priority"></custom_attribute><other/></custom_attributes>`))
		require.NoError(t, err, ns)
		assert.Equal(t, []appliance.Attribute{{"external_key", "External Key", "INC 1 & 2"}, {"priority", "Priority", ""}}, attrs)
		ok, err := appliance.ParseSuccess([]byte(xmlHead+`<success`+ns+`>Session attributes were set</success>`), "set_session_attributes")
		require.NoError(t, err)
		assert.Equal(t, "Session attributes were set", ok.Message)
	}
	attrs, err := appliance.ParseAttributes([]byte(`<custom_attributes/>`))
	require.NoError(t, err)
	assert.Empty(t, attrs, "present and empty is no attribute")
	_, err = appliance.ParseSuccess([]byte(`<done>ok</done>`), "terminate_session")
	assert.ErrorContains(t, err, "answered <done>, not <success>")
}

// Root and nested <error>, in every namespace, become an *Error carrying
// the message and code, with the predicates telling the common cases.
func TestParseErrors(t *testing.T) {
	for _, ns := range namespaces {
		for _, c := range []struct {
			body           string
			msg, code      string
			auth, perm, nf bool
		}{
			{`<error` + ns + `>Login failed</error>`, "Login failed", "", true, false, false},
			{`<error` + ns + ` code="authentication_failed">Invalid credentials</error>`, "Invalid credentials", "authentication_failed", true, false, false},
			{`<error` + ns + `>Document Not Found</error>`, "Document Not Found", "", false, true, false},
			{`<error` + ns + `>Session not found or not active</error>`, "Session not found or not active", "", false, false, true},
			{`<health_check` + ns + `><error>  Something
			 broke </error></health_check>`, "Something broke", "", false, false, false},
		} {
			for _, parse := range []func([]byte) error{
				func(b []byte) error { _, err := appliance.ParseAPIInfo(b); return err },
				func(b []byte) error { _, err := appliance.ParseHealth(b); return err },
				func(b []byte) error { _, err := appliance.ParseAttributes(b); return err },
				func(b []byte) error { _, err := appliance.ParseSuccess(b, "x"); return err },
			} {
				err := parse([]byte(xmlHead + c.body))
				var e *appliance.Error
				require.True(t, errors.As(err, &e), "%s: %v", c.body, err)
				assert.Equal(t, c.msg, e.Message)
				assert.Equal(t, c.code, e.Code)
				assert.Equal(t, c.auth, appliance.IsAuth(err), c.body)
				assert.Equal(t, c.perm, appliance.IsPermission(err), c.body)
				assert.Equal(t, c.nf, appliance.IsNotFound(err), c.body)
				assert.Contains(t, err.Error(), c.msg)
			}
		}
	}
	for _, bad := range []string{"", "   ", "not xml", "<a><b></a>"} {
		_, err := appliance.ParseAPIInfo([]byte(bad))
		var e *appliance.Error
		require.True(t, errors.As(err, &e), "%q", bad)
		assert.Equal(t, appliance.Malformed, e.Kind)
	}
}

// The client reads the stand-in's answers in each of its namespace styles.
func TestClientEveryNamespaceStyle(t *testing.T) {
	for _, style := range appliancetest.NamespaceStyles {
		t.Run(fmt.Sprint(style), func(t *testing.T) {
			s, c := standIn(t, "test", "test", appliance.Options{})
			s.Update(func(d *appliancetest.Data) { d.Namespace = style })
			ctx := context.Background()
			info, err := c.APIInfo(ctx)
			require.NoError(t, err)
			assert.Equal(t, style.Namespace("command"), info.Namespace)
			assert.Equal(t, "1.14.0", info.Version)
			h, err := c.CheckHealth(ctx)
			require.NoError(t, err)
			assert.True(t, h.Success)
			_, err = c.SetSessionAttributes(ctx, appliancetest.SessionA, appliance.Set("custom_field1", "x"))
			require.NoError(t, err)
			attrs, err := c.SessionAttributes(ctx, appliancetest.SessionA)
			require.NoError(t, err)
			assert.Equal(t, []appliance.Attribute{{"custom_field1", "Custom Field 1", "x"}}, attrs)
			_, err = c.SetSessionAttributes(ctx, appliancetest.SessionA, appliance.Set("unconfigured", "x"))
			var e *appliance.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "Unknown custom field: unconfigured", e.Message)
			assert.Equal(t, style.Namespace("command"), e.Namespace)
		})
	}
}

// What the stand-in refuses as the guide says: unknown Jumpoints and
// policies, personal groups, and import_jump_shortcut before 1.14.0.
func TestStandInRefusesImports(t *testing.T) {
	s, c := standIn(t, "test", "test", appliance.Options{})
	ctx := context.Background()
	base := appliance.Shortcut{Kind: appliance.RemoteJump, Hostname: "h", Group: "remote_access", Jumpoint: "London"}
	for want, sc := range map[string]appliance.Shortcut{
		"personal Jump Group":    {Kind: appliance.LocalJump, Hostname: "h", Group: "personal_test"},
		"Invalid group":          {Kind: appliance.LocalJump, Hostname: "h", Group: "nope"},
		"Invalid jumpoint":       {Kind: appliance.RemoteJump, Hostname: "h", Group: "remote_access", Jumpoint: "Tokyo"},
		"Invalid jump_policy":    {Kind: appliance.LocalJump, Hostname: "h", Group: "remote_access", JumpPolicy: "Nope"},
		"Invalid session_policy": {Kind: appliance.LocalJump, Hostname: "h", Group: "remote_access", SessionPolicy: "Nope"},
	} {
		_, err := c.ImportJumpShortcut(ctx, sc)
		assert.ErrorContains(t, err, want)
	}
	_, err := c.ImportJumpShortcut(ctx, base)
	require.NoError(t, err)
	s.Update(func(d *appliancetest.Data) { d.APIVersion = "1.13.0" })
	_, err = c.ImportJumpShortcut(ctx, base)
	assert.ErrorContains(t, err, "Invalid action: import_jump_shortcut")
	s.View(func(d *appliancetest.Data) { assert.Len(t, d.Shortcuts, 1) })
}

// Permissions as the guide states them: get_api_info for any account, the
// other commands for administrators allowed to use the Command API, the
// backup for administrators.
func TestPermissions(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		user, pw           string
		info, health, back bool
	}{
		{"test", "test", true, true, true},
		{appliancetest.CommandUser, "commander-pw", true, false, false},
		{appliancetest.NoPermUser, "nobody-pw", true, false, false},
	} {
		_, cl := standIn(t, c.user, c.pw, appliance.Options{})
		_, err := cl.APIInfo(ctx)
		assert.Equal(t, c.info, err == nil, c.user)
		_, err = cl.CheckHealth(ctx)
		assert.Equal(t, c.health, err == nil, c.user)
		if err != nil {
			assert.True(t, appliance.IsPermission(err), "%s: %v", c.user, err)
		}
		_, err = cl.Backup(ctx, discard{})
		assert.Equal(t, c.back, err == nil, c.user)
	}
	_, cl := standIn(t, "test", "wrong", appliance.Options{})
	_, err := cl.APIInfo(ctx)
	assert.True(t, appliance.IsAuth(err))
	assert.NotContains(t, err.Error(), "wrong")
}
