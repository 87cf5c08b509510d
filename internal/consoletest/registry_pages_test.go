package consoletest

import (
	"net/url"
	"strings"
	"testing"

	"yingji/internal/registry"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

func unitCount(t testing.TB, env *testkit.Env) int {
	t.Helper()
	var n int
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		l, err := q.ListUnits(registry.Filter{OrgIDs: []int64{env.Users["duty"].OrgID}, Limit: 1000})
		n = len(l)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// The office creates a unit (a bad credit code is shown next to its
// field), edits it, adds a key website, and finds it on the list pages; a
// group member may not, and a forged form writes nothing.
func TestConsoleUnitPages(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		member := loggedIn(t, base, "xingjing")
		wantBody(t, duty.get("/registry"), `href="/registry/units/new"`, `href="/registry/list/experts"`)
		duty.read("/registry/units/new", "统一社会信用代码", `name="credit_code"`)
		unit := url.Values{"name": {"青神县人民政府"}, "kind": {"党政机关"}, "credit_code": {"11511425MB1234560"}, "region": {"青城镇"},
			"contact_name": {"王科长"}, "contact_phone": {"13800002222"}}
		r := duty.post("/registry/units", unit)
		wantStatus(t, r, 400)
		wantBody(t, r, `id="err-credit_code"`, `aria-describedby="err-credit_code"`, "青神县人民政府")
		unit.Del("csrf")
		unit.Set("credit_code", "11511425MB1234567N")
		wantStatus(t, member.post("/registry/units", unit), 403)
		unit.Del("csrf")
		unit.Set("csrf", "forged")
		wantStatus(t, duty.post("/registry/units", unit), 403)
		unit.Del("csrf")
		if n := unitCount(t, env); n != 0 {
			t.Fatalf("refused forms wrote %d units", n)
		}
		r = duty.post("/registry/units", unit)
		wantStatus(t, r, 303)
		loc := r.Location
		if !strings.HasPrefix(loc, "/registry/units/") {
			t.Fatalf("redirect to %q", loc)
		}
		r = duty.get(loc)
		wantBody(t, r, "联网单位信息已保存。", "青神县人民政府", "11511425MB1234567N", "王科长", "修改")
		// The member sees the unit but no edit links.
		r = member.get(loc)
		wantStatus(t, r, 200)
		if strings.Contains(r.Body, loc+"/edit") {
			t.Fatal("member sees the edit link")
		}
		// Edit: the same check on the way back.
		wantBody(t, duty.get(loc+"/edit"), `value="青神县人民政府"`)
		unit.Set("credit_code", "123")
		r = duty.post(loc, unit)
		wantStatus(t, r, 400)
		wantBody(t, r, `id="err-credit_code"`)
		unit.Del("csrf")
		unit.Set("credit_code", "11511425MB1234567N")
		unit.Set("address", "青神县青城镇东大街1号")
		wantStatus(t, duty.post(loc, unit), 303)
		wantBody(t, duty.get(loc), "青神县青城镇东大街1号")
		// A key website; a bad IP is named next to its field.
		site := url.Values{"name": {"青神县人民政府门户网站"}, "domain": {"www.qingshen.gov.cn"}, "url": {"https://www.qingshen.gov.cn/"},
			"ips": {"10.1.1.300"}, "key_site": {"1"}}
		r = duty.post(loc+"/websites", site)
		wantStatus(t, r, 400)
		wantBody(t, r, `id="err-ips"`)
		site.Del("csrf")
		site.Set("ips", "10.1.1.30")
		wantStatus(t, member.post(loc+"/websites", site), 403)
		site.Del("csrf")
		wantStatus(t, duty.post(loc+"/websites", site), 303)
		r = duty.get(loc)
		wantBody(t, r, "www.qingshen.gov.cn", `class="key"`, "重点网站")
		sid := regexpFind(r.Body, `href="/registry/websites/(\d+)/edit"`)
		wantBody(t, duty.get("/registry/websites/"+sid+"/edit"), `value="www.qingshen.gov.cn"`, "checked")
		site.Del("csrf")
		site.Set("hosting", "青神电信IDC")
		wantStatus(t, duty.post("/registry/websites/"+sid, site), 303)
		wantBody(t, duty.get(loc), "青神电信IDC")
		// The list pages.
		duty.read("/registry/list/websites?q=qingshen&key_site=1", "青神县人民政府门户网站", `href="`+loc+`"`)
		for _, k := range []string{"contacts", "experts", "equipment"} {
			wantStatus(t, duty.get("/registry/list/"+k+"?q=x"), 200)
		}
		wantStatus(t, duty.get("/registry/list/nothing"), 404)
		wantStatus(t, duty.get("/registry/units/999999"), 404)
	})
}
