package api_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"yingji/internal/registry"
	"yingji/internal/testkit"
)

func (c *client) raw(method, path, ctype string, body []byte) (int, []byte, http.Header) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

func TestAPIDutyNowAndCalendar(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base, c := newServer(t, env)
		duty := c["duty"]
		ids := map[string]string{}
		for _, name := range []string{"chief", "deputy", "duty", "xingjing"} {
			ids[name] = id(env.Users[name].ID)
		}
		rot := duty.do("POST", "/api/v1/duty/rotations", `{"kind":"day_night","from":"2026-11-28","days":2,"leaders":[`+ids["chief"]+`,`+ids["deputy"]+
			`],"officers":[`+ids["duty"]+`,`+ids["xingjing"]+`]}`, 201)
		if n := len(rot["items"].([]any)); n != 4 {
			t.Fatalf("rotation %d shifts", n)
		}
		duty.do("POST", "/api/v1/duty/shifts", `{"kind":"special","starts_at":"2026-11-28T19:00:00+08:00","ends_at":"2026-11-28T21:00:00+08:00","leader_id":`+ids["chief"]+`}`, 409)
		duty.do("POST", "/api/v1/duty/shifts", `{"kind":"special","starts_at":"2026-11-28 19:00","ends_at":"2026-11-28T21:00:00+08:00"}`, 400)
		// 23:30 in Shanghai is 15:30 UTC: the night shift that began at 20:00.
		env.Clock.Set(time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC))
		now := duty.do("GET", "/api/v1/duty/now", "", 200)
		cur := now["current"].(map[string]any)
		if cur["start"] != "2026-11-28T20:00:00+08:00" || cur["end"] != "2026-11-29T08:00:00+08:00" || cur["kind"] != "night" ||
			now["leader"].(map[string]any)["display_name"] != env.Users["deputy"].DisplayName || len(now["officers"].([]any)) != 1 {
			t.Fatalf("now %v", now)
		}
		sched := duty.do("GET", "/api/v1/duty/schedule?from=2026-11-28&days=3", "", 200)
		if len(sched["shifts"].([]any)) != 4 || len(sched["gaps"].([]any)) != 2 {
			t.Fatalf("schedule %v", sched)
		}
		// Calendar: bearer token, and a feed token in the URL.
		tok := duty.do("POST", "/api/v1/duty/calendar/token", "", 201)["token"].(string)
		res, err := http.Get(base + "/api/v1/duty/calendar.ics?token=" + tok)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		ics := string(body)
		if res.StatusCode != 200 || !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") || strings.Count(ics, "BEGIN:VEVENT") != 4 ||
			!strings.Contains(ics, "DTSTART:20261128T120000Z\r\n") {
			t.Fatalf("ics %d:\n%s", res.StatusCode, ics)
		}
		for _, l := range strings.Split(ics, "\r\n") {
			if len(l) > 75 {
				t.Fatalf("unfolded line %q", l)
			}
		}
		if st, _, _ := c["duty"].raw("GET", "/api/v1/duty/calendar.ics", "", nil); st != 200 {
			t.Fatalf("bearer ics %d", st)
		}
		if res, _ := http.Get(base + "/api/v1/duty/calendar.ics?token=nope"); res.StatusCode != 401 {
			t.Fatalf("bad feed token %d", res.StatusCode)
		}
		// Handover and the duty log.
		day := id(rot["items"].([]any)[0].(map[string]any)["id"])
		h := c["chief"].do("POST", "/api/v1/duty/shifts/"+day+"/handover", `{"notes":"白班平稳","open_items":["核查县医院网站告警"]}`, 201)
		c["duty"].do("POST", "/api/v1/duty/handovers/"+id(h["id"])+"/confirm", "", 403) // on the day shift, not the night one
		c["xingjing"].do("POST", "/api/v1/duty/handovers/"+id(h["id"])+"/confirm", "", 200)
		lg := duty.do("POST", "/api/v1/duty/log", `{"what":"县医院网站无法访问","reporter_unit":"县医院","reporter_name":"李四","reporter_phone":"13800000001",
			"incident":{"title":"县医院网站无法访问","category":"`+env.Plan.Categories[0].Key+`","level":4}}`, 201)
		if lg["incident"] == nil || lg["incident_id"] == nil {
			t.Fatalf("log %v", lg)
		}
		// The incident is activated; a task names a unit and shows its contacts.
		iid := id(lg["incident_id"])
		duty.activate(c["citydeputy"], iid, "需启动预案")
		un := duty.do("POST", "/api/v1/units", `{"name":"青神县人民医院","kind":"医院","credit_code":"`+registry.CreditCodeFor(9)+`"}`, 201)
		duty.do("POST", "/api/v1/contacts", `{"unit_id":`+id(un["id"])+`,"name":"王五","role":"网络管理员","phone":"13800000005"}`, 201)
		inc := duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		task := inc["tasks"].([]any)[0].(map[string]any)
		if task["unit"] != nil {
			t.Fatalf("unit before it is set: %v", task["unit"])
		}
		duty.do("PATCH", "/api/v1/incidents/"+iid+"/tasks/"+id(task["id"])+"/unit", `{"unit_id":`+id(un["id"])+`}`, 200)
		inc = duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		unit := inc["tasks"].([]any)[0].(map[string]any)["unit"].(map[string]any)
		if unit["name"] != "青神县人民医院" || unit["contacts"].([]any)[0].(map[string]any)["phone"] != "13800000005" {
			t.Fatalf("task unit %v", unit)
		}
	})
}

func TestAPIRegistryImport(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty := c["duty"]
		u := duty.do("POST", "/api/v1/units", `{"name":"青神县人民医院","kind":"医院","credit_code":"`+registry.CreditCodeFor(1)+`","contact_phone":"028-38800001"}`, 201)
		duty.do("POST", "/api/v1/units", `{"name":"重复","kind":"医院","credit_code":"`+registry.CreditCodeFor(1)+`"}`, 400)
		p := duty.do("POST", "/api/v1/units", `{"name":"坏电话","kind":"医院","credit_code":"`+registry.CreditCodeFor(2)+`","contact_phone":"123"}`, 400)
		if p["field"] != "contact_phone" {
			t.Fatalf("problem %v", p)
		}
		duty.do("POST", "/api/v1/websites", `{"unit_id":`+id(u["id"])+`,"name":"官网","domain":"www.qsyy.cn","ips":["10.0.0.300"]}`, 400)
		duty.do("POST", "/api/v1/websites", `{"unit_id":`+id(u["id"])+`,"name":"官网","domain":"www.qsyy.cn","ips":["10.0.0.3"],"key_site":true}`, 201)
		got := c["citydeputy"].do("GET", "/api/v1/units?q=qsyy", "", 200)["items"].([]any)
		if len(got) != 1 {
			t.Fatalf("search %v", got)
		}

		// An XLSX with wrong columns: 400 naming the missing column.
		st, body, _ := duty.raw("POST", "/api/v1/registry/import?format=xlsx", "", wrongHeaderXLSX(t))
		if st != 400 || !strings.Contains(string(body), "统一社会信用代码") {
			t.Fatalf("wrong columns: %d %s", st, body)
		}
		// A wrong row: 422 with the report, nothing written.
		csv := "单位名称,单位类型,统一社会信用代码,联系电话\n甲,企业," + registry.CreditCodeFor(3) + ",028-38800003\n乙,企业,BAD,\n"
		st, body, _ = duty.raw("POST", "/api/v1/registry/import?format=csv", "text/csv", []byte(csv))
		if st != 422 || !strings.Contains(string(body), `"wrong":1`) || !strings.Contains(string(body), `"line":3`) {
			t.Fatalf("wrong row: %d %s", st, body)
		}
		if n := len(duty.do("GET", "/api/v1/units", "", 200)["items"].([]any)); n != 1 {
			t.Fatalf("half imported: %d units", n)
		}
		csv = strings.Replace(csv, "乙,企业,BAD,\n", "", 1)
		st, body, _ = duty.raw("POST", "/api/v1/registry/import?format=csv", "text/csv", []byte(csv))
		if st != 200 || !strings.Contains(string(body), `"written":true`) {
			t.Fatalf("import: %d %s", st, body)
		}
		st, body, hdr := duty.raw("GET", "/api/v1/registry/export?format=xlsx", "", nil)
		if st != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "xlsx") {
			t.Fatalf("export %d", st)
		}
		units, sites, err := registry.ReadXLSX(bytes.NewReader(body), true, true)
		if err != nil || len(units.Rows) != 2 || len(sites.Rows) != 1 {
			t.Fatalf("export content %v", err)
		}
	})
}

func wrongHeaderXLSX(t *testing.T) []byte {
	var buf bytes.Buffer
	// A websites-only ledger where the units sheet has the wrong header: build
	// it by writing a CSV-shaped sheet through the registry writer for websites.
	if err := registry.WriteXLSX(&buf, nil, []*registry.Website{{Name: "x", Domain: "a.cn"}}); err != nil {
		t.Fatal(err)
	}
	// Rename the sheets: the websites sheet becomes the only sheet read as units.
	return renameFirst(t, buf.Bytes())
}
