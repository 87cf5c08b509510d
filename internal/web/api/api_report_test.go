package api_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"yingji/internal/testkit"
)

// get fetches a file and returns its bytes and content type.
func (c *client) get(path string, wantStatus int) ([]byte, string) {
	c.t.Helper()
	st, b, h := c.raw("GET", path, "", nil)
	if st != wantStatus {
		c.t.Fatalf("GET %s: %d, want %d: %s", path, st, wantStatus, b)
	}
	return b, h.Get("Content-Type")
}

func TestAPIReports(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, chief, city := c["duty"], c["chief"], c["citydeputy"]
		disc := env.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
		in := duty.do("POST", "/api/v1/incidents", `{"title":"县政府网站被篡改","category":"network_attack","level":2,"discovered_at":"`+disc+`","description":"首页被植入非法内容"}`, 201)
		iid := id(in["id"])
		duty.activate(chief, iid, "重要会议期间网站遭篡改")
		duty.do("POST", "/api/v1/incidents/"+iid+"/notes", `{"text":"已恢复首页，固定篡改痕迹"}`, 201)

		bad := duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"weekly"}`, 400)
		if bad["field"] != "kind" {
			t.Fatalf("bad kind: %v", bad)
		}
		duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"daily","extra":1}`, 400)
		r := duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"daily"}`, 201)
		rid := id(r["id"])
		if r["status"] != "draft" || r["seq"].(float64) != 1 || !strings.HasSuffix(r["due_at"].(string), "17:00:00+08:00") || len(r["sources"].([]any)) == 0 {
			t.Fatalf("draft %v", r)
		}
		if f := r["fields"].(map[string]any); !strings.Contains(f["course"].(string), "已恢复首页") {
			t.Fatalf("course %v", f["course"])
		}
		duty.do("PATCH", "/api/v1/reports/"+rid, `{"fields":{"colour":"red"}}`, 400)
		p := duty.do("PATCH", "/api/v1/reports/"+rid, `{"fields":{"impact":"网站已恢复访问。"}}`, 200)
		if p["fields"].(map[string]any)["impact"] != "网站已恢复访问。" {
			t.Fatalf("patched %v", p)
		}
		duty.do("POST", "/api/v1/reports/"+rid+"/signoff-request", "", 200)
		duty.do("POST", "/api/v1/reports/"+rid+"/signoff", "", 403)
		duty.do("POST", "/api/v1/reports/"+rid+"/submit", "", 409)
		s := chief.do("POST", "/api/v1/reports/"+rid+"/signoff", "", 200)
		if s["status"] != "signed" || s["doc_number"] != "青公网安〔2026〕1号" || len(s["sha256"].(string)) != 64 {
			t.Fatalf("signed %v", s)
		}
		duty.do("PATCH", "/api/v1/reports/"+rid, `{"title":"改"}`, 409)
		sub := duty.do("POST", "/api/v1/reports/"+rid+"/submit", "", 200)
		if sub["status"] != "submitted" || sub["submitted_at"] == nil || len(sub["submissions"].([]any)) != 3 {
			t.Fatalf("submitted %v", sub)
		}
		got := duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		var dl map[string]any
		for _, d := range got["deadlines"].([]any) {
			if d.(map[string]any)["kind"] == "daily_report" {
				dl = d.(map[string]any)
				break
			}
		}
		if dl == nil || dl["state"] != "on_time" {
			t.Fatalf("deadlines %v", got["deadlines"])
		}

		docx, ct := duty.get("/api/v1/reports/"+rid+"/document?format=docx", 200)
		if !strings.Contains(ct, "wordprocessingml") {
			t.Fatalf("content type %s", ct)
		}
		if !strings.Contains(testkit.DocxText(t, docx), "县政府网站被篡改每日情况报告（第1期）") {
			t.Fatal("docx lacks the title")
		}
		pdf, ct := duty.get("/api/v1/reports/"+rid+"/document?format=pdf", 200)
		if ct != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("pdf %s %q", ct, pdf[:8])
		}
		duty.get("/api/v1/reports/"+rid+"/document?format=odt", 400)

		corr := duty.do("POST", "/api/v1/reports/"+rid+"/correct", "", 201)
		if corr["version"].(float64) != 2 || id(corr["supersedes"]) != rid {
			t.Fatalf("correction %v", corr)
		}
		list := duty.do("GET", "/api/v1/incidents/"+iid+"/reports", "", 200)["items"].([]any)
		if len(list) != 2 || id(list[0].(map[string]any)["superseded_by"]) != id(corr["id"]) {
			t.Fatalf("list %v", list)
		}

		// The city sees the county's timeliness; the county cannot look upwards.
		tl := city.do("GET", "/api/v1/timeliness?from=2026-11-01&to=2026-12-01", "", 200)
		orgs := tl["orgs"].([]any)
		if len(orgs) != 1 || orgs[0].(map[string]any)["org"] != "青神县公安局" {
			t.Fatalf("timeliness %v", tl)
		}
		if n := orgs[0].(map[string]any)["counts"].(map[string]any)["on_time"].(float64); n != 1 {
			t.Fatalf("on time %v", n)
		}
		me := city.do("GET", "/api/v1/me", "", 200)
		duty.do("GET", "/api/v1/timeliness?org="+id(me["org_id"]), "", 400)
		duty.do("GET", "/api/v1/timeliness?from=yesterday", "", 400)

		tlText := duty.do("GET", "/api/v1/incidents/"+iid+"/timeline", "", 200)["items"].([]any)
		var signedText bool
		for _, e := range tlText {
			if strings.Contains(e.(map[string]any)["text"].(string), "签发“县政府网站被篡改每日情况报告（第1期）”") {
				signedText = true
			}
		}
		if !signedText {
			t.Fatalf("timeline text %v", tlText)
		}
		duty.do("GET", "/api/v1/audit/verify", "", 200)
	})
}
