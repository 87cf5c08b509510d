package consoletest

import (
	"context"
	"encoding/csv"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/accounts"
	"yingji/internal/core"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// The 审计记录 page answers the auditor's questions in words: who approved
// the activation of an incident and when, with the detail as field: value
// lines, not a JSON blob; the chain checked on request, against an anchor.
func TestAuditPage(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	in := activeIncident(t, env)
	aud := loggedIn(t, base, "auditor")

	r := aud.get("/audit?incident=" + in.Number)
	wantStatus(t, r, 200)
	wantBody(t, r, "审计记录", "登记事件", "提请审批", "审批决定", "按预案生成任务", "同意", "QS-", "审计链校验")
	wantNoneOf(t, r, `{&#34;`, `"incident_id":`) // no JSON blob
	if strings.Contains(r.Body, "会话") {
		t.Error("the incident's records hold a login")
	}
	if !regexp.MustCompile(`20\d\d年\d+月\d+日 \d\d:\d\d:\d\d`).MatchString(r.Body) {
		t.Error("no Beijing time to the second")
	}

	// A page view does not check the chain; asking does, against an anchor.
	wantNoneOf(t, r, `id="audit-check-ok"`)
	res, err := env.App.AuditLog.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	anchor := itoa(res.HeadSeq) + ":" + res.Head
	r = aud.get("/audit/verify?anchor=" + url.QueryEscape(anchor))
	wantStatus(t, r, 200)
	wantBody(t, r, `id="audit-check-ok"`, "锚点 "+anchor)
	r = aud.get("/audit/verify?anchor=" + itoa(res.HeadSeq) + ":" + strings.Repeat("0", 64))
	wantBody(t, r, `id="audit-check-bad"`)
	r = aud.get("/audit/verify?anchor=12345")
	wantStatus(t, r, 400)
	wantBody(t, r, "留存的锚点：", `id="err-anchor"`)

	// The export: the same records, UTF-8 with a BOM for Excel.
	r = aud.get("/audit.csv?incident=" + in.Number)
	wantStatus(t, r, 200)
	if !strings.HasPrefix(r.Body, "\uFEFF#,") || !strings.Contains(r.Body, "审批决定") || !strings.Contains(r.Header.Get("Content-Disposition"), ".csv") {
		t.Fatalf("export: %q", r.Body[:min(len(r.Body), 300)])
	}
	// The file holds each record as stored: a long note whole (the page
	// shortens it), and the hashes that tie it to the chain.
	long := strings.Repeat("网站管理员已确认首页被篡改，正在恢复。", 30)
	if _, err := env.App.Incidents.AddNote(context.Background(), env.Users["duty"], in.ID, long); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(aud.get("/audit.csv?incident="+in.Number).Body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	newest := rows[1]
	if len(rows[0]) != 11 || len(newest) != 11 || !strings.Contains(newest[8], long) || len(newest[9]) != 64 || len(newest[10]) != 64 {
		t.Fatalf("export's newest row: %q", newest)
	}
	wantNoneOf(t, aud.get("/audit?incident="+in.Number), long) // the page shortens it
}

// Bad filter input names the field and reads no records; someone without
// the role is refused as on /admin.
func TestAuditPageRefuses(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	aud := loggedIn(t, base, "auditor")
	for q, want := range map[string]string{
		"from=2026-02-30":                 "起始日期：",
		"from=2026-12-02&to=2026-12-01":   "截止日期：",
		"action=incident.vanish":          "操作：没有这种操作",
		"incident=QS-2099-999":            "事件：在您可查阅的单位中没有事件",
		"actor=" + url.QueryEscape("a b"): "操作人：",
	} {
		r := aud.get("/audit?" + q)
		wantStatus(t, r, 400)
		wantBody(t, r, want, `aria-invalid="true"`)
		wantNoneOf(t, r, `id="audit-records"`)
	}
	for _, q := range []string{"before=x", "after=-1"} { // paging has no field on the form: said above the list
		r := aud.get("/audit?" + q)
		wantStatus(t, r, 400)
		wantBody(t, r, `<p class="err" role="alert">`)
		wantNoneOf(t, r, `id="audit-records"`)
	}
	for _, who := range []string{"duty", "admin"} {
		b := loggedIn(t, base, who)
		wantStatus(t, b.get("/audit"), 403)
		wantStatus(t, b.get("/audit/verify"), 403)
		wantStatus(t, b.get("/audit.csv"), 403)
		wantNoneOf(t, b.get("/incidents"), `href="/audit"`)
	}
	wantBody(t, aud.get("/incidents"), `href="/audit"`)
	wantBody(t, aud.get("/admin"), `id="audit-link"`)
}

// A county's audit administrator sees his county's records, not the
// city's; an incident is linked only where he may open it.
func TestAuditPageCountyScope(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	if _, err := env.App.Accounts.CreateUser(context.Background(), user.System(), accounts.NewUser{Org: "青神县公安局", Username: "qsauditor",
		DisplayName: "县审计员", Roles: []string{user.RoleAuditAdmin}, Password: testkit.Password}); err != nil {
		t.Fatal(err)
	}
	testkit.AddUser(t, env, "qsauditor") // enrolled in the second factor an auditor needs
	in := activeIncident(t, env)
	qs := loggedIn(t, base, "qsauditor")
	r := qs.get("/audit")
	wantStatus(t, r, 200)
	wantNoneOf(t, r, "眉山市公安局</td>", ">citydeputy<", ">auditor<")
	city := loggedIn(t, base, "auditor")
	wantBody(t, city.get("/audit"), "眉山市公安局</td>")

	for _, who := range []struct {
		b    *browser
		name string
	}{{qs, "qsauditor"}, {city, "auditor"}} {
		page := who.b.get("/audit?incident=" + in.Number).Body
		linked := strings.Contains(page, `href="/incidents/`+itoa(in.ID)+`"`)
		_, err := env.App.Incidents.GetIncident(context.Background(), env.Users[who.name], in.ID)
		if linked != (err == nil) {
			t.Errorf("%s: linked %v, may open: %v", who.name, linked, err)
		}
		if linked {
			wantStatus(t, who.b.get("/incidents/"+itoa(in.ID)), 200)
		}
		// Opened or not, the incident's records are one click away.
		if !strings.Contains(page, `href="/audit?incident=`+in.Number+`"`) {
			t.Errorf("%s: no link to the incident's records", who.name)
		}
	}

	// A busy city does not empty the county auditor's /admin: it lists his
	// own newest records, not the chain's newest 200 filtered to his.
	city0 := env.Users["citydeputy"]
	if err := env.DB.Write(context.Background(), func(tx *store.Tx) error {
		for range 250 {
			if err := tx.Audit(core.AuditEntry(city0, "session.login", "session", 0, city0.OrgID, nil)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantBody(t, qs.get("/admin"), `id="records"`, "<code>incident.create</code>")
}

// In the browser: filter by an incident with the form, read back with 较早
// 的记录, and the page fits a phone (the table scrolls in its own box).
func TestAuditPageInBrowser(t *testing.T) {
	env, base := browserEnv(t)
	in := activeIncident(t, env)
	for range 55 {
		if _, err := env.App.Incidents.AddNote(context.Background(), env.Users["duty"], in.ID, "续报：已联系网站管理员"); err != nil {
			t.Fatal(err)
		}
	}
	b := uiBrowser(t, base, "auditor")
	run(t, b, "filter by the incident",
		chromedp.Navigate(base+"/admin"),
		chromedp.Click(chromedp.CSS("#audit-link")),
		chromedp.WaitVisible(chromedp.CSS("#audit-filter")),
		chromedp.SendKeys(chromedp.CSS("#af-incident"), in.Number),
		chromedp.Click(chromedp.CSS(`#audit-filter button[type=submit]`)),
		// #audit-older is on the unfiltered page too: wait for the filtered
		// page's own link (清除条件) first.
		chromedp.WaitVisible(chromedp.CSS(`#audit-filter a[href="/audit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#audit-older")),
	)
	first := value(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#audit-records tbody tr")].map(r => r.id)`))
	if len(first) != 50 {
		t.Fatalf("first page %d rows", len(first))
	}
	run(t, b, "older records",
		chromedp.Click(chromedp.CSS("#audit-older")),
		chromedp.WaitNotPresent(chromedp.CSS("#"+first[0])), // the first page is gone
		chromedp.WaitVisible(chromedp.CSS("#audit-records")),
	)
	older := value(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#audit-records tbody tr")].map(r => r.id)`))
	if len(older) == 0 || older[0] == first[0] || !strings.Contains(value(t, b, chromedp.Text(chromedp.CSS("main"))), "登记事件") {
		t.Fatalf("older page %v", older)
	}
	if v := value(t, b, chromedp.Value(chromedp.CSS("#af-incident"))); v != in.Number {
		t.Fatalf("the filter is lost on the older page: %q", v)
	}

	run(t, b, "phone", phoneScreen.emulate(), chromedp.Navigate(base+"/audit?incident="+in.Number), chromedp.WaitVisible(chromedp.CSS("#audit-records")))
	if w := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(phoneScreen.width) {
		t.Fatalf("the page scrolls sideways on a phone: %d px", w)
	}
}
