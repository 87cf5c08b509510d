package consoletest

import (
	"net/url"
	"strings"
	"testing"

	"yingji/internal/testkit"
)

// Console forms refuse NUL, control characters and invalid UTF-8 in any
// value with a 400 naming the field, before the handler runs: nothing is
// written, on either database. A NUL in the login name is a refused login,
// not a 500 from PostgreSQL. A discovery time before 2000 is refused next
// to its field.
func TestConsoleRefusesBadInput(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		audit := testkit.AuditCount(t, env)
		for _, tc := range []struct {
			path  string
			form  url.Values
			label string
		}{
			{"/registry/units", url.Values{"name": {"青神县\x00人民政府"}, "kind": {"党政机关"}, "credit_code": {"11511425MB1234567N"}}, "单位名称"},
			{"/registry/units", url.Values{"name": {"青神县人民政府"}, "kind": {"党政机关"}, "credit_code": {"11511425MB1234567N"}, "address": {"青城镇\xff"}}, "地址"},
			{"/incidents", url.Values{"title": {"网站被篡改\x1b"}, "category": {env.Plan.Categories[0].Key}, "level": {"4"}}, "事件名称"},
			{"/duty/log", url.Values{"what": {"县医院网站\x00无法访问"}, "at": {"2026-11-28T08:30"}}, "事件情况"},
		} {
			r := duty.post(tc.path, tc.form)
			wantStatus(t, r, 400)
			wantBody(t, r, tc.label, "无效字符")
		}
		for _, path := range []string{"/registry/list/units?q=%00", "/incidents?q=%E4%B8"} {
			r := duty.get(path)
			wantStatus(t, r, 400)
			wantBody(t, r, "无效字符")
		}
		r := duty.post("/incidents", url.Values{"title": {"网站被篡改"}, "category": {env.Plan.Categories[0].Key}, "level": {"4"}, "discovered_at": {"1970-01-01T08:00"}})
		wantStatus(t, r, 400)
		wantBody(t, r, `id="err-discovered_at"`, "2000年1月1日")
		if n := unitCount(t, env); n != 0 {
			t.Fatalf("%d units written", n)
		}
		if n := testkit.AuditCount(t, env); n != audit {
			t.Fatalf("audit grew from %d to %d", audit, n)
		}
		b := newBrowser(t, base)
		if r := b.login("duty\x00", testkit.Password); r.Status >= 500 || strings.Contains(r.Location, "/") && r.Status == 303 {
			t.Fatalf("login with NUL: %d %s", r.Status, r.Location)
		}
	})
}
