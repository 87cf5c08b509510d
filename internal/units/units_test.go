package units_test

import (
	"bytes"
	"strings"
	"testing"

	"yingji/internal/errs"
	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// shanghai and at are declared in moved_helpers_test.go.

func TestRegistryCRUD(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, xing, city := env.Users["duty"], env.Users["xingjing"], env.Users["citydeputy"]
		u := testkit.Unit(1, "青神县人民医院")
		u.Kind = "医院"
		if err := env.App.Units.CreateUnit(ctx, duty, 0, u); err != nil {
			t.Fatal(err)
		}
		// Duplicate credit code.
		testkit.WantField(t, env.App.Units.CreateUnit(ctx, duty, 0, testkit.Unit(1, "另一个单位")), "credit_code")
		// Malformed phone, credit code, e-mail, kind: each names its field.
		for field, mut := range map[string]func(*registry.Unit){
			"contact_phone": func(x *registry.Unit) { x.ContactPhone = "12345" },
			"credit_code":   func(x *registry.Unit) { x.CreditCode = "91510000000000001X" },
			"contact_email": func(x *registry.Unit) { x.ContactEmail = "not-mail" },
			"kind":          func(x *registry.Unit) { x.Kind = "工厂" },
		} {
			x := testkit.Unit(2, "x")
			mut(x)
			testkit.WantField(t, env.App.Units.CreateUnit(ctx, duty, 0, x), field)
		}
		// A group member may not edit the registry.
		testkit.WantCode(t, env.App.Units.CreateUnit(ctx, xing, 0, testkit.Unit(3, "y")), errs.Forbidden)

		site := &registry.Website{UnitID: u.ID, Name: "医院官网", Domain: "WWW.QSYY.CN", ICP: "川ICP备12345678号-1"}
		site.IPs, _, _ = registry.ParseIPs("10.1.1.1")
		if err := env.App.Units.SaveWebsite(ctx, duty, 0, site); err != nil {
			t.Fatal(err)
		}
		if site.Domain != "www.qsyy.cn" {
			t.Fatalf("domain %q", site.Domain)
		}
		testkit.WantField(t, env.App.Units.SaveWebsite(ctx, duty, 0, &registry.Website{UnitID: u.ID, Name: "重复", Domain: "www.qsyy.cn"}), "domain")
		testkit.WantField(t, env.App.Units.SaveWebsite(ctx, duty, 0, &registry.Website{UnitID: u.ID, Name: "坏备案", Domain: "b.qsyy.cn", ICP: "川备123号"}), "icp")

		// Search: by name substring, credit code, domain; the city sees the county's units.
		for _, f := range []registry.Filter{{Q: "青神县人民"}, {Q: registry.CreditCodeFor(1)}, {Q: registry.CreditCodeFor(1)[:10]},
			{Q: "qsyy"}, {Q: "www.qsyy"}, {Q: "李四"}, {Q: "028-388"}, {Q: "人民医院"}, {Q: "qsyy.cn"}, {Q: "青神县人民", Prefix: true}, {Q: "qsyy", Prefix: true}} {
			got, err := env.App.Units.ListUnits(ctx, city, f, 0)
			if err != nil || len(got) != 1 || got[0].ID != u.ID {
				t.Fatalf("search %+v: %v %v", f, got, err)
			}
		}
		isp := testkit.Unit(9, "中国电信青神分公司")
		isp.Kind = "ISP"
		if err := env.App.Units.CreateUnit(ctx, duty, 0, isp); err != nil {
			t.Fatal(err)
		}
		if got, _ := env.App.Units.ListUnits(ctx, duty, registry.Filter{Kind: "provider"}, 0); len(got) != 1 || got[0].ID != isp.ID {
			t.Fatalf("providers %v", got)
		}
		if got, _ := env.App.Units.ListUnits(ctx, city, registry.Filter{Q: "人民医院", Prefix: true}, 0); len(got) != 0 {
			t.Fatalf("prefix search matched a substring: %v", got)
		}
		got, _ := env.App.Units.ListUnits(ctx, duty, registry.Filter{Q: "100%_"}, 0)
		if len(got) != 0 {
			t.Fatalf("wildcards must be literal: %v", got)
		}
		// The city may read but not edit the county's unit.
		u2 := testkit.Unit(1, "青神县人民医院（改）")
		testkit.WantCode(t, env.App.Units.UpdateUnit(ctx, city, u.ID, u2), errs.Forbidden)
		if err := env.App.Units.UpdateUnit(ctx, duty, u.ID, u2); err != nil {
			t.Fatal(err)
		}
		c := &registry.Contact{UnitID: u.ID, Name: "王五", Role: "网管", Phone: "13800000002"}
		if err := env.App.Units.SaveContact(ctx, duty, 0, 0, c); err != nil {
			t.Fatal(err)
		}
		testkit.WantField(t, env.App.Units.SaveExpert(ctx, duty, 0, 0, &registry.Expert{Name: "赵六", Expertise: "取证", Phone: "110"}), "phone")
		if err := env.App.Units.SaveEquipment(ctx, duty, 0, 0, &registry.Equipment{Name: "川Z-12345 应急通信车", Kind: "车辆", Status: "在用"}); err != nil {
			t.Fatal(err)
		}
		v, err := env.App.Units.GetUnit(ctx, duty, u.ID)
		if err != nil || len(v.Websites) != 1 || len(v.Contacts) != 1 || v.Unit.Name != "青神县人民医院（改）" {
			t.Fatalf("unit view %+v %v", v, err)
		}
		if err := env.App.Units.DeleteUnit(ctx, duty, u.ID); err != nil {
			t.Fatal(err)
		}
		testkit.AuditCount(t, env)
	})
}

func TestImportAllOrNothing(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		ok := testkit.UnitsHead + "1,甲公司,企业," + registry.CreditCodeFor(1) + ",青神县,,,,,028-38800001,,\n" +
			"2,乙学校,学校," + registry.CreditCodeFor(2) + ",青神县,,,,,13800000001,,\n"
		rep, err := env.App.Units.ImportLedger(ctx, duty, 0, "a.csv", testkit.CSVTable(t, ok), nil, true)
		if err != nil || rep.New != 2 || rep.Written {
			t.Fatalf("dry run %+v %v", rep, err)
		}
		if got, _ := env.App.Units.ListUnits(ctx, duty, registry.Filter{}, 0); len(got) != 0 {
			t.Fatal("dry run wrote")
		}
		if rep, err = env.App.Units.ImportLedger(ctx, duty, 0, "a.csv", testkit.CSVTable(t, ok), nil, false); err != nil || !rep.Written {
			t.Fatal(err)
		}
		// A file without the 所属区域 column keeps the stored region: unchanged, not blanked.
		narrow := "单位名称,单位类型,统一社会信用代码,联系电话\n甲公司,企业," + registry.CreditCodeFor(1) + ",028-38800001\n"
		if rep, err = env.App.Units.ImportLedger(ctx, duty, 0, "n.csv", testkit.CSVTable(t, narrow), nil, true); err != nil || rep.Unchanged != 1 {
			t.Fatalf("narrow file %+v %v", rep, err)
		}
		before := testkit.AuditCount(t, env)
		// One good change, one duplicate in the file, one bad phone: nothing is written.
		bad := testkit.UnitsHead + "1,甲公司（更名）,企业," + registry.CreditCodeFor(1) + ",青神县,,,,,028-38800001,,\n" +
			"2,乙学校,学校," + registry.CreditCodeFor(2) + ",青神县,,,,,13800000001,,\n" +
			"3,丙医院,医院," + registry.CreditCodeFor(3) + ",青神县,,,,,1380000,,\n" +
			"4,丁医院,医院," + registry.CreditCodeFor(2) + ",青神县,,,,,,,\n"
		rep, err = env.App.Units.ImportLedger(ctx, duty, 0, "b.csv", testkit.CSVTable(t, bad), nil, false)
		testkit.WantCode(t, err, errs.Invalid)
		if rep == nil || rep.Changed != 1 || rep.Unchanged != 1 || rep.Wrong != 2 || rep.Written {
			t.Fatalf("report %+v", rep)
		}
		if p := rep.Rows[2].Problems; len(p) != 1 || p[0].Field != "联系电话" || rep.Rows[2].Line != 4 {
			t.Fatalf("row 3 %+v", rep.Rows[2])
		}
		if p := rep.Rows[3].Problems; len(p) != 1 || p[0].Key != "registry.duplicate_in_file" || p[0].Field != "统一社会信用代码" {
			t.Fatalf("row 4 %+v", rep.Rows[3])
		}
		if testkit.AuditCount(t, env) != before {
			t.Fatal("a failed import left an audit record")
		}
		got, _ := env.App.Units.ListUnits(ctx, duty, registry.Filter{Q: "更名"}, 0)
		if len(got) != 0 {
			t.Fatal("half imported")
		}
		// Websites: a domain owned by another unit is a wrong row; an unknown owner too.
		var buf bytes.Buffer
		units, _ := env.App.Units.ListUnits(ctx, duty, registry.Filter{}, 0)
		sites := []*registry.Website{{Name: "甲官网", Domain: "www.jia.cn", UnitCode: units[0].CreditCode}}
		registry.WriteXLSX(&buf, nil, sites)
		_, st, err := registry.ReadXLSX(bytes.NewReader(buf.Bytes()), false, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Units.ImportLedger(ctx, duty, 0, "s.xlsx", nil, st, false); err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		registry.WriteXLSX(&buf, nil, []*registry.Website{{Name: "冒用", Domain: "www.jia.cn", UnitCode: units[1].CreditCode},
			{Name: "无主", Domain: "www.wu.cn", UnitCode: registry.CreditCodeFor(99)}})
		_, st, _ = registry.ReadXLSX(bytes.NewReader(buf.Bytes()), false, true)
		rep, err = env.App.Units.ImportLedger(ctx, duty, 0, "s2.xlsx", nil, st, false)
		testkit.WantCode(t, err, errs.Invalid)
		if rep.Wrong != 2 || rep.Rows[0].Problems[0].Key != "registry.domain_taken" || rep.Rows[1].Problems[0].Key != "registry.unknown_unit" {
			t.Fatalf("site report %+v", rep.Rows)
		}
	})
}

func TestImportSmallLedgers(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		read := func(s string, cols []registry.Column) *registry.Table {
			tab, err := registry.ReadCSV(strings.NewReader(s), "x", cols)
			if err != nil {
				t.Fatal(err)
			}
			return tab
		}
		experts := "姓名,工作单位,专业领域,联系电话,是否可参与处置\n赵六,四川大学,数字取证,13900000001,是\n钱七,某公司,渗透测试,110,否\n"
		rep, err := env.App.Units.ImportExperts(ctx, duty, 0, "e.csv", read(experts, registry.ExpertColumns), false)
		testkit.WantCode(t, err, errs.Invalid)
		if rep.Wrong != 1 || rep.Rows[1].Problems[0].Field != "联系电话" {
			t.Fatalf("experts %+v", rep.Rows)
		}
		experts = strings.Replace(experts, ",110,", ",13900000002,", 1)
		if rep, err = env.App.Units.ImportExperts(ctx, duty, 0, "e.csv", read(experts, registry.ExpertColumns), false); err != nil || rep.New != 2 {
			t.Fatalf("%+v %v", rep, err)
		}
		equip := "名称,类别,状态,存放地点\n应急通信车,车辆,在用,县局车库\n应急通信车,车辆,维修,县局车库\n"
		rep, err = env.App.Units.ImportEquipment(ctx, duty, 0, "q.csv", read(equip, registry.EquipmentColumns), false)
		testkit.WantCode(t, err, errs.Invalid)
		if rep.Rows[1].Problems[0].Key != "registry.duplicate_in_file" {
			t.Fatalf("equipment %+v", rep.Rows)
		}
		contacts := "姓名,职务,联系电话,所属单位统一社会信用代码\n王五,网管,13800000005," + registry.CreditCodeFor(42) + "\n"
		rep, err = env.App.Units.ImportContacts(ctx, duty, 0, "c.csv", read(contacts, registry.ContactColumns), false)
		testkit.WantCode(t, err, errs.Invalid)
		if rep.Rows[0].Problems[0].Key != "registry.unknown_unit" {
			t.Fatalf("contacts %+v", rep.Rows)
		}
		l, err := env.App.Units.ExportAll(ctx, duty, 0)
		if err != nil || len(l.Experts) != 2 || len(l.Equipment) != 0 || len(l.Contacts) != 0 {
			t.Fatalf("export %+v %v", l, err)
		}
	})
}
