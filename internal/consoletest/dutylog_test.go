package consoletest

import (
	"net/url"
	"strings"
	"testing"

	"yingji/internal/store"
	"yingji/internal/testkit"
)

func logCount(t testing.TB, env *testkit.Env) int {
	t.Helper()
	var n int
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		l, err := q.DutyLog([]int64{env.Users["duty"].OrgID}, 0, 1000)
		n = len(l)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// The duty officer records a call on /duty, sees it in the log, and turns
// it into an incident in one step.
func TestConsoleDutyLog(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		duty.read("/duty", "值班记录", "记录来电来报", `name="reporter_phone"`)
		form := url.Values{"at": {"2026-11-28T08:40"}, "place": {"青神县人民医院"}, "what": {"县医院门户网站首页被篡改，出现不明图片。"},
			"measures": {"已电话通知医院信息科断开外网访问。"}, "informed": {"李局长"}, "informed_at": {"2026-11-28T08:45"},
			"reporter_unit": {"青神县人民医院"}, "reporter_name": {"张明"}, "reporter_phone": {"13800001234"}}
		// Bad input: the phone is named next to its field, nothing written.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("reporter_phone", "12ab")
		r := duty.post("/duty/log", bad)
		wantStatus(t, r, 400)
		wantBody(t, r, `id="err-reporter_phone"`, "县医院门户网站首页被篡改")
		bad.Set("reporter_phone", "13800001234")
		bad.Set("what", "  ")
		r = duty.post("/duty/log", bad)
		wantStatus(t, r, 400)
		wantBody(t, r, `id="err-what"`)
		bad.Set("what", "x")
		bad.Set("at", "yesterday")
		wantBody(t, duty.post("/duty/log", bad), `id="err-at"`)
		if n := logCount(t, env); n != 0 {
			t.Fatalf("bad input wrote %d entries", n)
		}
		// Without the CSRF token: refused, nothing written.
		form.Set("csrf", "forged")
		wantStatus(t, duty.post("/duty/log", form), 403)
		form.Del("csrf")
		if n := logCount(t, env); n != 0 {
			t.Fatalf("forged post wrote %d entries", n)
		}
		// The city deputy keeps no county duty log: 403, nothing written.
		city := loggedIn(t, base, "citydeputy")
		wantStatus(t, city.post("/duty/log", form), 403)
		form.Del("csrf")
		if n := logCount(t, env); n != 0 {
			t.Fatalf("refused post wrote %d entries", n)
		}
		r = duty.post("/duty/log", form)
		wantStatus(t, r, 303)
		r = duty.get("/duty")
		wantBody(t, r, "值班记录已保存。", "县医院门户网站首页被篡改", "张明", "13800001234", "登记为事件")
		id := regexpFind(r.Body, `action="/duty/log/(\d+)/incident"`)
		// A bad level goes back with the error; nothing is registered.
		r = duty.post("/duty/log/"+id+"/incident", url.Values{"category": {"website_defacement"}, "level": {"9"}, "title": {"x"}, "back": {"/duty"}})
		wantStatus(t, r, 303)
		if r = duty.get("/duty"); !strings.Contains(r.Body, "事件级别须为") {
			t.Fatal("level error not shown")
		}
		cat := env.Plan.Categories[0].Key
		r = duty.post("/duty/log/"+id+"/incident", url.Values{"category": {cat}, "level": {"4"}, "title": {"县医院网站被篡改"}, "back": {"/duty"}})
		wantStatus(t, r, 303)
		if !strings.HasPrefix(r.Location, "/incidents/") {
			t.Fatalf("redirect to %q, want the incident", r.Location)
		}
		duty.read(r.Location, "县医院网站被篡改", "县医院门户网站首页被篡改")
		r = duty.get("/duty")
		wantBody(t, r, "已登记为事件")
		// Twice: a conflict, shown as a message.
		r = duty.post("/duty/log/"+id+"/incident", url.Values{"category": {cat}, "level": {"4"}, "title": {"again"}, "back": {"/duty"}})
		wantStatus(t, r, 303)
		if r.Location != "/duty" {
			t.Fatalf("second registration went to %q", r.Location)
		}
	})
}
