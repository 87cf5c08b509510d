package httpx

import (
	"testing"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// The JSON text check names the path of the first string that is not
// clean text, and lets clean bodies (escapes included) through.
func TestCheckJSONText(t *testing.T) {
	for body, field := range map[string]string{
		`{"name":"青神"}`: "", `{"a":"x\ny\t\"z\\"}`: "", `{"a":"\u00e9\ud83d\ude00"}`: "", `{"a":"\\u0000 is text"}`: "",
		`{"a":[1,true,null,{"b":"c"}]}`: "", `not json \u0000`: "", `{"a":"\ufffd"}`: "",
		`{"name":"a\u0000b"}`: "name", `{"x":1,"name":"\u001B"}`: "name", `{"a":"\b"}`: "a", `{"a":"\f"}`: "a",
		`{"a":"\ud800"}`: "a", `{"a":"\udc00\ud800"}`: "a", `{"a":"\ud800\u0041"}`: "a",
		`{"incident":{"title":"\u0000"}}`: "incident.title", `{"open_items":["ok","\u0007"]}`: "open_items[1]",
		`{"fields":{"course":"\u0000"}}`: "fields.course", `{"fields":{"\u0000":"x"}}`: "fields", `["\u0000"]`: "[0]",
		`{"a":{"b":[{"c":"x"},{"c":"\u0000"}]}}`: "a.b[1].c", "{\"a\":\"\xff\"}": "a", "{\"\xff\":1}": "body",
	} {
		err := checkJSONText([]byte(body))
		if field == "" {
			if err != nil {
				t.Errorf("%s: refused %v", body, err)
			}
			continue
		}
		if e := errs.As(err); err == nil || e.Field != field || e.Key != cleantext.Key {
			t.Errorf("%s: %v, want field %s", body, err, field)
		}
	}
}
