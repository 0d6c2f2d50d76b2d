package fuzz

import (
	"bytes"
	"errors"
	"net/url"
	"testing"

	"github.com/brcs-toolkit/brcs/appliance"
)

// commandAnswers seed the appliance readers: an answer of each call and
// the error forms.
var commandAnswers = []string{
	`<?xml version="1.0" encoding="UTF-8"?>` + "\n\n" + `<api_information xmlns="http://www.bomgar.com/namespaces/API/command"><api_version>1.14.0</api_version><timestamp>1426258800</timestamp><permissions><permission name="perm_admin">1</permission><perm_view_reports>all_sessions</perm_view_reports></permissions><user_id>1</user_id></api_information>`,
	`<health_check xmlns="https://www.bomgar.com/namespaces/API/command"><appliance id="50adeb59">h</appliance><version>15.3.1</version><success>1</success><failover_role>primary</failover_role><enabled_shared_ips><ip>10.0.0.5</ip></enabled_shared_ips><last_data_sync_time ts="1426258800">2015-03-13T15:00:00+00:00</last_data_sync_time><last_data_sync_status>success</last_data_sync_status></health_check>`,
	`<custom_attributes><custom_attribute display_name="External Key" code_name="external_key">INC &amp; 1</custom_attribute></custom_attributes>`,
	`<success xmlns="https://www.beyondtrust.com/namespaces/API/command">Successfully terminated</success>`,
	`<error code="authentication_failed">Login failed</error>`,
	`<session_list><error>nested</error></session_list>`,
	`<!DOCTYPE html><html><body>Log in</body></html>`,
	``,
}

// checkErr fails unless err is nil or an *appliance.Error.
func checkErr(t *testing.T, err error) {
	var e *appliance.Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
}

// FuzzDecodeCommand feeds any bytes to every Command API reader: no
// panic, every error an *appliance.Error, and a successful read is
// consistent with ReadError's view of the root.
func FuzzDecodeCommand(f *testing.F) {
	for _, s := range commandAnswers {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > appliance.MaxCommandBytes {
			return // the client never reads more
		}
		_, err := appliance.ParseAPIInfo(b)
		checkErr(t, err)
		_, err = appliance.ParseHealth(b)
		checkErr(t, err)
		attrs, err := appliance.ParseAttributes(b)
		checkErr(t, err)
		if err == nil && len(attrs) > len(b) {
			t.Fatalf("%d attributes from %d bytes", len(attrs), len(b))
		}
		ok, err := appliance.ParseSuccess(b, "fuzz")
		checkErr(t, err)
		if ae, root := appliance.ReadError(bytes.NewReader(b)); ae != nil {
			if err == nil {
				t.Fatalf("an <error> root read as success %q", ok.Message)
			}
			if len(ae.Message) > 4096+1 {
				t.Fatalf("error message of %d bytes kept", len(ae.Message))
			}
		} else if err == nil && root != "success" {
			t.Fatalf("root %q read as success", root)
		}
	})
}

// FuzzQueryEncode checks that parameters encoded for a form body or query
// decode to exactly the values given, whatever they hold.
func FuzzQueryEncode(f *testing.F) {
	f.Add("session.custom.external_key", "INC1 & more+100%\nline")
	f.Add("tag", "Frequent Access")
	f.Add("k=v", "a=b&c")
	f.Fuzz(func(t *testing.T, k, v string) {
		if k == "" {
			return
		}
		p := appliance.Params{{Key: k, Value: v}, {Key: "action", Value: "x"}}
		got, err := url.ParseQuery(p.Encode())
		if err != nil {
			t.Fatalf("%q: %v", p.Encode(), err)
		}
		want := url.Values{"action": {"x"}}
		want.Add(k, v)
		if k == "action" {
			want = url.Values{"action": {v, "x"}}
		}
		if len(got) != len(want) || got.Get(k) != want.Get(k) || len(got[k]) != len(want[k]) {
			t.Fatalf("%q decodes to %v, want %v", p.Encode(), got, want)
		}
	})
}
