package incidents_test

import (
	"fmt"
	"strings"
	"testing"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
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
		in := testkit.NewIncident(t, env, "network_attack")
		other := testkit.NewIncident(t, env, "network_attack")
		plain := testkit.NewIncident(t, env, "network_attack") // no resources: its draft reads as before

		u1, u2 := testkit.Unit(1, "青神县人民政府办公室"), testkit.Unit(2, "青神县教育局")
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
		before := testkit.AuditCount(t, env)

		add := func(kind string, ref int64, note string) (*incident.Resource, error) {
			return env.App.Incidents.AddResource(ctx, duty, in.ID, incidents.NewResource{Kind: kind, RefID: ref, Note: note})
		}
		for _, nr := range []incidents.NewResource{{Kind: "unit", RefID: u1.ID}, {Kind: "unit", RefID: u2.ID}, {Kind: "website", RefID: site.ID},
			{Kind: "expert", RefID: ex.ID, Note: "负责电子数据固定"}} {
			_, err := env.App.Incidents.AddResource(ctx, duty, in.ID, nr)
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
		if _, err := env.App.Incidents.AddResource(ctx, duty, other.ID, incidents.NewResource{Kind: "equipment", RefID: car.ID}); errs.CodeOf(err) != errs.Conflict ||
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
		testkit.WantField(t, func() error { _, err := add("vehicle", car.ID, ""); return err }(), "kind")
		testkit.WantField(t, func() error { _, err := add("unit", 999999, ""); return err }(), "ref_id")
		testkit.WantField(t, func() error { _, err := add("unit", u2.ID, "a\x00b"); return err }(), "note")

		// Need-to-know: an officer with no part is told "not found"; the city reads but does not change.
		jj := testkit.Officer(t, env, "jjofficer", "jiaojing")
		if _, err := env.App.Incidents.Resources(ctx, jj, in.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider reads resources: %v", err)
		}
		if _, err := env.App.Incidents.AddResource(ctx, jj, in.ID, incidents.NewResource{Kind: "unit", RefID: u2.ID}); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider adds: %v", err)
		}
		v, err := env.App.Incidents.Resources(ctx, city, in.ID)
		must(err)
		if v.CanChange || len(v.Items) != 5 {
			t.Fatalf("city view: can %v, %d items", v.CanChange, len(v.Items))
		}
		_, err = env.App.Incidents.AddResource(ctx, city, in.ID, incidents.NewResource{Kind: "unit", RefID: u2.ID})
		testkit.WantCode(t, err, errs.Forbidden)

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
		testkit.WantCode(t, env.App.Incidents.RemoveResource(ctx, duty, in.ID, sent.ID), errs.Conflict)
		testkit.WantCode(t, env.App.Units.DeleteEquipment(ctx, duty, car.ID), errs.Conflict) // out: not deleted from the register
		back, err := env.App.Incidents.ReturnResource(ctx, duty, in.ID, sent.ID)
		must(err)
		if back.ReturnedAt == nil || back.Out() {
			t.Fatalf("returned %+v", back)
		}
		if got, _ := env.App.Units.GetEquipment(ctx, duty, car.ID); got.Status != "备用" {
			t.Fatalf("returned car status %q, want 备用", got.Status)
		}
		_, err = env.App.Incidents.ReturnResource(ctx, duty, in.ID, sent.ID)
		testkit.WantCode(t, err, errs.Conflict)
		// Back, it may go to the other incident.
		_, err = env.App.Incidents.AddResource(ctx, duty, other.ID, incidents.NewResource{Kind: "equipment", RefID: car.ID})
		must(err)
		// A unit named in error is removed.
		v, err = env.App.Incidents.Resources(ctx, duty, in.ID)
		must(err)
		if !v.CanChange {
			t.Fatal("duty officer may not change resources")
		}
		must(env.App.Incidents.RemoveResource(ctx, duty, in.ID, v.Items[1].ID))
		testkit.WantCode(t, env.App.Incidents.RemoveResource(ctx, duty, other.ID, v.Items[0].ID), errs.NotFound) // not of that incident

		tl, err := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 100)
		must(err)
		kinds := map[incident.EntryKind]int{}
		for _, e := range tl {
			kinds[e.Kind]++
		}
		if kinds[incident.EntryResourceAdded] != 5 || kinds[incident.EntryResourceReturned] != 1 || kinds[incident.EntryResourceRemoved] != 1 {
			t.Fatalf("timeline kinds %v", kinds)
		}
		// The officer's account, 5 adds, 2 drafts, 1 return, 1 add to the other incident, 1 removal.
		if n := testkit.AuditCount(t, env) - before; n != 11 {
			t.Fatalf("%d audit records, want 11", n)
		}
	})
}
