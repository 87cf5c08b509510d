package consoletest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/testkit"
)

// upload posts a file to the import form with the session's CSRF token.
func (b *browser) upload(path, name, kind string, data []byte, dry bool) resp {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf())
	mw.WriteField("kind", kind)
	if dry {
		mw.WriteField("dry_run", "1")
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: string(out), Location: res.Header.Get("Location"), Header: res.Header}
}

func TestConsoleHandover(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		env.App.Accounts.IdleTimeout = accounts.SessionFor // the clock jumps hours between requests; TestIdleTimeout tests the timeout
		u := env.Users
		loc := env.Plan.Location
		if _, err := env.App.Rota.CreateRotation(ctx, u["duty"], loc, rota.RotationInput{Kind: "day_night", First: time.Date(2026, 11, 28, 0, 0, 0, 0, loc),
			Days: 2, DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Leaders: []int64{u["chief"].ID, u["deputy"].ID},
			Officers: []int64{u["duty"].ID, u["xingjing"].ID}}); err != nil {
			t.Fatal(err)
		}
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		r := duty.read("/duty", "当前值班", "李局长", "交班")
		m := regexpFind(r.Body, `action="/duty/shifts/(\d+)/handover"`)
		wantStatus(t, duty.post("/duty/shifts/"+m+"/handover", url.Values{"notes": {"白班接报两起，均已处置。"}, "open_items": {"核查县医院网站告警\n\n"}, "back": {"/duty"}}), 303)
		// The receiver confirms on the night shift.
		env.Clock.Set(time.Date(2026, 11, 28, 20, 30, 0, 0, loc))
		x := loggedIn(t, base, "xingjing")
		r = x.get("/duty")
		wantBody(t, r, "待确认的交接班", "核查县医院网站告警", "确认接班")
		h := regexpFind(r.Body, `action="/duty/handovers/(\d+)/confirm"`)
		// Someone not on the receiving shift is refused.
		r = duty.post("/duty/handovers/"+h+"/confirm", url.Values{"back": {"/duty"}})
		wantStatus(t, r, 303)
		wantStatus(t, x.post("/duty/handovers/"+h+"/confirm", url.Values{"back": {"/duty"}}), 303)
		r = x.get("/duty")
		wantBody(t, r, "已确认接班。")
		if strings.Contains(r.Body, "待确认的交接班") {
			t.Fatal("still pending after confirmation")
		}
	})
}

func TestConsoleImportWithErrors(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		wantStatus(t, duty.get("/registry"), 200)
		bad := "单位名称,单位类型,统一社会信用代码,联系电话\n甲公司,企业," + registry.CreditCodeFor(1) + ",028-38800001\n乙公司,工厂," + registry.CreditCodeFor(2) + ",123\n"
		r := duty.upload("/registry/import", "units.csv", "units", []byte(bad), false)
		wantStatus(t, r, 422)
		wantBody(t, r, "有误", "[单位类型]", "[联系电话]", "未导入任何数据")
		r = duty.get("/registry?q=" + url.QueryEscape("甲公司"))
		wantBody(t, r, "没有符合条件的联网单位")
		good := strings.Replace(bad, "乙公司,工厂,"+registry.CreditCodeFor(2)+",123\n", "", 1)
		wantStatus(t, duty.upload("/registry/import", "units.csv", "units", []byte(good), true), 200)
		r = duty.upload("/registry/import", "units.csv", "units", []byte(good), false)
		wantStatus(t, r, 200)
		wantBody(t, r, "已导入")
		wantBody(t, duty.get("/registry?q="+url.QueryEscape("甲公司")), registry.CreditCodeFor(1))
		duty.read("/registry/export?kind=units&format=csv", "甲公司")
	})
}

func regexpFind(body, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// The duty and registry pages have every message in both languages.
func TestDutyPagesMessages(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	keys := regexp.MustCompile(`\b(?:duty|reg|registry)\.[a-z_]+[a-z]\b`)
	for _, lang := range []string{"zh-CN", "en"} {
		for _, who := range []string{"duty", "citydeputy", "xingjing"} {
			b := loggedIn(t, base, who)
			b.get("/lang?to=" + lang)
			for _, path := range []string{"/duty", "/registry", "/registry?kind=provider&match=prefix&q=x"} {
				r := b.get(path)
				wantStatus(t, r, 200)
				if m := keys.FindString(r.Body); m != "" {
					t.Errorf("%s %s %s: untranslated %q", lang, who, path, m)
				}
			}
		}
	}
}
