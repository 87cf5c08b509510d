package api_test

import (
	"context"
	"strings"
	"testing"

	"yingji/internal/accounts"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// TestAPINeedToKnow: through the API a 交警 officer with no role gets 404,
// as for a missing incident, on everything under an incident he has no part
// in, and lists and searches leave it out.
func TestAPINeedToKnow(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		if _, err := env.App.Accounts.CreateUser(context.Background(), user.System(), accounts.NewUser{Org: "青神县公安局", Department: "jiaojing",
			Username: "jjofficer", DisplayName: "交警民警", Password: testkit.Password}); err != nil {
			t.Fatal(err)
		}
		env.Users["jjofficer"] = nil // newServer issues a token for every name
		_, c := newServer(t, env)
		duty, jj := c["duty"], c["jjofficer"]
		in := duty.newIncident(env, 2)
		iid := id(in["id"])
		duty.activate(c["chief"], iid, "重要会议期间网站遭篡改")
		r := duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"followup"}`, 201)
		rid := id(r["id"])
		task := duty.do("GET", "/api/v1/incidents/"+iid, "", 200)["tasks"].([]any)[0].(map[string]any)

		missing := jj.do("GET", "/api/v1/incidents/999999", "", 404)
		for _, path := range []string{"/api/v1/incidents/" + iid, "/api/v1/incidents/" + iid + "/timeline", "/api/v1/incidents/" + iid + "/reports",
			"/api/v1/incidents/" + iid + "/tasks/" + id(task["id"]) + "/history", "/api/v1/incidents/" + iid + "/task-units",
			"/api/v1/reports/" + rid} {
			got := jj.do("GET", path, "", 404)
			if got["type"] != missing["type"] && !strings.Contains(path, "reports/") {
				t.Errorf("%s: %v, unlike a missing incident %v", path, got, missing)
			}
		}
		jj.get("/api/v1/reports/"+rid+"/document?format=pdf", 404)
		jj.do("POST", "/api/v1/incidents/"+iid+"/notes", `{"text":"x"}`, 404)
		for _, path := range []string{"/api/v1/incidents", "/api/v1/incidents?q=" + "篡改", "/api/v1/approvals"} {
			if items := jj.do("GET", path, "", 200)["items"].([]any); len(items) != 0 {
				t.Errorf("%s lists %d items", path, len(items))
			}
		}
		if rows := jj.do("GET", "/api/v1/timeliness?from=2026-11-01&to=2026-12-01", "", 200)["rows"]; rows != nil && len(rows.([]any)) != 0 {
			t.Errorf("timeliness rows %v", rows)
		}
		// The leading group and the city still read it.
		for _, name := range []string{"chief", "deputy", "xingjing", "citydeputy", "admin"} {
			c[name].do("GET", "/api/v1/incidents/"+iid, "", 200)
		}
	})
}

// TestAPIInternalNote: an internal note is accepted, shown marked, and left
// out of the drafted report, which still has the ordinary note.
func TestAPIInternalNote(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty := c["duty"]
		iid := id(duty.newIncident(env, 2)["id"])
		duty.activate(c["chief"], iid, "重要会议期间")
		n := duty.do("POST", "/api/v1/incidents/"+iid+"/notes", `{"text":"已通过技术侦查手段锁定嫌疑人","internal":true}`, 201)
		if n["internal"] != true {
			t.Fatalf("note %v", n)
		}
		duty.do("POST", "/api/v1/incidents/"+iid+"/notes", `{"text":"网站已恢复访问"}`, 201)
		duty.do("POST", "/api/v1/incidents/"+iid+"/notes", `{"text":"x","internal":"yes"}`, 400)
		var marked bool
		for _, e := range duty.do("GET", "/api/v1/incidents/"+iid+"/timeline", "", 200)["items"].([]any) {
			marked = marked || strings.HasPrefix(e.(map[string]any)["text"].(string), "【内部】记录：已通过技术侦查手段")
		}
		if !marked {
			t.Fatal("the internal note is not marked in the timeline")
		}
		for _, kind := range []string{"initial", "followup", "daily", "final"} {
			r := duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"`+kind+`"}`, 201)
			if body := r["body"].(string); strings.Contains(body, "技术侦查") || !strings.Contains(body, "网站已恢复访问") {
				t.Errorf("%s draft: %s", kind, body)
			}
			docx, _ := duty.get("/api/v1/reports/"+id(r["id"])+"/document?format=docx", 200)
			if strings.Contains(testkit.DocxText(t, docx), "技术侦查") {
				t.Errorf("%s docx carries the internal note", kind)
			}
		}
	})
}

// TestAPIEditorMayNotSign: finding 11 through the API. The chief rewrites
// the duty officer's draft and is refused the sign-off; the deputy, who did
// not edit, signs.
func TestAPIEditorMayNotSign(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, chief, deputy := c["duty"], c["chief"], c["deputy"]
		iid := id(duty.newIncident(env, 2)["id"])
		rid := id(duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"initial"}`, 201)["id"])
		p := chief.do("PATCH", "/api/v1/reports/"+rid, `{"fields":{"course":"由局长改写的经过。"}}`, 200)
		duty.do("POST", "/api/v1/reports/"+rid+"/signoff-request", "", 200)
		refused := chief.do("POST", "/api/v1/reports/"+rid+"/signoff", "", 403)
		if !strings.Contains(refused["detail"].(string), "修改过该报告") {
			t.Fatalf("refusal %v", refused)
		}
		me := chief.do("GET", "/api/v1/me", "", 200)
		if eds, _ := p["editors"].([]any); len(eds) != 1 || id(eds[0]) != id(me["id"]) {
			t.Fatalf("editors %v", p["editors"])
		}
		if got := chief.do("GET", "/api/v1/reports/"+rid, "", 200); got["status"] == "signed" {
			t.Fatal("the refused sign-off changed the report")
		}
		s := deputy.do("POST", "/api/v1/reports/"+rid+"/signoff", "", 200)
		if s["status"] != "signed" || s["fields"].(map[string]any)["course"] != "由局长改写的经过。" {
			t.Fatalf("deputy's sign-off %v", s)
		}
	})
}
