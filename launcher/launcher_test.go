package launcher

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
)

func TestDescribe(t *testing.T) {
	src := "BRCS1.0\naction=login\n" +
		"action=start_jump_item_session&client.comments=front%20desk&client.tag=kiosk&jump.method=rdp&session.custom.external_key=INC1&session.custom.priority=2\n" +
		"action=start_rdp_session&target=10.0.0.5&quality=low\n" +
		"action=delete_script_file\n"
	cat, err := brcs.LookupProfile("pra")
	require.NoError(t, err)
	s, err := brcs.Parse("x", []byte(src), brcs.Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"open the access console and log in with the credentials it has saved",
		`start a Jump session to a Remote Desktop Jump Item whose comments contain "front desk" and whose tag contains kiosk, ticket INC1, with priority=2`,
		"run start_rdp_session (start a Remote Desktop session) with target=10.0.0.5 (host to connect to), quality=low (display quality)",
		"delete the script file once it has run",
	}, Describe(s, cat))
}

func TestFindConsoleOrder(t *testing.T) {
	dir := t.TempDir()
	exe := func(name string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755))
		return p
	}
	flag, env, cfg, inPath := exe("flag/c"), exe("env/c"), exe("cfg/c"), exe("path/bomgar-acc")
	home := filepath.Join(dir, "home")
	installed := exe("home/bomgar-acc-support/bomgar-acc")
	getenv := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	all := map[string]string{"BRCS_CONSOLE": env, "PATH": filepath.Dir(inPath), "HOME": home}
	for _, c := range []struct {
		s    ConsoleSearch
		want string
	}{
		{ConsoleSearch{Flag: flag, Config: cfg, Env: getenv(all), GOOS: "linux"}, flag},
		{ConsoleSearch{Config: cfg, Env: getenv(all), GOOS: "linux"}, env},
		{ConsoleSearch{Config: cfg, Env: getenv(map[string]string{"PATH": filepath.Dir(inPath), "HOME": home}), GOOS: "linux"}, cfg},
		{ConsoleSearch{Env: getenv(map[string]string{"PATH": filepath.Dir(inPath), "HOME": home}), GOOS: "linux"}, inPath},
		{ConsoleSearch{Env: getenv(map[string]string{"PATH": "relative/dir", "HOME": home}), GOOS: "linux"}, installed},
	} {
		got, err := FindConsole(c.s)
		require.NoError(t, err)
		assert.Equal(t, c.want, got)
	}
	notExec := filepath.Join(dir, "plain")
	require.NoError(t, os.WriteFile(notExec, nil, 0o644))
	_, err := FindConsole(ConsoleSearch{Flag: notExec, Env: getenv(nil)})
	assert.ErrorContains(t, err, "not executable")
	_, err = FindConsole(ConsoleSearch{Env: getenv(map[string]string{"ProgramFiles": `C:\Program Files`}), GOOS: "windows"})
	var nf *NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, err.Error(), filepath.Join(`C:\Program Files`, "Bomgar", "Representative Console", "*", "bomgar-rep.exe"))
}

func TestBatchFileConsoleIsRefused(t *testing.T) {
	_, err := start(t.Context(), Options{Console: "/x/console.cmd", Wait: true}, []string{"--run-script", "action=login"})
	assert.ErrorContains(t, err, "batch file")
	_, err = start(t.Context(), Options{Console: "relative", Wait: true}, nil)
	assert.ErrorContains(t, err, "not absolute")
}

func TestShowOriginDropsTheQuery(t *testing.T) {
	shown, host := showOrigin("https://access.example.com/api/client_script?type=rep&action=login&password=hunter2")
	assert.Equal(t, "https://access.example.com/api/client_script", shown)
	assert.Equal(t, "access.example.com", host)
	shown, host = showOrigin("not a url?password=hunter2")
	assert.Equal(t, "not a url", shown, "an origin with no host is still shown, without its query")
	assert.Empty(t, host, "and has no host an allow-list could admit")
	assert.Equal(t, "https://a.example/x", hostURL("[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://b.example/\r\nHostUrl=https://a.example/x\r\n"))
}

// TestDetachedLaunchWithoutHelperRemovesTheCopy: with no Helper, this
// process waits for the console in the background and removes the copy.
func TestDetachedLaunchWithoutHelperRemovesTheCopy(t *testing.T) {
	tmp := t.TempDir()
	path := filepath.Join(t.TempDir(), "jump.brcs-support")
	require.NoError(t, os.WriteFile(path, []byte("BRCS1.0\naction=start_jump_item_session&client.hostname=PC01\n"), 0o644))
	r, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Yes: true, TempDir: tmp})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(r.Copy, tmp))
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		left, _ := filepath.Glob(filepath.Join(tmp, "brcslaunch-*"))
		if len(left) == 0 {
			break
		}
		require.False(t, time.Now().After(deadline), "the copy is still there: %v", left)
	}
}
