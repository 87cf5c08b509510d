package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"yingji/internal/testkit"
)

// GET /api/v1/audit/records takes the 审计记录 page's filters: an
// incident's records by its number, one person's, newest first with a
// cursor; bad filters are problems naming the field.
func TestAPIAuditRecordsFilters(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		in := testkit.NewIncident(t, env, "network_attack")
		testkit.Activate(t, env, in)
		aud := c["auditor"]

		recs := aud.do("GET", "/api/v1/audit/records?incident="+in.Number, "", 200)["items"].([]any)
		var got []string
		for _, r := range recs {
			got = append(got, r.(map[string]any)["action"].(string))
		}
		if s := strings.Join(got, " "); !strings.HasPrefix(s, "incident.create") || !strings.Contains(s, "approval.decide") {
			t.Fatalf("the incident's records, oldest first: %s", s)
		}

		page := aud.do("GET", "/api/v1/audit/records?actor=duty&order=desc&limit=1", "", 200)
		items := page["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["actor"] != "duty" || page["next_before"] == nil {
			t.Fatalf("duty's newest: %v", page)
		}
		next := id(page["next_before"])
		older := aud.do("GET", "/api/v1/audit/records?actor=duty&order=desc&limit=1&before="+next, "", 200)["items"].([]any)
		if len(older) != 1 || num(id(older[0].(map[string]any)["seq"])) >= num(next) {
			t.Fatalf("older page %v below %s", older, next)
		}

		for q, field := range map[string]string{
			"from=2026-02-30":                 "from",
			"action=incident.vanish":          "action",
			"incident=QS-2099-999":            "incident",
			"order=sideways":                  "order",
			"actor=" + url.QueryEscape("张 三"): "actor",
		} {
			if p := aud.do("GET", "/api/v1/audit/records?"+q, "", 400); p["field"] != field && !strings.Contains(toString(p), `"`+field+`"`) {
				t.Errorf("%s: problem %v does not name %s", q, p, field)
			}
		}
		c["duty"].do("GET", "/api/v1/audit/records?incident="+in.Number, "", 403)
	})
}

func num(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }

func toString(m map[string]any) string {
	var b strings.Builder
	for k, v := range m {
		b.WriteString(k + "=")
		if s, ok := v.(string); ok {
			b.WriteString(`"` + s + `"`)
		} else if l, ok := v.([]any); ok {
			for _, e := range l {
				if em, ok := e.(map[string]any); ok {
					b.WriteString(toString(em))
				}
			}
		}
		b.WriteString(" ")
	}
	return b.String()
}
