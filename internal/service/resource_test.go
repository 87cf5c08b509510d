package service_test

import (
	"fmt"
	"strings"
	"testing"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/registry"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// TestIncidentResources (issue 11 gap 8; 五(五)): an incident names several
// affected units and websites, an expert group and the equipment sent; the
// equipment register follows dispatch and return; an item out elsewhere,
// under repair or scrapped is refused; outsiders are told "not found";
// every change is on the timeline and in the audit chain, and the report
// draft names them.
func TestIncidentResources(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		in := newIncident(t, env, "network_attack")
		other := newIncident(t, env, "network_attack")
		plain := newIncident(t, env, "network_attack") // no resources: its draft reads as before

		u1, u2 := unit(1, "青神县人民政府办公室"), unit(2, "青神县教育局")
		must(env.App.Units.CreateUnit(ctx, duty, 0, u1))
		must(env.App.Units.CreateUnit(ctx, duty, 0, u2))
		site := &registry.Website{UnitID: u1.ID, Name: "县政府门户网站", Domain: "www.qingshen.gov.cn", KeySite: true}
		must(env.App.Units.SaveWebsite(ctx, duty, 0, site))
		ex := &registry.Expert{Name: "赵六", Unit: "某网络安全公司", Expertise: "电子数据取证", Phone: "13800000003", Available: true}
		must(env.App.Units.SaveExpert(ctx, duty, 0, 0, ex))
		away := &registry.Expert{Name: "钱七", Expertise: "渗透测试", Phone: "13800000004", Available: false}
		must(env.App.Units.SaveExpert(ctx, duty, 0, 0, away))
		car := &registry.Equipment{Name: "川Z-12345 应急通信车", Kind: "车辆", Status: "备用"}
		kit := &registry.Equipment{Name: "取证箱", Kind: "取证设备", Status: "维修"}
		old := &registry.Equipment{Name: "旧频谱仪", Kind: "监测设备", Status: "报废"}
		for _, e := range []*registry.Equipment{car, kit, old} {
			must(env.App.Units.SaveEquipment(ctx, duty, 0, 0, e))
		}
		before := auditCount(t, env)

		add := func(kind string, ref int64, note string) (*incident.Resource, error) {
			return env.Svc.AddResource(ctx, duty, in.ID, service.NewResource{Kind: kind, RefID: ref, Note: note})
		}
		for _, nr := range []service.NewResource{{Kind: "unit", RefID: u1.ID}, {Kind: "unit", RefID: u2.ID}, {Kind: "website", RefID: site.ID},
			{Kind: "expert", RefID: ex.ID, Note: "负责电子数据固定"}} {
			_, err := env.Svc.AddResource(ctx, duty, in.ID, nr)
			must(err)
		}
		sent, err := add("equipment", car.ID, "赴现场")
		must(err)
		if got, _ := env.App.Units.GetEquipment(ctx, duty, car.ID); got.Status != "在用" {
			t.Fatalf("dispatched car status %q, want 在用", got.Status)
		}

		// Refusals name the field and change nothing.
		if _, err := add("unit", u1.ID, ""); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("same unit twice: %v", err)
		}
		if _, err := env.Svc.AddResource(ctx, duty, other.ID, service.NewResource{Kind: "equipment", RefID: car.ID}); errs.CodeOf(err) != errs.Conflict ||
			!strings.Contains(fmt.Sprint(errs.As(err).Args), in.Number) {
			t.Fatalf("car out with %s, dispatch to another: %v", in.Number, err)
		}
		for _, e := range []*registry.Equipment{kit, old} {
			if _, err := add("equipment", e.ID, ""); errs.CodeOf(err) != errs.Conflict {
				t.Fatalf("dispatch %s (%s): %v", e.Name, e.Status, err)
			}
		}
		if _, err := add("expert", away.ID, ""); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("unavailable expert: %v", err)
		}
		wantField(t, func() error { _, err := add("vehicle", car.ID, ""); return err }(), "kind")
		wantField(t, func() error { _, err := add("unit", 999999, ""); return err }(), "ref_id")
		wantField(t, func() error { _, err := add("unit", u2.ID, "a\x00b"); return err }(), "note")

		// Need-to-know: an officer with no part is told "not found"; the city reads but does not change.
		jj := officer(t, env, "jjofficer", "jiaojing")
		if _, err := env.Svc.Resources(ctx, jj, in.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider reads resources: %v", err)
		}
		if _, err := env.Svc.AddResource(ctx, jj, in.ID, service.NewResource{Kind: "unit", RefID: u2.ID}); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider adds: %v", err)
		}
		v, err := env.Svc.Resources(ctx, city, in.ID)
		must(err)
		if v.CanChange || len(v.Items) != 5 {
			t.Fatalf("city view: can %v, %d items", v.CanChange, len(v.Items))
		}
		_, err = env.Svc.AddResource(ctx, city, in.ID, service.NewResource{Kind: "unit", RefID: u2.ID})
		wantCode(t, err, errs.Forbidden)

		// The draft names them; the plain incident's draft does not.
		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, "followup")
		must(err)
		for _, want := range []string{"涉事单位：青神县人民政府办公室、青神县教育局", "涉事网站：县政府门户网站", "组织专家：赵六", "调派装备：川Z-12345 应急通信车"} {
			if !strings.Contains(r.Fields.Measures, want) {
				t.Fatalf("draft measures lack %q:\n%s", want, r.Fields.Measures)
			}
		}
		rp, err := env.App.Reports.CreateReport(ctx, duty, plain.ID, "followup")
		must(err)
		if strings.Contains(rp.Fields.Measures, "涉事") || strings.Contains(rp.Fields.Measures, "调派") {
			t.Fatalf("plain draft names resources:\n%s", rp.Fields.Measures)
		}

		// Equipment is returned, not removed; the register's status comes back.
		wantCode(t, env.Svc.RemoveResource(ctx, duty, in.ID, sent.ID), errs.Conflict)
		wantCode(t, env.App.Units.DeleteEquipment(ctx, duty, car.ID), errs.Conflict) // out: not deleted from the register
		back, err := env.Svc.ReturnResource(ctx, duty, in.ID, sent.ID)
		must(err)
		if back.ReturnedAt == nil || back.Out() {
			t.Fatalf("returned %+v", back)
		}
		if got, _ := env.App.Units.GetEquipment(ctx, duty, car.ID); got.Status != "备用" {
			t.Fatalf("returned car status %q, want 备用", got.Status)
		}
		_, err = env.Svc.ReturnResource(ctx, duty, in.ID, sent.ID)
		wantCode(t, err, errs.Conflict)
		// Back, it may go to the other incident.
		_, err = env.Svc.AddResource(ctx, duty, other.ID, service.NewResource{Kind: "equipment", RefID: car.ID})
		must(err)
		// A unit named in error is removed.
		v, err = env.Svc.Resources(ctx, duty, in.ID)
		must(err)
		if !v.CanChange {
			t.Fatal("duty officer may not change resources")
		}
		must(env.Svc.RemoveResource(ctx, duty, in.ID, v.Items[1].ID))
		wantCode(t, env.Svc.RemoveResource(ctx, duty, other.ID, v.Items[0].ID), errs.NotFound) // not of that incident

		tl, err := env.Svc.Timeline(ctx, duty, in.ID, 0, 100)
		must(err)
		kinds := map[incident.EntryKind]int{}
		for _, e := range tl {
			kinds[e.Kind]++
		}
		if kinds[incident.EntryResourceAdded] != 5 || kinds[incident.EntryResourceReturned] != 1 || kinds[incident.EntryResourceRemoved] != 1 {
			t.Fatalf("timeline kinds %v", kinds)
		}
		// The officer's account, 5 adds, 2 drafts, 1 return, 1 add to the other incident, 1 removal.
		if n := auditCount(t, env) - before; n != 11 {
			t.Fatalf("%d audit records, want 11", n)
		}
	})
}

// TestSubstringSearch (issue 11 gap 9): search finds what people type —
// "测试单位0137" in "青神县测试单位0137", a phone number's tail, a domain's
// middle — by default, through the index, with the short-query fallback;
// match=prefix keeps the first release's behaviour; incidents by number,
// title and description.
func TestSubstringSearch(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		var rows strings.Builder
		rows.WriteString(head)
		for i := 1; i <= 300; i++ {
			fmt.Fprintf(&rows, "%d,青神县测试单位%04d,企业,%s,青神县,,张三,,联系人%d,138%08d,,\n", i, i, registry.CreditCodeFor(i), i, 20260000+i)
		}
		if _, err := env.App.Units.ImportLedger(ctx, duty, 0, "t.csv", csvTable(t, rows.String()), nil, false); err != nil {
			t.Fatal(err)
		}
		byName := func(q string, prefix bool) []string {
			t.Helper()
			got, err := env.App.Units.ListUnits(ctx, city, store.RegistryFilter{Q: q, Prefix: prefix, Limit: 50}, 0)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range got {
				out = append(out, u.Name)
			}
			return out
		}
		for q, want := range map[string]string{
			"测试单位0137": "青神县测试单位0137", "单位0137": "青神县测试单位0137", "20260137": "青神县测试单位0137", // a phone's tail
			"联系人137": "青神县测试单位0137", registry.CreditCodeFor(137)[4:]: "青神县测试单位0137",
		} {
			if got := byName(q, false); len(got) != 1 || got[0] != want {
				t.Errorf("search %q: %v, want [%s]", q, got, want)
			}
		}
		if got := byName("测试单位0137", true); len(got) != 0 {
			t.Errorf("match=prefix found a substring: %v", got)
		}
		if got := byName("青神县测试单位0137", true); len(got) != 1 {
			t.Errorf("match=prefix lost the prefix: %v", got)
		}
		// Short queries (no index): 2 and 1 characters still find.
		if got := byName("37", false); len(got) == 0 || len(got) > 50 {
			t.Errorf("two characters: %d", len(got))
		}
		if got := byName("县", false); len(got) != 50 {
			t.Errorf("one character: %d", len(got))
		}
		// The index follows updates and deletions.
		all, _ := env.App.Units.ListUnits(ctx, duty, store.RegistryFilter{Q: "测试单位0042"}, 0)
		if len(all) != 1 {
			t.Fatalf("0042: %v", all)
		}
		renamed := *all[0]
		renamed.Name = "青神县改名单位甲"
		if err := env.App.Units.UpdateUnit(ctx, duty, renamed.ID, &renamed); err != nil {
			t.Fatal(err)
		}
		if got := byName("测试单位0042", false); len(got) != 0 {
			t.Errorf("old name still found: %v", got)
		}
		if got := byName("改名单位", false); len(got) != 1 {
			t.Errorf("new name not found: %v", got)
		}
		if err := env.App.Units.DeleteUnit(ctx, duty, renamed.ID); err != nil {
			t.Fatal(err)
		}
		if got := byName("改名单位", false); len(got) != 0 {
			t.Errorf("deleted unit found: %v", got)
		}
		// Through the websites.
		u, _ := env.App.Units.ListUnits(ctx, duty, store.RegistryFilter{Q: "测试单位0200"}, 0)
		if err := env.App.Units.SaveWebsite(ctx, duty, 0, &registry.Website{UnitID: u[0].ID, Name: "门户", Domain: "www.qsjyj-portal.cn"}); err != nil {
			t.Fatal(err)
		}
		if got := byName("jyj-port", false); len(got) != 1 || got[0] != "青神县测试单位0200" {
			t.Errorf("domain middle: %v", got)
		}

		// Incidents: number, title, description.
		a := newIncident(t, env, "network_attack") // 县政府门户网站遭受DDoS攻击 / 访问中断约20分钟
		b, err := env.Svc.CreateIncident(ctx, duty, service.NewIncident{Title: "县教育局网站首页被篡改", Category: "network_attack", Level: 4,
			DiscoveredAt: env.Clock.Now(), Description: "首页出现违法信息"})
		if err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int64{"门户网站": a.ID, "ddos": a.ID, "中断约20": a.ID, "首页被篡": b.ID, "违法信息": b.ID,
			strings.ToLower(b.Number): b.ID, "篡改": b.ID} {
			got, err := env.Svc.ListIncidents(ctx, duty, store.IncidentFilter{Text: q})
			if err != nil || len(got) != 1 || got[0].ID != want {
				t.Errorf("incident search %q: %v %v", q, got, err)
			}
		}
		if got, _ := env.Svc.ListIncidents(ctx, duty, store.IncidentFilter{Text: "网站"}); len(got) != 2 {
			t.Errorf("incident search 网站: %d", len(got))
		}
	})
}
