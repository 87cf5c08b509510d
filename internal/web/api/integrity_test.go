package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// NUL bytes, other control characters and invalid UTF-8 are refused at the
// edge with a problem naming the field, and nothing is written, on both
// databases (PostgreSQL used to answer 500, SQLite stored them, and invalid
// UTF-8 was stored as U+FFFD).
func TestBadTextRefusedAtTheEdge(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty := c["duty"]
		u := duty.do("POST", "/api/v1/units", `{"name":"青神县人民医院","kind":"医院","credit_code":"`+registry.CreditCodeFor(1)+`"}`, 201)
		uid := id(u["id"])
		cat := env.Plan.Categories[0].Key
		disc := env.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
		counts := func() string {
			var parts []string
			for _, p := range []string{"/api/v1/units", "/api/v1/websites", "/api/v1/contacts", "/api/v1/incidents", "/api/v1/duty/log"} {
				parts = append(parts, p+"="+id(len(duty.do("GET", p, "", 200)["items"].([]any))))
			}
			return strings.Join(parts, " ")
		}
		before := counts()
		for _, tc := range []struct {
			method, path, body, field string
		}{
			{"POST", "/api/v1/units", `{"name":"a\u0000b","kind":"其他","credit_code":"` + registry.CreditCodeFor(2) + `"}`, "name"},
			{"POST", "/api/v1/units", "{\"name\":\"乙\",\"kind\":\"其他\",\"credit_code\":\"" + registry.CreditCodeFor(3) + "\",\"address\":\"\xff\xfe\"}", "address"},
			{"POST", "/api/v1/units", `{"name":"丙\ud800","kind":"其他","credit_code":"` + registry.CreditCodeFor(4) + `"}`, "name"},
			{"POST", "/api/v1/units", `{"name":"丁\b","kind":"其他","credit_code":"` + registry.CreditCodeFor(5) + `"}`, "name"},
			{"PUT", "/api/v1/units/" + uid, `{"name":"青神县人民医院","kind":"医院","credit_code":"` + registry.CreditCodeFor(1) + `","note":"x\u001by"}`, "note"},
			{"POST", "/api/v1/websites", `{"unit_id":` + uid + `,"name":"官网\u0000","domain":"www.qsyy.cn"}`, "name"},
			{"POST", "/api/v1/websites", `{"unit_id":` + uid + `,"name":"官网","domain":"www.qsyy.cn","ips":["10.0.0.1","\u0000"]}`, "ips[1]"},
			{"POST", "/api/v1/contacts", `{"unit_id":` + uid + `,"name":"王\u0000五","phone":"13800000005"}`, "name"},
			{"POST", "/api/v1/incidents", `{"title":"网站被篡改\u0000","category":"` + cat + `","level":4,"discovered_at":"` + disc + `"}`, "title"},
			{"POST", "/api/v1/duty/log", `{"what":"县医院网站无法访问","incident":{"title":"\u0000","category":"` + cat + `","level":4}}`, "incident.title"},
			{"POST", "/api/v1/duty/log", "{\"what\":\"县医院\xc3\x28网站\"}", "what"},
			{"GET", "/api/v1/units?q=%00", "", "q"},
		} {
			p := duty.do(tc.method, tc.path, tc.body, 400)
			if p["field"] != tc.field || p["message_key"] != "error.bad_text" {
				t.Errorf("%s %s %q: problem %v, want field %s", tc.method, tc.path, tc.body, p, tc.field)
			}
		}
		// A ledger row with a NUL is a wrong row naming its column.
		csv := "单位名称,单位类型,统一社会信用代码\n甲,企业," + registry.CreditCodeFor(6) + "\n乙\x00,企业," + registry.CreditCodeFor(7) + "\n"
		st, body, _ := duty.raw("POST", "/api/v1/registry/import?format=csv", "text/csv", []byte(csv))
		var rep struct {
			Written bool `json:"written"`
			Wrong   int  `json:"wrong"`
			Rows    []struct {
				Line     int `json:"line"`
				Problems []struct {
					Column string `json:"column"`
					Key    string `json:"message_key"`
				} `json:"problems"`
			} `json:"rows"`
		}
		json.Unmarshal(body, &rep)
		if st != 422 || rep.Written || rep.Wrong != 1 {
			t.Fatalf("csv with NUL: %d %s", st, body)
		}
		for _, r := range rep.Rows {
			if r.Line == 3 && (len(r.Problems) != 1 || r.Problems[0].Column != "单位名称" || r.Problems[0].Key != "registry.bad_text") {
				t.Fatalf("row 3: %+v", r)
			}
		}
		if after := counts(); after != before {
			t.Fatalf("refused input wrote: %s → %s", before, after)
		}
		got := duty.do("GET", "/api/v1/units/"+uid, "", 200)
		if b, _ := json.Marshal(got); strings.Contains(string(b), `\u001b`) {
			t.Fatalf("unit changed: %s", b)
		}
	})
}

// Export → import through the API changes nothing, in CSV and XLSX, for
// names that begin with each character the formula guard defuses.
func TestExportImportRoundTrip(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty := c["duty"]
		names := []string{"=测试单位", "+测试单位", "-测试单位", "@测试单位", "'-测试单位"}
		for i, n := range names {
			b, _ := json.Marshal(map[string]string{"name": n, "kind": "企业", "credit_code": registry.CreditCodeFor(i + 1), "note": n})
			duty.do("POST", "/api/v1/units", string(b), 201)
		}
		for _, format := range []string{"csv", "xlsx"} {
			st, file, _ := duty.raw("GET", "/api/v1/registry/export?kind=units&format="+format, "", nil)
			if st != 200 {
				t.Fatalf("export %s: %d", format, st)
			}
			st, body, _ := duty.raw("POST", "/api/v1/registry/import?kind=units&format="+format, "", file)
			if st != 200 || !strings.Contains(string(body), `"unchanged":5`) || !strings.Contains(string(body), `"changed":0`) {
				t.Fatalf("import %s: %d %s", format, st, body)
			}
		}
		got := map[string]bool{}
		for _, it := range duty.do("GET", "/api/v1/units", "", 200)["items"].([]any) {
			got[it.(map[string]any)["name"].(string)] = true
		}
		for _, n := range names {
			if !got[n] {
				t.Errorf("%q lost: %v", n, got)
			}
		}
	})
}

// A ledger broken in the middle writes nothing: an XLSX whose sheet XML
// breaks at row 3 (it used to import rows 1–2 and answer "written":true),
// a CSV with a bad quote on line 3, a CSV with invalid UTF-8 on line 3.
func TestImportBrokenInTheMiddleWritesNothing(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty := c["duty"]
		var units []*registry.Unit
		for i := 1; i <= 5; i++ {
			units = append(units, &registry.Unit{Name: "单位" + id(i), Kind: "企业", CreditCode: registry.CreditCodeFor(i)})
		}
		var buf bytes.Buffer
		if err := registry.WriteXLSX(&buf, units, nil); err != nil {
			t.Fatal(err)
		}
		midbad := editSheet(t, buf.Bytes(), func(s string) string {
			at := strings.Index(s, `<row r="3">`)
			at += strings.Index(s[at:], "</t>")
			return s[:at] + "&bogus;" + s[at:]
		})
		st, body, _ := duty.raw("POST", "/api/v1/registry/import?format=xlsx&kind=units", "", midbad)
		if st != 400 || !strings.Contains(string(body), `"message_key":"registry.damaged_sheet"`) || !strings.Contains(string(body), "联网单位") ||
			!strings.Contains(string(body), "第 3 行") {
			t.Fatalf("mid-broken xlsx: %d %s", st, body)
		}
		head := "单位名称,单位类型,统一社会信用代码\n"
		row := func(i int, name string) string { return name + ",企业," + registry.CreditCodeFor(i) + "\n" }
		st, body, _ = duty.raw("POST", "/api/v1/registry/import?format=csv", "text/csv", []byte(head+row(1, "甲")+`乙"x,企业,`+registry.CreditCodeFor(2)+"\n"+row(3, "丙")))
		if st != 400 || !strings.Contains(string(body), "registry.bad_file") {
			t.Fatalf("bad quote: %d %s", st, body)
		}
		st, body, _ = duty.raw("POST", "/api/v1/registry/import?format=csv", "text/csv", []byte(head+row(1, "甲")+row(2, "乙\xff")+row(3, "丙")))
		if st != 422 || !strings.Contains(string(body), `"written":false`) || !strings.Contains(string(body), `"wrong":1`) {
			t.Fatalf("invalid UTF-8: %d %s", st, body)
		}
		if n := len(duty.do("GET", "/api/v1/units", "", 200)["items"].([]any)); n != 0 {
			t.Fatalf("%d units written", n)
		}
		st, _, _ = duty.raw("POST", "/api/v1/registry/import?format=xlsx&kind=units", "", buf.Bytes())
		if st != 200 || len(duty.do("GET", "/api/v1/units", "", 200)["items"].([]any)) != 5 {
			t.Fatalf("the undamaged workbook: %d", st)
		}
	})
}

// editSheet rewrites the first worksheet's XML of a workbook.
func editSheet(t *testing.T, data []byte, edit func(string) string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			b = []byte(edit(string(b)))
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

// A discovery time before 2000 is refused, naming the field, on the API.
func TestAPIDiscoveryTimeBounded(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		cat := env.Plan.Categories[0].Key
		for _, at := range []string{"0000-01-01T00:00:00Z", "1970-01-01T08:00:00+08:00"} {
			p := c["duty"].do("POST", "/api/v1/incidents", `{"title":"网站被篡改","category":"`+cat+`","level":4,"discovered_at":"`+at+`"}`, 400)
			if p["field"] != "discovered_at" || p["message_key"] != "error.too_early" {
				t.Fatalf("%s: %v", at, p)
			}
			p = c["duty"].do("POST", "/api/v1/duty/log", `{"what":"接报","incident":{"title":"网站被篡改","category":"`+cat+`","level":4,"discovered_at":"`+at+`"}}`, 400)
			if p["field"] != "discovered_at" || p["message_key"] != "error.too_early" {
				t.Fatalf("log, %s: %v", at, p)
			}
		}
		if n := len(c["duty"].do("GET", "/api/v1/incidents", "", 200)["items"].([]any)); n != 0 {
			t.Fatalf("%d incidents", n)
		}
	})
}
