package api

import (
	"bytes"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// allStrings collects every string in v (fields, map keys and values,
// slice elements, through pointers).
func allStrings(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			allStrings(v.Elem(), out)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			allStrings(v.Field(i), out)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			allStrings(v.Index(i), out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			allStrings(k, out)
			allStrings(v.MapIndex(k), out)
		}
	}
}

// Whatever the body, decode either refuses it as Invalid or hands over only
// clean text, and never makes up a U+FFFD that the client did not send.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"title":"县政府网站被篡改","category":"network_attack","level":2,"discovered_at":"2026-11-28T08:00:00+08:00","description":"首页\n被植入"}`,
		`{"what":"县医院网站无法访问","incident":{"title":"\u0000","category":"x","level":4}}`,
		`{"name":"a\u0000b","kind":"其他","credit_code":"91511425MA6X00002T"}`,
		"{\"name\":\"\xff\xfe\",\"kind\":\"企业\"}",
		`{"title":"x","fields":{"course":"\ud800","measures":"\ud83d\ude00"}}`,
		`{"status":"done","note":"\b"}`, `{"notes":"x","open_items":["a","\u001f"]}`, `{"a":1}`, `[]`, ``, `{"name":"\ufffd"}`,
	} {
		f.Add([]byte(s))
	}
	targets := []func() any{
		func() any { return new(createIncidentBody) }, func() any { return new(assignBody) }, func() any { return new(logBody) }, func() any { return new(unitJSON) },
		func() any { return new(editReportBody) }, func() any { return new(taskBody) }, func() any { return new(handoverBody) },
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, mk := range targets {
			v := mk()
			r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(raw))
			if err := decode(r, v); err != nil {
				if errs.As(err).Code != errs.Invalid {
					t.Fatalf("error of the wrong kind: %v", err)
				}
				continue
			}
			if !utf8.Valid(raw) {
				t.Fatalf("accepted invalid UTF-8: %q", raw)
			}
			var ss []string
			allStrings(reflect.ValueOf(v), &ss)
			sent := bytes.Count(raw, []byte("\ufffd")) + strings.Count(strings.ToLower(string(raw)), `\ufffd`)
			for _, s := range ss {
				if !cleantext.OK(s) {
					t.Fatalf("accepted %q from %q", s, raw)
				}
				sent -= strings.Count(s, "\ufffd")
			}
			if sent < 0 {
				t.Fatalf("U+FFFD made up from %q", raw)
			}
		}
	})
}
