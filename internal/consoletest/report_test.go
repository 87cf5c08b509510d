package consoletest

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"yingji/internal/accounts"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var reportLoc = regexp.MustCompile(`^/reports/(\d+)$`)

// draftDaily drafts the daily report through the incident page's button
// and returns its id.
func draftDaily(t *testing.T, b *browser, incidentID int64) int64 {
	t.Helper()
	r := b.post("/incidents/"+itoa(incidentID)+"/reports", url.Values{"kind": {"daily"}})
	wantStatus(t, r, http.StatusSeeOther)
	m := reportLoc.FindStringSubmatch(r.Location)
	if m == nil {
		t.Fatalf("draft went to %q", r.Location)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func loadReport(t *testing.T, env *testkit.Env, id int64) *report.Report {
	t.Helper()
	var r *report.Report
	if err := env.DB.Read(ctx, func(q *store.Q) error { var err error; r, err = q.Report(id); return err }); err != nil {
		t.Fatal(err)
	}
	return r
}

// otherCountyUser is the duty officer of 东坡区公安分局, a sibling county.
func otherCountyUser(t *testing.T, env *testkit.Env) { testkit.OtherCounty(t, env) }

func TestReportFlowInConsole(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env)
		base := newServer(t, env)
		env.App.Accounts.IdleTimeout = accounts.SessionFor // the clock jumps hours between requests; TestIdleTimeout tests the timeout
		duty, chief := loggedIn(t, base, "duty"), loggedIn(t, base, "chief")
		env.Clock.Set(env.Clock.Now().Add(6 * 3600e9)) // 15:00
		page := duty.get("/incidents/" + itoa(in.ID))
		wantBody(t, page, `id="h-reports"`, `id="draft-report-form"`, `value="daily"`, "尚无报告")
		id := draftDaily(t, duty, in.ID)
		u := "/reports/" + itoa(id)
		r := duty.get(u)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "每日情况报告", "第1期", "草稿", "一、事件发生时间、地点", "起草依据", `id="edit-report-form"`, `id="signoff-request-form"`,
			"/document?format=docx", "/document?format=pdf", "只有本单位领导小组组长、副组长可以签发报告")
		// The incident page lists it.
		wantBody(t, duty.get("/incidents/"+itoa(in.ID)), `href="/reports/`+itoa(id)+`"`, "第1期")

		// Edit: the field changes; a forged form changes nothing.
		before := loadReport(t, env, id)
		wantStatus(t, duty.do("POST", u, url.Values{"csrf": {"forged"}, "impact": {"伪造"}}), http.StatusForbidden)
		if loadReport(t, env, id).Fields.Impact != before.Fields.Impact {
			t.Fatal("forged edit changed the report")
		}
		wantStatus(t, duty.post(u, url.Values{"impact": {"网站已恢复访问，未发现数据泄露。"}}), http.StatusSeeOther)
		if got := loadReport(t, env, id).Fields.Impact; got != "网站已恢复访问，未发现数据泄露。" {
			t.Fatalf("impact %q", got)
		}
		// An empty title: an error message naming the field, nothing written.
		r = duty.post(u, url.Values{"title": {" "}, "impact": {"不应写入"}})
		wantStatus(t, r, http.StatusSeeOther)
		wantBody(t, duty.get(u), `class="flash error" role="alert">标题：此项必填。`)
		if loadReport(t, env, id).Fields.Impact == "不应写入" {
			t.Fatal("a refused edit was written")
		}

		// Another county's user: 404, and its forms change nothing.
		otherCountyUser(t, env)
		dp := loggedIn(t, base, "dpduty")
		wantStatus(t, dp.get(u), http.StatusNotFound)
		wantStatus(t, dp.post(u+"/signoff-request", nil), http.StatusNotFound)
		wantStatus(t, dp.get(u+"/document?format=pdf"), http.StatusNotFound)

		wantStatus(t, duty.post(u+"/signoff-request", nil), http.StatusSeeOther)
		if st := loadReport(t, env, id).Status; st != report.StatusSignoff {
			t.Fatalf("status %s", st)
		}
		// The author cannot sign: 403, nothing changes.
		wantStatus(t, duty.post(u+"/sign", nil), http.StatusForbidden)
		if st := loadReport(t, env, id).Status; st != report.StatusSignoff {
			t.Fatalf("author's sign changed status to %s", st)
		}
		// The chief sees it waiting for him on the command post.
		wantBody(t, chief.get("/"), "待签发", `href="/reports/`+itoa(id)+`"`)
		wantBody(t, chief.get(u), `id="sign-form"`)
		wantStatus(t, chief.do("POST", u+"/sign", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
		wantStatus(t, chief.post(u+"/sign", nil), http.StatusSeeOther)
		signed := loadReport(t, env, id)
		if signed.Status != report.StatusSigned || signed.SHA256 == "" || signed.DocNumber == "" {
			t.Fatalf("signed: %+v", signed)
		}
		r = duty.get(u)
		wantBody(t, r, signed.DocNumber, signed.SHA256, `id="submit-form"`)
		wantStatus(t, duty.post(u+"/submit", nil), http.StatusSeeOther)
		r = duty.get(u)
		wantBody(t, r, "已报送", `id="report-mark"`, "按时", "市委", `id="correct-form"`)
		// The command post no longer counts today's deadline as open.
		if r := duty.get("/"); strings.Contains(r.Body, `#reports">每日情况报告</a><br><span class="">2026年11月28日 17:00`) {
			t.Fatal("the command post still shows today's deadline open after the report was submitted")
		}

		// Documents.
		d := duty.get(u + "/document?format=docx")
		wantStatus(t, d, http.StatusOK)
		if !strings.HasPrefix(d.Body, "PK") || !strings.Contains(d.Header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("docx: %q %q", d.Header.Get("Content-Type"), d.Body[:min(10, len(d.Body))])
		}
		if cd := d.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''") || !strings.Contains(cd, url.PathEscape("每日情况报告")) {
			t.Fatalf("disposition %q", cd)
		}
		p := duty.get(u + "/document?format=pdf")
		wantStatus(t, p, http.StatusOK)
		if !strings.HasPrefix(p.Body, "%PDF") || p.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("pdf: %q", p.Header.Get("Content-Type"))
		}
		wantStatus(t, duty.get(u+"/document?format=txt"), http.StatusBadRequest)

		// A correction is a new version pointing at the old one.
		r = duty.post(u+"/correct", nil)
		wantStatus(t, r, http.StatusSeeOther)
		m := reportLoc.FindStringSubmatch(r.Location)
		if m == nil || m[1] == itoa(id) {
			t.Fatalf("correction went to %q", r.Location)
		}
		wantBody(t, duty.get(r.Location), "版本 2", "更正版", `href="/reports/`+itoa(id)+`"`)
		wantBody(t, duty.get(u), "已被更正")
	})
}

func TestReportSummaryFormLeadsToReport(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env)
		testkit.CloseOpenTasks(t, env, env.Users["duty"], in.ID, "本次事件不涉及")
		a, err := env.App.Incidents.RequestTermination(ctx, env.Users["duty"], in.ID, "已处置完毕")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.Decide(ctx, env.Users["citydeputy"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		wantBody(t, duty.get("/incidents/"+itoa(in.ID)), `value="summary"`)
		r := duty.post("/incidents/"+itoa(in.ID)+"/summary", url.Values{"title": {""}, "body": {"处置工作已全部完成。"}})
		wantStatus(t, r, http.StatusSeeOther)
		if !reportLoc.MatchString(r.Location) {
			t.Fatalf("summary went to %q", r.Location)
		}
		wantBody(t, duty.get(r.Location), "处置工作总结", "待签发")
	})
}

func TestTimelinessPage(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := activeIncident(t, env)
		env.Clock.Set(env.Clock.Now().Add(34 * 3600e9)) // the next day 19:00: yesterday's 17:00 passed unmet
		base := newServer(t, env)
		city := loggedIn(t, base, "citydeputy")
		city.read("/timeliness", "报告及时性", "青神县公安局", in.Number, "按单位", `name="from"`, `href="/timeliness"`)
		duty := loggedIn(t, base, "duty")
		r := duty.read("/timeliness?from=2026-11-01&to=2026-11-30", "青神县公安局", in.Number, `value="2026-11-01"`, `value="2026-11-30"`)
		if strings.Contains(r.Body, "眉山市公安局</th>") {
			t.Fatal("the county sees the city's row")
		}
		wantStatus(t, duty.get("/timeliness?from=yesterday"), http.StatusBadRequest)
		// The command post shows the overdue report in red, linked to the incident's reports: the
		// earliest, the 首报 never submitted (before the 首报 was read, yesterday's daily report).
		wantBody(t, duty.get("/"), `href="/incidents/`+itoa(in.ID)+`#reports">首报</a><br><span class="bad">`)
		otherCountyUser(t, env)
		dp := loggedIn(t, base, "dpduty")
		if r := dp.get("/timeliness"); strings.Contains(r.Body, in.Number) {
			t.Fatal("another county sees the incident")
		}
	})
}
