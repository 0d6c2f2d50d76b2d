package gen

import (
	"bufio"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
)

func catalogue(t testing.TB, name string) *brcs.Catalogue {
	t.Helper()
	c, err := brcs.LookupProfile(name)
	require.NoError(t, err)
	return c
}

// TestTypedOptionsMatchTheCatalogue fills every field of Jump and Login
// and holds every key they make to the catalogue, the one source of keys.
func TestTypedOptionsMatchTheCatalogue(t *testing.T) {
	rs := catalogue(t, "rs")
	fill := func(v any) {
		rv := reflect.ValueOf(v).Elem()
		for i := 0; i < rv.NumField(); i++ {
			if f := rv.Field(i); f.Kind() == reflect.String {
				f.SetString("x")
			}
		}
	}
	var j Jump
	fill(&j)
	j.Custom = map[string]string{"note": "x"}
	var l Login
	fill(&l)
	for _, c := range []Command{j.Command(), l.Command()} {
		a, ok := rs.Lookup(c.Action)
		require.True(t, ok)
		n := 0
		for _, p := range c.Params {
			_, ok := a.Param(p.Key)
			assert.True(t, ok, "%s takes no %q", c.Action, p.Key)
			n++
		}
		assert.Greater(t, n, 2)
	}
	assert.Len(t, j.Command().Params, reflect.TypeOf(j).NumField(), "every field of Jump makes a parameter")
}

// guideLinks reads testdata/guide/links.txt.
func guideLinks(t *testing.T) (ok, refused []string) {
	f, err := os.Open("../testdata/guide/links.txt")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "refused "):
			refused = append(refused, strings.TrimPrefix(l, "refused "))
		default:
			ok = append(ok, l)
		}
	}
	return ok, refused
}

// commandOf turns a guide link back into the typed command that makes it.
func commandOf(t *testing.T, link string) (appliance.Address, Command) {
	u, err := url.Parse(link)
	require.NoError(t, err)
	var c Command
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		v, err := url.PathUnescape(v)
		require.NoError(t, err)
		switch k {
		case "type", "operation":
		case "action":
			c.Action = v
		default:
			c.Params = append(c.Params, Param{Key: k, Value: v})
		}
	}
	a, err := appliance.ParseAddress(u.Scheme+"://"+u.Host, false)
	require.NoError(t, err)
	return a, c
}

func TestGuideLinksAreReproduced(t *testing.T) {
	ok, refused := guideLinks(t)
	require.Len(t, ok, 4)
	for _, want := range ok {
		a, c := commandOf(t, want)
		got, err := Link(a, catalogue(t, ""), c)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	require.Len(t, refused, 1)
	a, c := commandOf(t, refused[0])
	_, err := Link(a, catalogue(t, ""), c)
	assert.ErrorIs(t, err, ErrSecretInLink)
}

func TestJumpLinkFromTypedOptions(t *testing.T) {
	j := Jump{PrivateIP: "10.10.24", Method: "pinned", Custom: map[string]string{"custom_field2": "123", "custom_field1": "Custom Value"}}
	a, err := appliance.ParseAddress("https://access.example.com", false)
	require.NoError(t, err)
	got, err := Link(a, catalogue(t, ""), j.Command())
	require.NoError(t, err)
	assert.Equal(t, "https://access.example.com/api/client_script?type=rep&operation=generate&action=start_jump_item_session&client.private_ip=10.10.24&jump.method=pinned&session.custom.custom_field1=Custom%20Value&session.custom.custom_field2=123", got)
}

// The address is appliance.ParseAddress's (tested there); a link keeps
// its scheme and port.
func TestLinkKeepsTheAddress(t *testing.T) {
	a, err := appliance.ParseAddress("http://a.example:8080/", true)
	require.NoError(t, err)
	got, err := Link(a, catalogue(t, ""), Jump{Hostname: "A"}.Command())
	require.NoError(t, err)
	assert.Equal(t, "http://a.example:8080/api/client_script?type=rep&operation=generate&action=start_jump_item_session&client.hostname=A", got)
	_, err = Link(appliance.Address{}, catalogue(t, ""), Jump{Hostname: "A"}.Command())
	assert.ErrorContains(t, err, "no appliance address")
}

// injections are values that would become structure if not encoded.
var injections = []string{
	"PC&action=login", "PC%0Aaction=login", "PC\naction=delete_script_file", "PC\r\nx", "a=b", "a+b", "100%", "%41",
	"café", "\xff\xfe", "PC&client.hostname=other", strings.Repeat("x", 300), " ", "#frag", "a?b",
}

// TestInjectionsLandEncodedOrRefused puts each injection in each field of a
// jump: the command either validates with the value decoded back exactly
// and no new parameter or command, or it is refused.
func TestInjectionsLandEncodedOrRefused(t *testing.T) {
	cat := catalogue(t, "")
	fields := []func(*Jump, string){
		func(j *Jump, v string) { j.Hostname = v }, func(j *Jump, v string) { j.Comments = v },
		func(j *Jump, v string) { j.Tag = v }, func(j *Jump, v string) { j.PrivateIP = v },
		func(j *Jump, v string) { j.PublicIP = v }, func(j *Jump, v string) { j.ExternalKey = v },
		func(j *Jump, v string) { j.Custom = map[string]string{"note": v} },
		func(j *Jump, v string) { j.Method = v },
	}
	refused := 0
	for fi, set := range fields {
		for _, v := range injections {
			j := Jump{Hostname: "PC", Method: "pinned"}
			set(&j, v)
			c := j.Command()
			text := c.Encode()
			if err := c.Check(cat); err != nil {
				refused++
				continue
			}
			_, ds, err := brcs.CheckCommand(text, brcs.Options{})
			require.NoError(t, err)
			assert.False(t, brcs.HasErrors(ds), "field %d value %q: %v", fi, v, ds)
			s, err := brcs.ParseCommand(text, brcs.Options{})
			require.NoError(t, err)
			require.Len(t, s.Lines, 1, "field %d value %q made a second line: %q", fi, v, text)
			got := s.Lines[0].Command
			require.Len(t, got.Params, 1+len(c.Params), "field %d value %q changed the parameters: %q", fi, v, text)
			for i, p := range c.Params {
				assert.Equal(t, p.Value, got.Params[i+1].Value.Decoded)
			}
		}
	}
	assert.Greater(t, refused, 0, "invalid UTF-8, 300 characters and bad methods are refused")
}

func TestScriptAsTheApplianceWritesIt(t *testing.T) {
	cat := catalogue(t, "")
	got, err := Script(cat, ScriptOptions{Login: &Login{}}, Jump{Hostname: "ABCDEF02", ExternalKey: "INC0012345"}.Command())
	require.NoError(t, err)
	assert.Equal(t, "BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname=ABCDEF02&session.custom.external_key=INC0012345\naction=delete_script_file\n", string(got))
	got, err = Script(cat, ScriptOptions{CRLF: true, NoDelete: true}, Jump{Tag: "a b"}.Command())
	require.NoError(t, err)
	assert.Equal(t, "BRCS1.0\r\naction=start_jump_item_session&client.tag=a%20b\r\n", string(got))
	_, err = Script(cat, ScriptOptions{}, Jump{}.Command())
	var inv *InvalidError
	require.ErrorAs(t, err, &inv)
	assert.Contains(t, err.Error(), "needs at least one of client.comments")
}

func TestLoginScriptKeepsThePasswordOutOfErrors(t *testing.T) {
	cat := catalogue(t, "")
	_, err := Script(cat, ScriptOptions{Login: &Login{Username: "alice", Password: "hunter2\xff"}})
	require.Error(t, err, "invalid UTF-8 in the password")
	assert.NotContains(t, err.Error(), "hunter2")
	_, err = Script(cat, ScriptOptions{Login: &Login{Password: "hunter2"}})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
}

func TestRender(t *testing.T) {
	cat := catalogue(t, "")
	tmpl := []byte("BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname={{asset.name}}&jump.method={{method}}&session.custom.external_key=T-{{ticket}}\naction=delete_script_file\n")
	r, err := Render(cat, "t.brcs.tmpl", tmpl, brcs.Mustache, map[string]string{
		"asset.name": "PC 01&action=login", "method": "pinned", "ticket": "1+1=2\n%", "spare": "x",
	})
	require.NoError(t, err)
	assert.Equal(t, "BRCS1.0\naction=login\naction=start_jump_item_session&client.hostname=PC%2001%26action%3Dlogin&jump.method=pinned&session.custom.external_key=T-1%2B1%3D2%0A%25\naction=delete_script_file\n", string(r.Script))
	assert.Equal(t, []string{"spare"}, r.Unused)

	_, err = Render(cat, "t", tmpl, brcs.Mustache, map[string]string{"asset.name": "A", "method": "pinned"})
	var pe *PlaceholderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "{{ticket}}", pe.Placeholder)
	assert.Equal(t, 3, pe.Pos.Line)
	assert.Contains(t, err.Error(), "no value given for ticket")

	_, err = Render(cat, "t", tmpl, brcs.Mustache, map[string]string{"asset.name": "A", "method": "teleport", "ticket": "1"})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "{{method}}", pe.Placeholder)
	assert.Contains(t, err.Error(), "invalid-value")

	_, err = Render(cat, "t", tmpl, brcs.Mustache, map[string]string{"asset.name": strings.Repeat("a", 256), "method": "pinned", "ticket": "1"})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "{{asset.name}}", pe.Placeholder)
	assert.Contains(t, err.Error(), "value-too-long")

	_, err = Render(cat, "t", []byte("BRCS1.0\naction={{a}}\n"), brcs.Mustache, map[string]string{"a": "login"})
	var inv *InvalidError
	require.ErrorAs(t, err, &inv, "a template that is itself invalid is refused")

	r, err = Render(cat, "t", []byte("BRCS1.0\naction=start_jump_item_session&client.hostname=${h}\n"), brcs.Dollar, map[string]string{"h": "x"})
	require.NoError(t, err)
	assert.Contains(t, string(r.Script), "client.hostname=x")
}

// BenchmarkLink3 builds a 3-parameter jump link, validated.
func BenchmarkLink3(b *testing.B) {
	cat := catalogue(b, "")
	a, err := appliance.ParseAddress("https://access.example.com", false)
	if err != nil {
		b.Fatal(err)
	}
	j := Jump{Hostname: "ABCDEF02", Method: "pinned", ExternalKey: "INC0012345"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Link(a, cat, j.Command()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkURLValues3 is the baseline: url.Values.Encode of the same
// parameters (form encoding, no validation).
func BenchmarkURLValues3(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v := url.Values{}
		v.Set("type", "rep")
		v.Set("operation", "generate")
		v.Set("action", "start_jump_item_session")
		v.Set("client.hostname", "ABCDEF02")
		v.Set("jump.method", "pinned")
		v.Set("session.custom.external_key", "INC0012345")
		_ = "https://access.example.com/api/client_script?" + v.Encode()
	}
}
