package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"yingji/internal/signal"
	"yingji/internal/testkit"
)

// Promoting an alert that no plan rule suggests a category for, without
// choosing one, says which field is missing (it said only 此项必填), in
// both languages, and registers nothing.
func TestPromoteNamesMissingCategory(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	id := landAlert(t, env, signal.Signal{Rule: "YingjiTest", Title: "应急系统接入测试", Severity: signal.Info})
	base := newServer(t, env)
	b := loggedIn(t, base, "duty")
	en := loggedIn(t, base, "duty")
	en.get("/lang?to=en")
	page := "/alerts/" + itoa(id)
	before := testkit.AuditCount(t, env)
	wantBody(t, b.submit(page+"/promote", url.Values{"title": {"接入测试"}, "category": {""}, "level": {"4"}}), `role="alert">事件类别：此项必填`)
	if body := en.submit(page+"/promote", url.Values{"title": {"接入测试"}, "category": {""}, "level": {"4"}}).Body; !strings.Contains(body, `role="alert">Category: `) {
		t.Errorf("the English message does not name the field:\n%s", body)
	}
	if testkit.AuditCount(t, env) != before {
		t.Fatal("a refused promotion wrote an audit record")
	}
}

// The monitor forms ask for minutes and days: a number out of range is
// refused in those units (it said “0”不是有效的数字 for 0, and 60秒至86400秒
// for 5000 minutes), naming the field, and changes nothing. A refused add
// comes back on the form with what was typed, the field marked.
func TestMonitorFormRangesInTheFormsUnits(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	site, _ := keySite(t, env)
	base := newServer(t, env)
	b := loggedIn(t, base, "duty")
	en := loggedIn(t, base, "duty")
	en.get("/lang?to=en")
	before := testkit.AuditCount(t, env)
	for _, v := range []string{"0", "-3", "abc", "1441", "5000"} {
		r := b.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "interval_minutes": {v}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, `id="mon-error">检测间隔须为1至1440之间的整数（分钟）。`, `value="`+v+`" aria-invalid="true"`)
	}
	r := en.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "interval_minutes": {"0"}})
	wantBody(t, r, `id="mon-error">The interval must be a whole number of minutes from 1 to 1440.`)
	// An address that is not the site's: the form keeps it and marks it
	// (a redirect lost what was typed).
	r = b.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "url": {"http://10.9.9.9/"}, "interval_minutes": {"10"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="mon-error">地址http://10.9.9.9/不属于该网站登记的网址`, `name="url" value="http://10.9.9.9/"`,
		`aria-invalid="true" aria-describedby="mon-error"></div>`, `<option value="`+itoa(site.ID)+`" selected>`, `value="10"`)
	if testkit.AuditCount(t, env) != before {
		t.Fatal("a refused monitor wrote an audit record")
	}
	r = b.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "interval_minutes": {"10"}})
	wantStatus(t, r, http.StatusSeeOther)
	mon := r.Location
	before = testkit.AuditCount(t, env)
	for _, v := range []string{"0", "400", "x"} {
		wantBody(t, b.submit(mon+"/settings", url.Values{"interval_minutes": {"10"}, "tls_warn_days": {v}}), `role="alert">证书到期提前提醒天数须在1至365之间。`)
	}
	wantBody(t, b.submit(mon+"/settings", url.Values{"interval_minutes": {"2000"}, "tls_warn_days": {"14"}}), `role="alert">检测间隔须为1至1440之间的整数（分钟）。`)
	if testkit.AuditCount(t, env) != before {
		t.Fatal("refused settings wrote an audit record")
	}
}
