package consoletest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// TestConsoleNeedToKnow: a 交警 officer with no role, signed in to the
// console, finds no trace of an incident he has no part in: its pages
// answer 404 as for an incident that does not exist, and neither the list,
// the search nor the command post name it. The duty officer's internal note
// shows marked 内部 on the incident page.
func TestConsoleNeedToKnow(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Department: "jiaojing", Username: "jjofficer",
			DisplayName: "交警民警", Password: testkit.Password}); err != nil {
			t.Fatal(err)
		}
		in, r := draftReport(t, env)
		base := newServer(t, env)
		id, rid := strconv.FormatInt(in.ID, 10), strconv.FormatInt(r.ID, 10)

		jj := loggedIn(t, base, "jjofficer")
		missing := jj.get("/incidents/999999")
		for _, path := range []string{"/incidents/" + id, "/incidents/" + id + "/tasks/1", "/reports/" + rid, "/reports/" + rid + "/document?format=pdf"} {
			got := jj.get(path)
			if got.Status != http.StatusNotFound || got.Status != missing.Status {
				t.Errorf("%s: status %d, want 404 like a missing incident", path, got.Status)
			}
			if strings.Contains(got.Body, "DDoS") {
				t.Errorf("%s reveals the title", path)
			}
		}
		for _, path := range []string{"/", "/incidents", "/incidents?q=DDoS", "/timeliness", "/approvals"} {
			got := jj.get(path)
			wantStatus(t, got, http.StatusOK)
			if strings.Contains(got.Body, in.Title) || strings.Contains(got.Body, in.Number) {
				t.Errorf("%s names the incident", path)
			}
		}
		// Live updates of the incident are refused like its page.
		wantStatus(t, jj.get("/events?incident="+id), http.StatusNotFound)

		dutyB := loggedIn(t, base, "duty")
		page := dutyB.get("/incidents/" + id)
		wantStatus(t, page, http.StatusOK)
		wantBody(t, page, `name="internal"`, "内部（不得写入对外报告）")
		res := dutyB.post("/incidents/"+id+"/notes", url.Values{"text": {"已通过技术侦查手段锁定攻击源"}, "internal": {"1"}})
		wantStatus(t, res, http.StatusSeeOther)
		wantBody(t, dutyB.get("/incidents/"+id), "【内部】记录：已通过技术侦查手段锁定攻击源")
	})
}

// TestConsoleEditorMayNotSign: the chief edits the duty officer's draft in
// the console; the report page names him as an editor and offers him no
// sign button but the reason; the deputy signs.
func TestConsoleEditorMayNotSign(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, r := draftReport(t, env)
		base := newServer(t, env)
		rurl := "/reports/" + strconv.FormatInt(r.ID, 10)
		chief := loggedIn(t, base, "chief")
		wantBody(t, chief.get(rurl), `id="sign-form"`)
		wantStatus(t, chief.post(rurl, url.Values{"title": {r.Title}, "course": {"局长改写的经过。"}}), http.StatusSeeOther)
		page := chief.get(rurl)
		wantBody(t, page, `id="report-editors">李局长`, "您修改过该报告的内容")
		if strings.Contains(page.Body, `id="sign-form"`) {
			t.Fatal("the editor is offered the sign button")
		}
		refused := chief.post(rurl+"/sign", nil)
		wantStatus(t, refused, http.StatusForbidden)
		wantBody(t, refused, "您修改过该报告的内容")
		if v, _ := env.App.Reports.GetReport(ctx, env.Users["duty"], r.ID); v.Report.Status == report.StatusSigned {
			t.Fatal("the editor signed")
		}
		deputy := loggedIn(t, base, "deputy")
		wantStatus(t, deputy.post(rurl+"/sign", nil), http.StatusSeeOther)
		if v, _ := env.App.Reports.GetReport(ctx, env.Users["duty"], r.ID); v.Report.Status != report.StatusSigned || v.Report.Fields.Course != "局长改写的经过。" {
			t.Fatalf("deputy's signature: %s %q", v.Report.Status, v.Report.Fields.Course)
		}
	})
}

// draftReport registers an incident as the duty officer and drafts its
// initial report.
func draftReport(t *testing.T, env *testkit.Env) (*incident.Incident, *report.Report) {
	t.Helper()
	in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "县政府门户网站遭受DDoS攻击", Category: "network_attack", Level: 3,
		DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := env.App.Reports.CreateReport(ctx, env.Users["duty"], in.ID, report.Initial)
	if err != nil {
		t.Fatal(err)
	}
	return in, r
}
