package registry

import (
	"bytes"
	"strings"
	"testing"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

func TestCreditCode(t *testing.T) {
	for _, c := range []struct {
		s  string
		ok bool
	}{
		{"91350100M000100Y43", true},
		{"91350100M000100Y44", false}, // wrong check character
		{"91350100M000100Y4", false},  // 17 characters
		{"91350100m000100Y43", false}, // lower case
		{"91350100I000100Y43", false}, // I is not used
		{"", false},
		{CreditCodeFor(1), true},
		{CreditCodeFor(999999999), true},
	} {
		if got := ValidCreditCode(c.s); got != c.ok {
			t.Errorf("ValidCreditCode(%q) = %v", c.s, got)
		}
	}
}

func TestValidators(t *testing.T) {
	yes := func(name string, f func(string) bool, vs ...string) {
		for _, v := range vs {
			if !f(v) {
				t.Errorf("%s(%q) = false", name, v)
			}
		}
	}
	no := func(name string, f func(string) bool, vs ...string) {
		for _, v := range vs {
			if f(v) {
				t.Errorf("%s(%q) = true", name, v)
			}
		}
	}
	yes("ICP", ValidICP, "川ICP备12345678号-1", "川ICP备12345678号", "京ICP备2021012345号-3")
	no("ICP", ValidICP, "ICP备12345678号", "川ICP备号", "川ICP证123456号", "川ICP备12345678", "川ICP备12345678号-", "XX备12345678号")
	yes("phone", ValidPhone, "13812345678", "028-12345678", "0833-1234567", "028-12345678-801")
	no("phone", ValidPhone, "12812345678", "1381234567", "12345678", "028-123", "0833 1234567", "+8613812345678", "２８")
	yes("email", ValidEmail, "wangjian@qs.gov.cn", "a.b+c@example.com")
	no("email", ValidEmail, "王 <a@b.cn>", "a@", "@b.cn", "a@b", "a b@c.cn")
	yes("domain", ValidDomain, "www.qingshen.gov.cn", "xn--fiqs8s.cn", "a-b.example.com")
	no("domain", ValidDomain, "localhost", "1.2.3.4", "-a.cn", "a..cn", "www.青神.cn", "a.c0m1", "A.CN")
	yes("url", ValidURL, "http://www.qingshen.gov.cn/", "https://1.2.3.4:8443/x?y=1")
	no("url", ValidURL, "ftp://a.cn", "www.a.cn", "http://", "javascript:alert(1)", "http://user:pw@a.cn/")
	if ips, _, ok := ParseIPs("1.2.3.4，2001:db8::1; 10.0.0.1"); !ok || len(ips) != 3 {
		t.Errorf("ParseIPs: %v %v", ips, ok)
	}
	if _, bad, ok := ParseIPs("1.2.3.4, 300.1.1.1"); ok || bad != "300.1.1.1" {
		t.Errorf("ParseIPs bad = %q %v", bad, ok)
	}
	if NormalizePhone(" +86 138 1234 5678") != "13812345678" {
		t.Error("NormalizePhone")
	}
}

const unitsCSV = "\ufeff序号,单位名称,单位类型,统一社会信用代码,所属区域,单位地址,负责人,负责人电话,网络安全联系人,联系电话,电子邮箱,备注\n"

func TestReadCSV(t *testing.T) {
	in := unitsCSV + "1,青神县人民医院,医院," + CreditCodeFor(7) + ",青神县,青城镇,张三,13800000001,李四,028-38800001,it@qsyy.cn,\n,,,,,,,,,,,\n"
	tab, err := ReadCSV(strings.NewReader(in), UnitSheet, UnitColumns)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 1 || tab.Rows[0].Line != 2 {
		t.Fatalf("rows %+v", tab.Rows)
	}
	u, ps := UnitFromRow(tab.Rows[0])
	if len(ps) != 0 || u.Name != "青神县人民医院" || u.ContactPhone != "028-38800001" {
		t.Fatalf("unit %+v %v", u, ps)
	}
	// Wrong cells are named by their column header.
	bad := Row{Line: 3, Cells: map[string]string{"name": "x", "kind": "工厂", "credit_code": "123", "contact_phone": "12345", "contact_email": "x@"}}
	_, ps = UnitFromRow(bad)
	got := map[string]string{}
	for _, p := range ps {
		got[p.Field] = p.Key
	}
	want := map[string]string{"单位类型": "registry.bad_kind", "统一社会信用代码": "registry.bad_credit_code", "联系电话": "registry.bad_phone", "电子邮箱": "registry.bad_email"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("problem for %s = %q, want %q (all %v)", k, got[k], v, got)
		}
	}
}

func TestWrongColumns(t *testing.T) {
	for _, c := range []struct{ head, key, mention string }{
		{"单位名称,单位类型\n", "registry.missing_columns", "统一社会信用代码"},
		{"单位名称,单位类型,统一社会信用代码,传真\n", "registry.unknown_columns", "传真"},
		{"单位名称,单位类型,统一社会信用代码,单位名称\n", "registry.duplicate_columns", "单位名称"},
		{"", "registry.empty_file", ""},
	} {
		_, err := ReadCSV(strings.NewReader(c.head), UnitSheet, UnitColumns)
		e := errs.As(err)
		if e.Key != c.key || e.Field != "file" || !strings.Contains(strings.Join(strArgs(e.Args), " "), c.mention) {
			t.Errorf("%q: %v", c.head, err)
		}
	}
}

func strArgs(a []any) []string {
	var out []string
	for _, v := range a {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(unitsCSV)
	for i := 0; i <= MaxRows; i++ {
		b.WriteString("1,a,企业,x,,,,,,,,\n")
	}
	_, err := ReadCSV(strings.NewReader(b.String()), UnitSheet, UnitColumns)
	if errs.As(err).Key != "registry.too_many_rows" {
		t.Fatalf("err %v", err)
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	units := []*Unit{{Name: "青神县政府办", Kind: "党政机关", CreditCode: CreditCodeFor(1), ContactPhone: "=cmd|'/c calc'!A1"}}
	sites := []*Website{{Name: "青神县人民政府网", Domain: "www.qingshen.gov.cn", UnitCode: CreditCodeFor(1), KeySite: true, ICP: "川ICP备12345678号-1"}}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, units, sites); err != nil {
		t.Fatal(err)
	}
	ut, st, err := ReadXLSX(bytes.NewReader(buf.Bytes()), true, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(ut.Rows) != 1 || ut.Rows[0].Cells["credit_code"] != CreditCodeFor(1) || len(st.Rows) != 1 {
		t.Fatalf("units %+v sites %+v", ut.Rows, st.Rows)
	}
	w, ps := WebsiteFromRow(st.Rows[0])
	if len(ps) != 0 || !w.KeySite || w.Domain != "www.qingshen.gov.cn" {
		t.Fatalf("site %+v %v", w, ps)
	}
	var csvBuf bytes.Buffer
	WriteUnitsCSV(&csvBuf, units)
	if !strings.Contains(csvBuf.String(), "'=cmd") {
		t.Errorf("formula not defused: %s", csvBuf.String())
	}
}

func TestWrongColumnsXLSX(t *testing.T) {
	var buf bytes.Buffer
	WriteXLSX(&buf, nil, nil)
	// A websites-only workbook renamed: the units sheet has website headers.
	_, _, err := ReadXLSX(bytes.NewReader(buf.Bytes()), false, true)
	if err != nil {
		t.Fatal(err)
	}
	wrong := bytes.Buffer{}
	f := mustXLSX(t, [][]string{{"序号", "名称", "信用代码"}, {"1", "a", "b"}})
	wrong.Write(f)
	_, _, err = ReadXLSX(bytes.NewReader(wrong.Bytes()), true, false)
	e := errs.As(err)
	if e.Key != "registry.missing_columns" || !strings.Contains(e.Args[1].(string), "单位名称") {
		t.Fatalf("err %v", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(unitsCSV + "1,青神县人民医院,医院," + CreditCodeFor(7) + ",青神县,青城镇,张三,13800000001,李四,028-38800001,it@qsyy.cn,\n")
	f.Add("单位名称,单位类型,统一社会信用代码\n\"a,\"\"b\",企业,x\n")
	f.Add("\ufeff\"unterminated")
	// Issue 9: guard apostrophes, bad quotes, NUL and invalid UTF-8 mid-file, GBK.
	f.Add("单位名称,单位类型,统一社会信用代码,备注\n'-测试单位,企业," + CreditCodeFor(2) + ",'=1+1\n")
	f.Add("单位名称,单位类型,统一社会信用代码\n甲,企业," + CreditCodeFor(1) + "\n乙\"x,企业," + CreditCodeFor(2) + "\n")
	f.Add("单位名称,单位类型,统一社会信用代码\n乙\x00,企业," + CreditCodeFor(3) + "\n丙\xff,企业," + CreditCodeFor(4) + "\n")
	f.Add("\xb5\xa5\xce\xbb\xc3\xfb\xb3\xc6\n")
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ReadCSV(strings.NewReader(s), UnitSheet, UnitColumns)
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("non-Invalid error %v", err)
			}
			return
		}
		for _, r := range tab.Rows {
			u, ps := UnitFromRow(r)
			if len(ps) == 0 && (!ValidCreditCode(u.CreditCode) || u.Name == "") {
				t.Fatalf("accepted bad unit %+v", u)
			}
			for _, v := range unitRecord(u) {
				if len(ps) == 0 && !cleantext.OK(v) {
					t.Fatalf("accepted text that is not clean: %q", v)
				}
			}
		}
	})
}

func FuzzValidators(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "川ICP备12345678号-1", "028-12345678", "13812345678", "a@b.cn", "1.2.3.4", "www.a.cn", "http://a.cn/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidCreditCode(s) && len(s) != 18 {
			t.Fatal("credit code length")
		}
		if ValidPhone(s) && strings.ContainsAny(s, " +") {
			t.Fatal("phone with space")
		}
		ValidICP(s)
		ValidEmail(s)
		ValidURL(s)
		if ValidDomain(s) && s != strings.ToLower(s) {
			t.Fatal("upper-case domain")
		}
		if ips, _, ok := ParseIPs(s); ok {
			again, _, ok2 := ParseIPs(JoinIPs(ips))
			if !ok2 || JoinIPs(again) != JoinIPs(ips) {
				t.Fatal("IP round trip")
			}
		}
	})
}
