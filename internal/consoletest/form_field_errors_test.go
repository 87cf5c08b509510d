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
	before := auditRecords(t, env)
	r := b.post(page+"/promote", url.Values{"title": {"接入测试"}, "category": {""}, "level": {"4"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantBody(t, b.get(r.Location), `role="alert">事件类别：此项必填`)
	r = en.post(page+"/promote", url.Values{"title": {"接入测试"}, "category": {""}, "level": {"4"}})
	if body := en.get(r.Location).Body; !strings.Contains(body, `role="alert">Category: `) {
		t.Errorf("the English message does not name the field:\n%s", body)
	}
	if auditRecords(t, env) != before {
		t.Fatal("a refused promotion wrote an audit record")
	}
}
