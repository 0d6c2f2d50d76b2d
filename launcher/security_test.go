package launcher

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/testutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

const attacks = "../testdata/attacks/"

const jump = "BRCS1.0\naction=start_jump_item_session&client.hostname=ABCDEF02\naction=delete_script_file\n"

// A file's name is the attacker's to choose; it must not rewrite the
// prompt (cursor moves, concealed text, new lines, reversed text).
func TestSummaryEscapesTheFileName(t *testing.T) {
	for _, name := range testutil.Corpus(t, attacks+"filenames.txt") {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(jump), 0o644); err != nil {
			t.Logf("this system cannot make %q: %v", name, err)
			continue
		}
		var p recorder
		r, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &p})
		if err != nil {
			testutil.AssertShownSafely(t, err.Error())
			continue
		}
		require.Len(t, p.texts, 1)
		testutil.AssertShownSafely(t, p.texts[0])
		testutil.AssertShownSafely(t, r.Summary)
		first, _, _ := strings.Cut(r.Summary, "\n")
		assert.Contains(t, first, textsafe.Quote(name), "the name is shown whole, escaped, on the first line")
		assert.True(t, strings.HasSuffix(first, ", for site support, will:"), first)
	}
}

func TestSummaryEscapesValues(t *testing.T) {
	for _, v := range testutil.Corpus(t, attacks+"values.txt") {
		m := brcs.NewCommand("start_jump_item_session", []brcs.KeyValue{{Key: "client.hostname", Value: "A"}, {Key: "session.custom.note", Value: v}})
		s, err := brcs.Parse("x", []byte("BRCS1.0\n"+m.String()+"\n"), brcs.Options{})
		require.NoError(t, err)
		cat, _ := brcs.LookupProfile("")
		d := Describe(s, cat)
		require.Len(t, d, 1)
		assert.NotContains(t, d[0], "\n")
		testutil.AssertShownSafely(t, d[0])
		assert.Contains(t, d[0], "note="+textsafe.Quote(v))
	}
}

// A 90 KB value cannot push the real first command out of view: each
// value is cut, with a note of how much was left out.
func TestSummaryCapsLongValues(t *testing.T) {
	long := strings.Repeat("A", 90<<10)
	src := "BRCS1.0\naction=start_jump_item_session&client.hostname=" + long + "\naction=delete_script_file\n"
	s, err := brcs.Parse("x", []byte(src), brcs.Options{})
	require.NoError(t, err)
	cat, _ := brcs.LookupProfile("")
	d := Describe(s, cat)
	assert.Less(t, len(d[0]), 2*MaxValueShown)
	assert.Contains(t, d[0], "more bytes not shown")

	// The whole summary has a cap too: past it the script is refused, not
	// shown in part.
	var b strings.Builder
	b.WriteString("BRCS1.0\naction=start_jump_item_session&client.hostname=A")
	for i := range 60 {
		b.WriteString("&session.custom.f" + strings.Repeat("x", 20) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "=" + strings.Repeat("v", 150))
	}
	b.WriteString("\n")
	path := filepath.Join(t.TempDir(), "big.brcs-support")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	var p recorder
	_, err = LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &p})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than the 8192 a confirmation shows")
	assert.Empty(t, p.texts, "nobody is asked about a summary too long to show")
}

// A summary under MaxSummary could still be taller than a screen: in a
// GTK dialog on a 1024x768 screen, 40 custom fields of 120 characters
// pushed the second command, a jump to EVIL01 over RDP, and the Yes and
// No buttons below the screen's edge. Such a script is refused, whatever
// asks; a full script of ordinary size is asked.
func TestSummaryTallerThanAScreenIsRefused(t *testing.T) {
	var fields []string
	for i := range 40 {
		fields = append(fields, fmt.Sprintf("session.custom.f%02d=%s", i, strings.Repeat("B", 120)))
	}
	src := "BRCS1.0\naction=start_jump_item_session&client.hostname=ABCDEF02&" + strings.Join(fields, "&") +
		"\naction=start_jump_item_session&client.hostname=EVIL01&jump.method=rdp\n"
	path := filepath.Join(t.TempDir(), "tall.brcs-support")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	var p recorder
	_, err := LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &p})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lines")
	assert.Empty(t, p.texts, "nobody is asked about a summary taller than a screen")

	var cmds []string
	for range 9 {
		cmds = append(cmds, "action=start_jump_item_session&client.hostname=ABCDEF02&jump.method=pinned&session.custom.external_key=INC0012345")
	}
	path = filepath.Join(t.TempDir(), "full.brcs-support")
	require.NoError(t, os.WriteFile(path, []byte("BRCS1.0\n"+strings.Join(cmds, "\n")+"\naction=delete_script_file\n"), 0o644))
	_, err = LaunchFile(context.Background(), path, Options{Console: "/bin/true", Wait: true, Prompter: &p})
	require.NoError(t, err)
	assert.Len(t, p.texts, 1, "ten ordinary commands are asked")
}

// Every key of every action of every profile is mentioned in the summary:
// a key the summary leaves out (credential_id, say) changes what the
// console does unseen.
func TestSummaryMentionsEveryKey(t *testing.T) {
	for _, profile := range brcs.Profiles() {
		cat, err := brcs.LookupProfile(profile)
		require.NoError(t, err)
		for _, a := range cat.Actions {
			for i, spec := range a.Params {
				key, value := spec.Name, "v"+strings.Repeat("q", i)+"Z"
				if spec.Prefix {
					key += "probe"
				}
				if len(spec.Values) > 0 {
					value = spec.Values[len(spec.Values)-1]
				}
				m := brcs.NewCommand(a.Name, []brcs.KeyValue{{Key: key, Value: value}})
				s, err := brcs.Parse("x", []byte("BRCS1.0\n"+m.String()+"\n"), brcs.Options{})
				require.NoError(t, err)
				d := Describe(s, cat)
				require.Len(t, d, 1)
				what := profile + " " + a.Name + " " + key + ": " + d[0]
				switch {
				case spec.Secret:
					assert.NotContains(t, d[0], value, what)
					assert.Contains(t, d[0], "(not shown)", what)
				case spec.ValueWords[value] != "":
					assert.Contains(t, d[0], spec.ValueWords[value], what)
				default:
					assert.Contains(t, d[0], value, what)
				}
			}
		}
	}
}

// The rs profile's credential_id (a credential to inject) is said.
func TestSummarySaysCredentialID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.brcs-support")
	require.NoError(t, os.WriteFile(path, []byte("BRCS1.0\naction=start_jump_item_session&client.hostname=ABC&credential_id=42\n"), 0o644))
	var p recorder
	r, err := LaunchFile(context.Background(), path, Options{Profile: "rs", Console: "/bin/true", Wait: true, Prompter: &p})
	require.NoError(t, err)
	assert.Contains(t, r.Summary, "credential_id=42 (credential to inject)")
}

type recorder struct{ texts []string }

func (r *recorder) Confirm(title, text string) (bool, error) {
	r.texts = append(r.texts, text)
	return true, nil
}
func (r *recorder) Alert(title, text string) error { return nil }

// A Zone.Identifier line over 64 KiB stopped bufio.Scanner, and HostUrl
// after it was never seen.
func TestHostURLAfterALongLine(t *testing.T) {
	zone := "[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://b.example/" + strings.Repeat("r", 70<<10) + "\r\nHostUrl=https://evil.example/x\r\n"
	assert.Equal(t, "https://evil.example/x", hostURL(zone))
}
