package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// TestConsoleResources (issue 11 gap 8): the incident page's 资源 section
// lists what is attached and offers the forms only to those the service
// lets change them; a vehicle is sent and returned, a unit named and
// removed; an outsider gets 404.
func TestConsoleResources(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		dutyU := env.Users["duty"]
		in := newIncident(t, env)
		u := &registry.Unit{Name: "青神县人民政府办公室", Kind: "企业", CreditCode: registry.CreditCodeFor(3)}
		testkit.AddUnit(t, env, u)
		car := &registry.Equipment{Name: "川Z-12345 应急通信车", Kind: "车辆", Status: "备用"}
		if err := env.App.Units.SaveEquipment(ctx, dutyU, 0, 0, car); err != nil {
			t.Fatal(err)
		}
		duty := loggedIn(t, base, "duty")
		page := duty.get("/incidents/" + itoa(in.ID))
		wantBody(t, page, `id="h-resources"`, "尚未登记", `id="resource-form"`, `value="unit:`+itoa(u.ID)+`"`, `value="equipment:`+itoa(car.ID)+`"`)

		for _, ref := range []string{"unit:" + itoa(u.ID), "equipment:" + itoa(car.ID)} {
			wantStatus(t, duty.post("/incidents/"+itoa(in.ID)+"/resources", url.Values{"ref": {ref}, "note": {"赴现场"}}), http.StatusSeeOther)
		}
		// A second dispatch is refused with the reason on the page, nothing changed.
		before := testkit.AuditCount(t, env)
		r := duty.post("/incidents/"+itoa(in.ID)+"/resources", url.Values{"ref": {"equipment:" + itoa(car.ID)}})
		wantStatus(t, r, http.StatusSeeOther)
		if testkit.AuditCount(t, env) != before {
			t.Fatal("a refused dispatch wrote")
		}
		page = duty.get("/incidents/" + itoa(in.ID))
		wantBody(t, page, "涉事单位", "青神县人民政府办公室", "调派装备", "调派中", "登记归还")
		if got, _ := env.App.Units.GetEquipment(ctx, dutyU, car.ID); got.Status != "在用" {
			t.Fatalf("car %q after dispatch", got.Status)
		}
		v, err := env.App.Incidents.Resources(ctx, dutyU, in.ID)
		if err != nil || len(v.Items) != 2 {
			t.Fatalf("resources %v %v", v, err)
		}
		wantStatus(t, duty.post("/incidents/"+itoa(in.ID)+"/resources/"+itoa(v.Items[1].ID)+"/return", nil), http.StatusSeeOther)
		wantStatus(t, duty.post("/incidents/"+itoa(in.ID)+"/resources/"+itoa(v.Items[0].ID)+"/remove", nil), http.StatusSeeOther)
		page = duty.get("/incidents/" + itoa(in.ID))
		wantBody(t, page, "已归还")
		if got, _ := env.App.Units.GetEquipment(ctx, dutyU, car.ID); got.Status != "备用" {
			t.Fatalf("car %q after return", got.Status)
		}
		// The city reads the section without forms.
		city := loggedIn(t, base, "citydeputy")
		page = city.get("/incidents/" + itoa(in.ID))
		wantBody(t, page, `id="h-resources"`, "川Z-12345")
		if strings.Contains(page.Body, `id="resource-form"`) || strings.Contains(page.Body, "/return\"") {
			t.Fatal("the city is offered the resource forms")
		}
	})
}

// TestConsoleSearchHighlight (issue 11 gap 9): the registry list finds a
// substring by default and marks it, escaped.
func TestConsoleSearchHighlight(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		for i, name := range []string{"青神县测试单位0137", "青神县<b>单位</b>0138"} {
			testkit.AddUnit(t, env, &registry.Unit{Name: name, Kind: "企业", CreditCode: registry.CreditCodeFor(40 + i)})
		}
		duty := loggedIn(t, base, "duty")
		r := duty.get("/registry?q=" + url.QueryEscape("测试单位0137"))
		wantBody(t, r, "青神县<mark>测试单位0137</mark>")
		r = duty.get("/registry?q=" + url.QueryEscape("0138"))
		wantBody(t, r, "青神县&lt;b&gt;单位&lt;/b&gt;<mark>0138</mark>")
		r = duty.get("/registry?match=prefix&q=" + url.QueryEscape("测试单位0137"))
		if strings.Contains(r.Body, "<mark>") {
			t.Fatal("prefix search matched a substring")
		}
		in := newIncident(t, env)
		r = duty.get("/incidents?q=" + url.QueryEscape("门户网站"))
		wantBody(t, r, "县政府<mark>门户网站</mark>遭受DDoS攻击", in.Number)
	})
}
