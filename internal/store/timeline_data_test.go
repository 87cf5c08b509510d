package store

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDecodeFlat(t *testing.T) {
	for _, m := range []map[string]string{
		{"text": "已启用流量清洗"},
		{"title": "封堵攻击源", "from": "todo", "to": "doing", "note": "已联系运营商"},
		{"text": `带"引号"和\反斜杠`},
		{"text": "<script>&"},
		{"a": "", "b": "x"},
	} {
		b, _ := json.Marshal(m)
		got, err := decodeFlat(string(b))
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("%s: %v %v", b, got, err)
		}
	}
	for _, bad := range []string{`{"a":1}`, `{"a":"b"`, `[]`, `{"a":"b",}`} {
		if _, err := decodeFlat(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func FuzzDecodeFlat(f *testing.F) {
	f.Add(`{"text":"x"}`)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeFlat(s)
		var want map[string]string
		werr := json.Unmarshal([]byte(s), &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: fast %v, json %v", s, err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("%q: fast %v, json %v", s, got, want)
		}
	})
}
