package apiconfig_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/apiconfig"
)

func getenv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
	return p
}

func TestFlagBeatsEnvironmentBeatsFile(t *testing.T) {
	cfg := writeFile(t, "c.yaml", "appliance: https://file.example\nusername: file-user\nclient_id: file-id\nrate: 5\n")
	in := apiconfig.Inputs{Getenv: getenv(map[string]string{
		apiconfig.EnvConfig: cfg, apiconfig.EnvUsername: "env-user", apiconfig.EnvAppliance: "https://env.example",
	}), Flags: apiconfig.Flags{Appliance: "https://flag.example", Rate: 20}}
	s, err := in.Settings()
	require.NoError(t, err)
	assert.Equal(t, "https://flag.example", s.Appliance)
	assert.Equal(t, "env-user", s.Username)
	assert.Equal(t, "file-id", s.ClientID)
	assert.Equal(t, 5.0, s.Rate, "the file's rate wins over --rate's default")
	in.Flags.RateSet = true
	s, err = in.Settings()
	require.NoError(t, err)
	assert.Equal(t, 20.0, s.Rate, "a given --rate wins")
	assert.True(t, s.HasAccount())
}

func TestConfigFileErrorsNameTheKey(t *testing.T) {
	cfg := writeFile(t, "c.yaml", "appliance: https://a.example\npassword: hunter2\n")
	_, err := apiconfig.Inputs{Getenv: getenv(nil), Flags: apiconfig.Flags{Config: cfg}}.Settings()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--config "+cfg+": line 2: password is not a setting; put the password in a file (0600) and name it with password_file")
	assert.NotContains(t, err.Error(), "hunter2")

	_, err = apiconfig.Inputs{Getenv: getenv(nil)}.Settings()
	assert.EqualError(t, err, "give the appliance: --appliance https://HOST, $BRCSAPI_APPLIANCE, or appliance: in --config")
}

func TestSecretSources(t *testing.T) {
	file := writeFile(t, "pw", "from-file\r\n")
	cfFile := writeFile(t, "pw2", "from-config\n")
	s := apiconfig.Settings{PasswordFile: cfFile}
	env := map[string]string{apiconfig.EnvPassword: "from-env"}
	for _, tc := range []struct {
		in   apiconfig.Inputs
		want string
	}{
		{apiconfig.Inputs{Getenv: getenv(env), Stdin: strings.NewReader("from-stdin\n"), Flags: apiconfig.Flags{PasswordStdin: true}}, "from-stdin"},
		{apiconfig.Inputs{Getenv: getenv(env), Flags: apiconfig.Flags{PasswordFile: file}}, "from-file"},
		{apiconfig.Inputs{Getenv: getenv(env)}, "from-env"},
		{apiconfig.Inputs{Getenv: getenv(nil)}, "from-config"},
	} {
		got, err := tc.in.Password(s)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
	_, err := apiconfig.Inputs{Getenv: getenv(nil), Flags: apiconfig.Flags{PasswordStdin: true, PasswordFile: file}}.Password(s)
	assert.EqualError(t, err, "give the password with --password-file or --password-stdin, not both")
	_, err = apiconfig.Inputs{Getenv: getenv(nil)}.ClientSecret(apiconfig.Settings{})
	assert.EqualError(t, err, "this needs the account's client secret: --client-secret-file FILE, --client-secret-stdin or $BRCSAPI_CLIENT_SECRET (never an argument)")
	_, err = apiconfig.Inputs{Getenv: getenv(nil), Stdin: strings.NewReader(strings.Repeat("x", 4097)), Flags: apiconfig.Flags{PasswordStdin: true}}.Password(s)
	assert.EqualError(t, err, "the password (--password-stdin) is longer than 4096 bytes")
	_, err = apiconfig.Inputs{Getenv: getenv(nil), Stdin: strings.NewReader("\n"), Flags: apiconfig.Flags{PasswordStdin: true}}.Password(s)
	assert.EqualError(t, err, "the password (--password-stdin) is empty")
}

func TestTokenCache(t *testing.T) {
	dir, err := apiconfig.TokenCache(apiconfig.Settings{TokenCache: "off"})
	require.NoError(t, err)
	assert.Empty(t, dir, "memory only")
	dir, err = apiconfig.TokenCache(apiconfig.Settings{TokenCache: "/srv/tokens"})
	require.NoError(t, err)
	assert.Equal(t, "/srv/tokens", dir)
}

func TestClientRefusesTwoAccountsAndHTTPWithAPIAccount(t *testing.T) {
	in := apiconfig.Inputs{Getenv: getenv(nil), Flags: apiconfig.Flags{Appliance: "https://a.example", ClientID: "id", Username: "u"}}
	_, err := in.Client(appliance.Options{}, true, nil)
	assert.EqualError(t, err, `both an API account (client id id) and a user name (u) are given: choose one (an API account with --client-id, or a user account with --username)`)
	_, err = in.Client(appliance.Options{}, false, nil)
	assert.NoError(t, err, "without credentials the accounts are not looked at")

	in.Flags.Username, in.Flags.AllowHTTP = "", true
	_, err = in.Client(appliance.Options{}, true, nil)
	assert.EqualError(t, err, "--allow-http cannot be used with an API account: API accounts work over HTTPS only")

	in = apiconfig.Inputs{Getenv: getenv(nil), Flags: apiconfig.Flags{Appliance: "https://a.example"}}
	_, err = in.Client(appliance.Options{}, true, nil)
	assert.ErrorContains(t, err, "this needs an account")
}

func TestClientWarnsOfAPasswordInTheURL(t *testing.T) {
	in := apiconfig.Inputs{Getenv: getenv(map[string]string{apiconfig.EnvPassword: "pw"}),
		Flags: apiconfig.Flags{Appliance: "https://a.example", Username: "u"}}
	var warned []string
	_, err := in.Client(appliance.Options{Method: "GET"}, true, func(m string) { warned = append(warned, m) })
	require.NoError(t, err)
	assert.Equal(t, []string{"--method get puts the password in the URL, where proxies and access logs keep it"}, warned)
}

func ExampleInputs_Client() {
	in := apiconfig.Inputs{
		Flags:  apiconfig.Flags{Appliance: "https://support.example.com", Username: "api-user"},
		Getenv: func(k string) string { return map[string]string{apiconfig.EnvPassword: "s3cret"}[k] },
	}
	cl, err := in.Client(appliance.Options{}, true, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cl.Base())
	// Output: https://support.example.com
}
