package api_test

import (
	"fmt"
	"strings"
	"testing"

	"yingji/internal/testkit"
)

// postLang sends a body as a source, in a language (empty: none asked).
func postLang(t *testing.T, url, key, lang, body string) (int, map[string]any) {
	t.Helper()
	res, m := postHeaders(t, url, body, "Authorization", "Bearer "+key, "Accept-Language", lang)
	if m == nil {
		t.Fatalf("%d: the answer is not a JSON object", res.StatusCode)
	}
	return res.StatusCode, m
}

// The reasons of rejected records and of a refused body are sentences of
// the catalogue in the sender's language (Chinese unless English is asked
// for), each with its stable code and the record's own details; a body cut
// short is told from one that is not JSON.
func TestIngestReasonsInRequestLanguage(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base, clients := newServer(t, env)
	key := clients["duty"].do("POST", "/api/v1/intake/sources", `{"name":"WAF","format":"json"}`, 201)["key"].(string)
	url := base + "/api/v1/intake/json"
	body := `[{"title":"a"},{"severity":2},{"title":"c","dst_ip":"10.0.0.300"},{"title":"d","time":"昨天"}]`
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"", []string{"1 title_missing 缺少告警标题 title。", "2 ip_bad dst_ip 的值“10.0.0.300”不是 IP 地址。", "3 time_bad time 的时间“昨天”不是 RFC 3339 格式（如 2026-11-30T09:58:00+08:00）。"}},
		{"zh-CN,zh;q=0.9", []string{"1 title_missing 缺少告警标题 title。", "2 ip_bad dst_ip 的值“10.0.0.300”不是 IP 地址。", "3 time_bad time 的时间“昨天”不是 RFC 3339 格式（如 2026-11-30T09:58:00+08:00）。"}},
		{"en-US,en;q=0.9", []string{"1 title_missing title is missing.", `2 ip_bad dst_ip "10.0.0.300" is not an IP address.`, `3 time_bad time: time "昨天" is not RFC 3339 (such as 2026-11-30T09:58:00+08:00).`}},
	} {
		st, ans := postLang(t, url, key, c.lang, body)
		var got []string
		for _, r := range ans["rejected"].([]any) {
			m := r.(map[string]any)
			got = append(got, fmt.Sprintf("%v %v %v", m["line"], m["code"], m["reason"]))
		}
		if st != 200 || ans["accepted"] != 1.0 || strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q: %d %v\n got %q\nwant %q", c.lang, st, ans, got, c.want)
		}
	}

	for _, c := range []struct{ lang, body, key, detail string }{
		{"", `[{"title":"a"},{"title":`, "intake.reject.json_truncated", "JSON 不完整，到第 24 字节就中断了，内容可能被截断。"},
		{"", `{"title":"a"} x`, "intake.reject.json_syntax", "不是有效的 JSON：第 15 字节附近有语法错误。"},
		{"en", `{"title":"a"} x`, "intake.reject.json_syntax", "Not valid JSON: syntax error near byte 15."},
	} {
		st, p := postLang(t, url, key, c.lang, c.body)
		if st != 400 || p["field"] != "body" || p["message_key"] != c.key || p["detail"] != c.detail {
			t.Errorf("%q %s: %d %v, want %s %q", c.lang, c.body, st, p, c.key, c.detail)
		}
	}
}

// A format that does not exist is said to be none, with the four there
// are (400 naming format); a valid one that is not the source's names both.
func TestIngestUnknownFormat(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base, clients := newServer(t, env)
	key := clients["duty"].do("POST", "/api/v1/intake/sources", `{"name":"IDS","format":"suricata"}`, 201)["key"].(string)
	line := `{"event_type":"alert","alert":{"signature":"ET SCAN","severity":1}}`
	for _, c := range []struct{ lang, format, key, detail string }{
		{"", "eve", "intake.bad_format", "不支持的接入格式“eve”，可用：alertmanager、suricata、json、syslog。"},
		{"en", "eve", "intake.bad_format", `Unsupported format "eve"; use alertmanager, suricata, json or syslog.`},
		{"", "json", "intake.format_mismatch", "该接入源的格式是 suricata，不能按 json 接收。"},
	} {
		st, p := postLang(t, base+"/api/v1/intake/"+c.format, key, c.lang, line)
		if st != 400 || p["field"] != "format" || p["message_key"] != c.key || p["detail"] != c.detail {
			t.Errorf("%s %q: %d %v, want %q", c.format, c.lang, st, p, c.detail)
		}
	}
	if st, ans := postLang(t, base+"/api/v1/intake/suricata", key, "", line); st != 200 || ans["accepted"] != 1.0 {
		t.Errorf("the source's own format: %d %v", st, ans)
	}
}
