package service_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// shanghai is declared in report_test.go.

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := errs.As(err)
	if err == nil || e.Code != errs.Invalid || e.Field != field {
		t.Fatalf("want invalid %s, got %v", field, err)
	}
}

func unit(n int, name string) *registry.Unit {
	return &registry.Unit{Name: name, Kind: "企业", CreditCode: registry.CreditCodeFor(n), ContactName: "李四", ContactPhone: "028-38800001", ContactEmail: "sec@example.cn"}
}

func TestRegistryCRUD(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, xing, city := env.Users["duty"], env.Users["xingjing"], env.Users["citydeputy"]
		u := unit(1, "青神县人民医院")
		u.Kind = "医院"
		if err := env.Svc.CreateUnit(ctx, duty, 0, u); err != nil {
			t.Fatal(err)
		}
		// Duplicate credit code.
		wantField(t, env.Svc.CreateUnit(ctx, duty, 0, unit(1, "另一个单位")), "credit_code")
		// Malformed phone, credit code, e-mail, kind: each names its field.
		for field, mut := range map[string]func(*registry.Unit){
			"contact_phone": func(x *registry.Unit) { x.ContactPhone = "12345" },
			"credit_code":   func(x *registry.Unit) { x.CreditCode = "91510000000000001X" },
			"contact_email": func(x *registry.Unit) { x.ContactEmail = "not-mail" },
			"kind":          func(x *registry.Unit) { x.Kind = "工厂" },
		} {
			x := unit(2, "x")
			mut(x)
			wantField(t, env.Svc.CreateUnit(ctx, duty, 0, x), field)
		}
		// A group member may not edit the registry.
		wantCode(t, env.Svc.CreateUnit(ctx, xing, 0, unit(3, "y")), errs.Forbidden)

		site := &registry.Website{UnitID: u.ID, Name: "医院官网", Domain: "WWW.QSYY.CN", ICP: "川ICP备12345678号-1"}
		site.IPs, _, _ = registry.ParseIPs("10.1.1.1")
		if err := env.Svc.SaveWebsite(ctx, duty, 0, site); err != nil {
			t.Fatal(err)
		}
		if site.Domain != "www.qsyy.cn" {
			t.Fatalf("domain %q", site.Domain)
		}
		wantField(t, env.Svc.SaveWebsite(ctx, duty, 0, &registry.Website{UnitID: u.ID, Name: "重复", Domain: "www.qsyy.cn"}), "domain")
		wantField(t, env.Svc.SaveWebsite(ctx, duty, 0, &registry.Website{UnitID: u.ID, Name: "坏备案", Domain: "b.qsyy.cn", ICP: "川备123号"}), "icp")

		// Search: by name substring, credit code, domain; the city sees the county's units.
		for _, f := range []store.RegistryFilter{{Q: "青神县人民"}, {Q: registry.CreditCodeFor(1)}, {Q: registry.CreditCodeFor(1)[:10]},
			{Q: "qsyy"}, {Q: "www.qsyy"}, {Q: "李四"}, {Q: "028-388"}, {Q: "人民医院"}, {Q: "qsyy.cn"}, {Q: "青神县人民", Prefix: true}, {Q: "qsyy", Prefix: true}} {
			got, err := env.Svc.ListUnits(ctx, city, f, 0)
			if err != nil || len(got) != 1 || got[0].ID != u.ID {
				t.Fatalf("search %+v: %v %v", f, got, err)
			}
		}
		isp := unit(9, "中国电信青神分公司")
		isp.Kind = "ISP"
		if err := env.Svc.CreateUnit(ctx, duty, 0, isp); err != nil {
			t.Fatal(err)
		}
		if got, _ := env.Svc.ListUnits(ctx, duty, store.RegistryFilter{Kind: "provider"}, 0); len(got) != 1 || got[0].ID != isp.ID {
			t.Fatalf("providers %v", got)
		}
		if got, _ := env.Svc.ListUnits(ctx, city, store.RegistryFilter{Q: "人民医院", Prefix: true}, 0); len(got) != 0 {
			t.Fatalf("prefix search matched a substring: %v", got)
		}
		got, _ := env.Svc.ListUnits(ctx, duty, store.RegistryFilter{Q: "100%_"}, 0)
		if len(got) != 0 {
			t.Fatalf("wildcards must be literal: %v", got)
		}
		// The city may read but not edit the county's unit.
		u2 := unit(1, "青神县人民医院（改）")
		wantCode(t, env.Svc.UpdateUnit(ctx, city, u.ID, u2), errs.Forbidden)
		if err := env.Svc.UpdateUnit(ctx, duty, u.ID, u2); err != nil {
			t.Fatal(err)
		}
		c := &registry.Contact{UnitID: u.ID, Name: "王五", Role: "网管", Phone: "13800000002"}
		if err := env.Svc.SaveContact(ctx, duty, 0, 0, c); err != nil {
			t.Fatal(err)
		}
		wantField(t, env.Svc.SaveExpert(ctx, duty, 0, 0, &registry.Expert{Name: "赵六", Expertise: "取证", Phone: "110"}), "phone")
		if err := env.Svc.SaveEquipment(ctx, duty, 0, 0, &registry.Equipment{Name: "川Z-12345 应急通信车", Kind: "车辆", Status: "在用"}); err != nil {
			t.Fatal(err)
		}
		v, err := env.Svc.GetUnit(ctx, duty, u.ID)
		if err != nil || len(v.Websites) != 1 || len(v.Contacts) != 1 || v.Unit.Name != "青神县人民医院（改）" {
			t.Fatalf("unit view %+v %v", v, err)
		}
		if err := env.Svc.DeleteUnit(ctx, duty, u.ID); err != nil {
			t.Fatal(err)
		}
		auditCount(t, env)
	})
}

func csvTable(t *testing.T, s string) *registry.Table {
	t.Helper()
	tab, err := registry.ReadCSV(strings.NewReader(s), registry.UnitSheet, registry.UnitColumns)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

const head = "序号,单位名称,单位类型,统一社会信用代码,所属区域,单位地址,负责人,负责人电话,网络安全联系人,联系电话,电子邮箱,备注\n"

func TestImportAllOrNothing(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		ok := head + "1,甲公司,企业," + registry.CreditCodeFor(1) + ",青神县,,,,,028-38800001,,\n" +
			"2,乙学校,学校," + registry.CreditCodeFor(2) + ",青神县,,,,,13800000001,,\n"
		rep, err := env.Svc.ImportLedger(ctx, duty, 0, "a.csv", csvTable(t, ok), nil, true)
		if err != nil || rep.New != 2 || rep.Written {
			t.Fatalf("dry run %+v %v", rep, err)
		}
		if got, _ := env.Svc.ListUnits(ctx, duty, store.RegistryFilter{}, 0); len(got) != 0 {
			t.Fatal("dry run wrote")
		}
		if rep, err = env.Svc.ImportLedger(ctx, duty, 0, "a.csv", csvTable(t, ok), nil, false); err != nil || !rep.Written {
			t.Fatal(err)
		}
		// A file without the 所属区域 column keeps the stored region: unchanged, not blanked.
		narrow := "单位名称,单位类型,统一社会信用代码,联系电话\n甲公司,企业," + registry.CreditCodeFor(1) + ",028-38800001\n"
		if rep, err = env.Svc.ImportLedger(ctx, duty, 0, "n.csv", csvTable(t, narrow), nil, true); err != nil || rep.Unchanged != 1 {
			t.Fatalf("narrow file %+v %v", rep, err)
		}
		before := auditCount(t, env)
		// One good change, one duplicate in the file, one bad phone: nothing is written.
		bad := head + "1,甲公司（更名）,企业," + registry.CreditCodeFor(1) + ",青神县,,,,,028-38800001,,\n" +
			"2,乙学校,学校," + registry.CreditCodeFor(2) + ",青神县,,,,,13800000001,,\n" +
			"3,丙医院,医院," + registry.CreditCodeFor(3) + ",青神县,,,,,1380000,,\n" +
			"4,丁医院,医院," + registry.CreditCodeFor(2) + ",青神县,,,,,,,\n"
		rep, err = env.Svc.ImportLedger(ctx, duty, 0, "b.csv", csvTable(t, bad), nil, false)
		wantCode(t, err, errs.Invalid)
		if rep == nil || rep.Changed != 1 || rep.Unchanged != 1 || rep.Wrong != 2 || rep.Written {
			t.Fatalf("report %+v", rep)
		}
		if p := rep.Rows[2].Problems; len(p) != 1 || p[0].Field != "联系电话" || rep.Rows[2].Line != 4 {
			t.Fatalf("row 3 %+v", rep.Rows[2])
		}
		if p := rep.Rows[3].Problems; len(p) != 1 || p[0].Key != "registry.duplicate_in_file" || p[0].Field != "统一社会信用代码" {
			t.Fatalf("row 4 %+v", rep.Rows[3])
		}
		if auditCount(t, env) != before {
			t.Fatal("a failed import left an audit record")
		}
		got, _ := env.Svc.ListUnits(ctx, duty, store.RegistryFilter{Q: "更名"}, 0)
		if len(got) != 0 {
			t.Fatal("half imported")
		}
		// Websites: a domain owned by another unit is a wrong row; an unknown owner too.
		var buf bytes.Buffer
		units, _ := env.Svc.ListUnits(ctx, duty, store.RegistryFilter{}, 0)
		sites := []*registry.Website{{Name: "甲官网", Domain: "www.jia.cn", UnitCode: units[0].CreditCode}}
		registry.WriteXLSX(&buf, nil, sites)
		_, st, err := registry.ReadXLSX(bytes.NewReader(buf.Bytes()), false, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.Svc.ImportLedger(ctx, duty, 0, "s.xlsx", nil, st, false); err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		registry.WriteXLSX(&buf, nil, []*registry.Website{{Name: "冒用", Domain: "www.jia.cn", UnitCode: units[1].CreditCode},
			{Name: "无主", Domain: "www.wu.cn", UnitCode: registry.CreditCodeFor(99)}})
		_, st, _ = registry.ReadXLSX(bytes.NewReader(buf.Bytes()), false, true)
		rep, err = env.Svc.ImportLedger(ctx, duty, 0, "s2.xlsx", nil, st, false)
		wantCode(t, err, errs.Invalid)
		if rep.Wrong != 2 || rep.Rows[0].Problems[0].Key != "registry.domain_taken" || rep.Rows[1].Problems[0].Key != "registry.unknown_unit" {
			t.Fatalf("site report %+v", rep.Rows)
		}
	})
}

func at(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, shanghai) }

func TestDutyRoster(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		dutyU, chief, deputy, xing := env.Users["duty"], env.Users["chief"], env.Users["deputy"], env.Users["xingjing"]
		// Day/night rotation from 28 Nov: day 08:00–20:00, night 20:00–08:00.
		shifts, err := env.Svc.CreateRotation(ctx, dutyU, shanghai, service.RotationInput{Kind: "day_night", First: at(28, 0, 0), Days: 2,
			DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Leaders: []int64{chief.ID, deputy.ID}, Officers: []int64{dutyU.ID, xing.ID}, PerShift: 1})
		if err != nil || len(shifts) != 4 {
			t.Fatalf("rotation %v %v", shifts, err)
		}
		// Overlap: a rotation that collides writes none of its shifts.
		_, err = env.Svc.CreateRotation(ctx, dutyU, shanghai, service.RotationInput{Kind: "24h", First: at(29, 0, 0), Days: 3,
			DayStart: 9 * time.Hour, Leaders: []int64{chief.ID}, Officers: []int64{dutyU.ID}})
		wantCode(t, err, errs.Conflict)
		if e := errs.As(err); e.Key != "duty.overlap" || !strings.Contains(e.Args[1].(string), "2026-11-29 08:00") {
			t.Fatalf("overlap error %v", err)
		}
		_, err = env.Svc.CreateShift(ctx, dutyU, service.ShiftInput{Start: at(28, 19, 0), End: at(28, 21, 0), LeaderID: chief.ID})
		wantCode(t, err, errs.Conflict)
		_, err = env.Svc.CreateShift(ctx, dutyU, service.ShiftInput{Start: at(28, 21, 0), End: at(28, 19, 0)})
		wantField(t, err, "ends_at")

		for _, c := range []struct {
			now    time.Time
			kind   duty.Kind
			leader int64
			start  string
		}{
			{at(28, 9, 0), duty.Day, chief.ID, "2026-11-28T08:00:00+08:00"},
			{at(28, 20, 0), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"},  // the day/night boundary
			{at(28, 23, 59), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"}, // before midnight
			{at(29, 0, 1), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"},   // across midnight (16:01 UTC)
			{at(29, 8, 0), duty.Day, chief.ID, "2026-11-29T08:00:00+08:00"},      // morning change-over
			{at(29, 7, 59).Add(59 * time.Second), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"},
		} {
			env.Clock.Set(c.now)
			v, err := env.Svc.DutyNow(ctx, dutyU, 0)
			if err != nil || v.Current == nil {
				t.Fatalf("%v: %+v %v", c.now, v, err)
			}
			if v.Current.Shift.Kind != c.kind || v.Current.Leader.ID != c.leader || v.Current.Shift.Start.In(shanghai).Format(time.RFC3339) != c.start {
				t.Fatalf("%v: got %s leader %d start %v", c.now, v.Current.Shift.Kind, v.Current.Leader.ID, v.Current.Shift.Start)
			}
		}
		env.Clock.Set(at(30, 9, 0))
		v, _ := env.Svc.DutyNow(ctx, dutyU, 0)
		if v.Current != nil {
			t.Fatal("a gap must show nobody on duty")
		}
		sc, err := env.Svc.DutySchedule(ctx, dutyU, 0, at(28, 0, 0), at(31, 0, 0))
		if err != nil || len(sc.Shifts) != 4 || len(sc.Gaps) != 2 {
			t.Fatalf("schedule %d shifts %d gaps %v", len(sc.Shifts), len(sc.Gaps), err)
		}

		// Swap: the officer asks, the duty leader approves.
		env.Clock.Set(at(28, 9, 0))
		night := shifts[1]
		c, err := env.Svc.RequestChange(ctx, xing, night.ID, service.ChangeInput{Role: "officer", FromUserID: night.OfficerIDs[0], ToUserID: dutyU.ID, Reason: "家中有事"})
		if err != nil || c.Status != "pending" {
			t.Fatalf("change %+v %v", c, err)
		}
		_, err = env.Svc.DecideChange(ctx, dutyU, c.ID, true)
		wantCode(t, err, errs.Forbidden)
		if c, err = env.Svc.DecideChange(ctx, chief, c.ID, true); err != nil || c.Status != "approved" {
			t.Fatal(err)
		}
		_, err = env.Svc.DecideChange(ctx, deputy, c.ID, false)
		wantCode(t, err, errs.Conflict)

		// Handover from the day shift to the night shift; only the night shift confirms.
		day := shifts[0]
		_, err = env.Svc.HandOver(ctx, deputy, day.ID, "平稳", nil)
		wantCode(t, err, errs.Forbidden)
		h, err := env.Svc.HandOver(ctx, chief, day.ID, "白班接报2起，均已处置。", []string{"县政府网站异常访问待复核", " "})
		if err != nil || h.ToShiftID != night.ID || len(h.OpenItems) != 1 {
			t.Fatalf("handover %+v %v", h, err)
		}
		_, err = env.Svc.HandOver(ctx, chief, day.ID, "again", nil)
		wantCode(t, err, errs.Conflict)
		_, err = env.Svc.ConfirmHandover(ctx, xing, h.ID)
		wantCode(t, err, errs.Forbidden) // swapped out of the night shift
		if h, err = env.Svc.ConfirmHandover(ctx, dutyU, h.ID); err != nil || h.ConfirmedBy != dutyU.ID {
			t.Fatal(err)
		}

		// Sensitive period: heightened state and required staffing.
		p := &duty.Period{Name: "县人代会", Start: at(28, 0, 0), End: at(29, 0, 0), Level: "一级", MinLeaders: 1, MinOfficers: 3}
		if err := env.Svc.DeclarePeriod(ctx, dutyU, p); err != nil {
			t.Fatal(err)
		}
		v, _ = env.Svc.DutyNow(ctx, dutyU, 0)
		if !v.Heightened || v.Required.Officers != 3 || !v.Current.Short {
			t.Fatalf("heightened %+v", v)
		}
		auditCount(t, env)
	})
}

func TestDutyLogToIncidentAndActivation(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		dutyU, chief, city := env.Users["duty"], env.Users["chief"], env.Users["citydeputy"]
		if _, err := env.Svc.CreateShift(ctx, dutyU, service.ShiftInput{Kind: "24h", Start: at(28, 8, 0), End: at(29, 8, 0),
			LeaderID: chief.ID, OfficerIDs: []int64{dutyU.ID}}); err != nil {
			t.Fatal(err)
		}
		in := service.LogInput{At: env.Clock.Now().Add(-5 * time.Minute), Place: "青神县", What: "县教育局网站首页被篡改", Measures: "通知断网",
			ReporterUnit: "县教育局", ReporterName: "张三", ReporterPhone: "028-38800"}
		_, _, err := env.Svc.AddLog(ctx, dutyU, in)
		wantField(t, err, "reporter_phone")
		in.ReporterPhone = "028-38800000"
		// A bad incident part leaves no log entry either.
		in.Incident = &incidents.NewIncident{Title: "", Category: "website_defacement", Level: 4, DiscoveredAt: in.At}
		_, _, err = env.Svc.AddLog(ctx, dutyU, in)
		wantField(t, err, "title")
		in.Incident.Category = "no_such_category"
		in.Incident.Title = "县教育局网站被篡改"
		_, _, err = env.Svc.AddLog(ctx, dutyU, in)
		wantField(t, err, "category")
		if l, _ := env.Svc.DutyLog(ctx, dutyU, 0, 0, 10); len(l) != 0 {
			t.Fatal("log entry written without its incident")
		}
		in.Incident = nil
		e, _, err := env.Svc.AddLog(ctx, dutyU, in)
		if err != nil || e.ShiftID == 0 {
			t.Fatalf("log %+v %v", e, err)
		}
		cat := env.Plan.Categories[0].Key
		inc, err := env.Svc.LogToIncident(ctx, dutyU, e.ID, incidents.NewIncident{Title: "县教育局网站被篡改", Category: cat, Level: 4})
		if err != nil || inc.Description == "" {
			t.Fatal(err)
		}
		_, err = env.Svc.LogToIncident(ctx, dutyU, e.ID, incidents.NewIncident{Title: "again", Category: cat, Level: 4})
		wantCode(t, err, errs.Conflict)

		// Activation notifies the duty leader and the leading group through the outbox.
		a, err := env.App.Incidents.RequestActivation(ctx, dutyU, inc.ID, "影响扩大")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		env.DB.Read(ctx, func(q *store.Q) error {
			for _, u := range []string{"chief", "deputy", "duty"} {
				msgs, _ := q.Inbox(env.Users[u].ID, 20)
				for _, m := range msgs {
					if m.Kind == "plan_activated_duty" {
						kinds = append(kinds, u)
					}
				}
			}
			return nil
		})
		if strings.Join(kinds, ",") != "chief,deputy,duty" {
			t.Fatalf("activation notices to %v", kinds)
		}

		// A task names a registry unit; its contacts come with it.
		u := unit(5, "县教育局")
		u.Kind = "党政机关"
		if err := env.Svc.CreateUnit(ctx, dutyU, 0, u); err != nil {
			t.Fatal(err)
		}
		env.Svc.SaveContact(ctx, dutyU, 0, 0, &registry.Contact{UnitID: u.ID, Name: "网管", Phone: "13800000009"})
		v, err := env.App.Incidents.GetIncident(ctx, dutyU, inc.ID)
		if err != nil || len(v.Tasks) == 0 {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.SetTaskUnit(ctx, dutyU, inc.ID, v.Tasks[0].ID, u.ID); err != nil {
			t.Fatal(err)
		}
		tu, err := env.App.Incidents.TaskUnits(ctx, dutyU, inc.ID)
		if err != nil || len(tu) != 1 || tu[0].Unit.ID != u.ID || len(tu[0].Contacts) != 1 {
			t.Fatalf("task units %+v %v", tu, err)
		}
		_ = incident.Reported
		auditCount(t, env)
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
		rep, err := env.Svc.ImportExperts(ctx, duty, 0, "e.csv", read(experts, registry.ExpertColumns), false)
		wantCode(t, err, errs.Invalid)
		if rep.Wrong != 1 || rep.Rows[1].Problems[0].Field != "联系电话" {
			t.Fatalf("experts %+v", rep.Rows)
		}
		experts = strings.Replace(experts, ",110,", ",13900000002,", 1)
		if rep, err = env.Svc.ImportExperts(ctx, duty, 0, "e.csv", read(experts, registry.ExpertColumns), false); err != nil || rep.New != 2 {
			t.Fatalf("%+v %v", rep, err)
		}
		equip := "名称,类别,状态,存放地点\n应急通信车,车辆,在用,县局车库\n应急通信车,车辆,维修,县局车库\n"
		rep, err = env.Svc.ImportEquipment(ctx, duty, 0, "q.csv", read(equip, registry.EquipmentColumns), false)
		wantCode(t, err, errs.Invalid)
		if rep.Rows[1].Problems[0].Key != "registry.duplicate_in_file" {
			t.Fatalf("equipment %+v", rep.Rows)
		}
		contacts := "姓名,职务,联系电话,所属单位统一社会信用代码\n王五,网管,13800000005," + registry.CreditCodeFor(42) + "\n"
		rep, err = env.Svc.ImportContacts(ctx, duty, 0, "c.csv", read(contacts, registry.ContactColumns), false)
		wantCode(t, err, errs.Invalid)
		if rep.Rows[0].Problems[0].Key != "registry.unknown_unit" {
			t.Fatalf("contacts %+v", rep.Rows)
		}
		l, err := env.Svc.ExportAll(ctx, duty, 0)
		if err != nil || len(l.Experts) != 2 || len(l.Equipment) != 0 || len(l.Contacts) != 0 {
			t.Fatalf("export %+v %v", l, err)
		}
	})
}
