package ingest

import (
	"encoding/json"
	"reflect"
	"testing"
)

// webhookCases are bodies decodeWebhook must take itself (ok) and decode as
// encoding/json does, and bodies it must leave to encoding/json.
var webhookCases = []struct {
	body string
	fast bool
}{
	{`{"version":"4","groupKey":"{}:{}","truncatedAlerts":0,"status":"firing","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093","alerts":[{"status":"firing","labels":{"alertname":"KnownAlert3","instance":"10.1.0.3:9100","job":"node","severity":"warning"},"annotations":{"summary":"主机 CPU 使用率过高","description":"CPU above 90% for 5 minutes"},"startsAt":"2026-11-30T02:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=up","fingerprint":"known-3"}]}`, true},
	// Go's encoder writes <, > and & as \u escapes; strings with escapes
	// are unquoted by encoding/json.
	{` {"version" : "4", "alerts" : [ {"labels":{"alertname":"a\u0026b","x\ty":"\"q\""},"annotations":{"description":"line\nline \ud83d\ude00"},"extra":[1,-2.5e+3,true,false,null,{"a":[]}]} ] } `, true},
	{`{"version":"4","alerts":[]}`, true},
	{`{}`, true},
	{`{"version":"4","alerts":[{}]}`, true},
	{"{\"version\":\"4\",\"alerts\":[{\"labels\":{\"alertname\":\"bad \xff utf8\"}}]}", true},
	{`{"version":"4","alerts":[{"labels":{"alertname":"a","alertname":"b"}}]}`, true}, // the later key wins in a map

	{amBody, false},                          // an alert that is a number: encoding/json names it
	{`{"Version":"4","alerts":[]}`, false},   // matches a field ignoring case
	{`{"version":"4","version":"4"}`, false}, // a field twice
	{`{"version":4}`, false},                 // a number where a string is
	{`{"version":"4","alerts":[{"labels":null}]}`, false},
	{`{"version":"4","alerts":[{"labels":{"a":1}}]}`, false},
	{`{"version":"4","alerts":null}`, false},
	{`{"version":"4"} x`, false},
	{`{"version":"4","n":01}`, false},
	{`{"version":"4","n":"a` + "\x01" + `"}`, false},
	{`{"versio\u006e":"4"}`, false},
	{`[]`, false},
	{``, false},
}

func TestDecodeWebhook(t *testing.T) {
	for _, c := range webhookCases {
		got, ok := decodeWebhook([]byte(c.body))
		if ok != c.fast {
			t.Errorf("%.60s: ok %v, want %v", c.body, ok, c.fast)
			continue
		}
		if ok {
			var want amTyped
			if err := json.Unmarshal([]byte(c.body), &want); err != nil {
				t.Errorf("%.60s: taken, but encoding/json says %v", c.body, err)
			} else if !reflect.DeepEqual(got, want) {
				t.Errorf("%.60s:\n got %+v\nwant %+v", c.body, got, want)
			}
		}
	}
}

// FuzzDecodeWebhook: whatever decodeWebhook takes, encoding/json takes too
// and decodes to the same value.
func FuzzDecodeWebhook(f *testing.F) {
	for _, c := range webhookCases {
		f.Add([]byte(c.body))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := decodeWebhook(b)
		if !ok {
			return
		}
		var want amTyped
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("taken, but encoding/json says %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v\nwant %+v", got, want)
		}
	})
}

func BenchmarkDecodeWebhook(b *testing.B) {
	body := []byte(webhookCases[0].body)
	b.Run("hand", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			decodeWebhook(body)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var t amTyped
			json.Unmarshal(body, &t)
		}
	})
}
