package store

import (
	"encoding/json"
	"testing"
)

func TestLabelsJSON(t *testing.T) {
	for _, m := range []map[string]string{nil, {}, {"alertname": "HighCPU", "instance": "10.1.2.3:9100", "job": "node"},
		{"b": "主机", "a": ""}, {"x": "a<b"}, {"x": "\x01"}, {"x": "\xff"}, {"x": "a\u2028b"}, {"q": `"`}} {
		want, _ := json.Marshal(m)
		if len(m) == 0 {
			want = []byte("{}")
		}
		if got := labelsJSON(m); got != string(want) {
			t.Errorf("%q: got %s, want %s", m, got, want)
		}
	}
}

// FuzzLabelsJSON: labelsJSON writes what json.Marshal writes.
func FuzzLabelsJSON(f *testing.F) {
	f.Add("alertname", "HighCPU", "instance", "10.1.2.3:9100")
	f.Add("a", "主机<>", "b\u2028", "\xff")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		m := map[string]string{k1: v1, k2: v2}
		want, _ := json.Marshal(m)
		if got := labelsJSON(m); got != string(want) {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
}
