package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"yingji/internal/i18n"
	"yingji/internal/signal"
)

// A body that is not JSON, one cut short, and JSON that is not the format's
// document are three different reasons, with the byte where the JSON broke
// or the field of the wrong type.
func TestBodyReasons(t *testing.T) {
	cases := []struct{ format, body, want string }{
		{signal.FormatAlertmanager, `{"version":"4","alerts":[{"labels":{"alertname":"a"}}`, "json_truncated [53]"},
		{signal.FormatAlertmanager, `{"version":"4",,}`, "json_syntax [16]"},
		{signal.FormatAlertmanager, `not json`, "json_syntax [2]"},
		{signal.FormatAlertmanager, `[{"labels":{}}]`, "not_webhook"},
		{signal.FormatAlertmanager, `{"version":"4","alerts":"x"}`, "field_type [alerts string]"},
		{signal.FormatAlertmanager, `{"version":"3","alerts":[]}`, "webhook_version [3]"},
		{signal.FormatJSON, `{"title":"a"`, "json_truncated [12]"},
		{signal.FormatJSON, `[{"title":"a"},`, "json_truncated [15]"},
		{signal.FormatJSON, `{"title":"a"} x`, "json_syntax [15]"},
		{signal.FormatJSON, `not a JSON object or array`, "json_syntax [2]"},
		{signal.FormatJSON, "\n  {\"title\":\"a\"} x", "json_syntax [18]"}, // the byte in the body as sent
	}
	for _, c := range cases {
		_, err := Parse(c.format, []byte(c.body), now, sh)
		var why *Reason
		if !errors.As(err, &why) || reasonString(why.Code, why.Args) != c.want {
			t.Errorf("%s %s: %v, want %s", c.format, c.body, err, c.want)
		}
	}
}

// Per record: a line cut short, a line of junk and a line of JSON that is
// not an EVE record; an array element that is not a signal object.
func TestRecordReasons(t *testing.T) {
	res := ParseSuricata([]byte("{\"event_type\":\"alert\"\nnot json\n[1,2]\n{\"event_type\":\"alert\",\"alert\":{\"signature\":\"x\",\"severity\":\"high\"}}\n{\"event_type\":\"alert\",\"src_ip\":7}"), now)
	want := []string{"1 json_truncated [21]", "2 json_syntax [2]", "3 not_eve", "4 number_bad", "5 field_type [src_ip number]"}
	if got := rejects(res); !slices.Equal(got, want) {
		t.Errorf("suricata %q, want %q", got, want)
	}
	res, err := ParseJSON([]byte(`[7,{"title":"a","labels":"x"},{"title":"a","time":"today\u0000"},{"title":"a","domain":"`+strings.Repeat("x", 80)+`"}]`), now)
	want = []string{"0 not_signal", "1 field_type [labels string]", "2 time_bad [time today]", "3 domain_bad [" + strings.Repeat("x", 50) + "…]"}
	if got := rejects(res); err != nil || !slices.Equal(got, want) {
		t.Errorf("json %q %v, want %q", got, err, want)
	}
}

// Every reason code has its sentence in both languages, with as many
// places for arguments in each.
func TestReasonsInCatalogue(t *testing.T) {
	for _, code := range ReasonCodes {
		key := ReasonKey(code)
		if !i18n.Has(key) {
			t.Errorf("%s: no message %s", code, key)
			continue
		}
		zh, en := i18n.T(i18n.ZH, key), i18n.T(i18n.EN, key)
		if zh == en || strings.Count(zh, "%") != strings.Count(en, "%") {
			t.Errorf("%s: %q / %q", code, zh, en)
		}
	}
}

func reasonString(code string, args []any) string {
	if len(args) == 0 {
		return code
	}
	return code + " " + fmt.Sprint(args)
}

func rejects(res Result) []string {
	var out []string
	for _, r := range res.Rejected {
		out = append(out, fmt.Sprint(r.Line)+" "+reasonString(r.Code, r.Args))
	}
	return out
}
