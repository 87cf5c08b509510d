package api_test

import (
	"fmt"
	"strings"
	"testing"

	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// TestAPIResources (issue 11 gap 8): a client names affected units and
// websites, an expert and the vehicle sent on an incident; the vehicle's
// register status follows dispatch and return; bad input names the field.
func TestAPIResources(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty := c["duty"]
		in := duty.do("POST", "/api/v1/incidents", `{"title":"县政府网站被篡改","category":"network_attack","level":3,"discovered_at":"2026-11-28T08:30:00+08:00"}`, 201)
		base := "/api/v1/incidents/" + id(in["id"]) + "/resources"
		un := duty.do("POST", "/api/v1/units", `{"name":"青神县人民政府办公室","kind":"党政机关","credit_code":"`+registry.CreditCodeFor(5)+`"}`, 201)
		ws := duty.do("POST", "/api/v1/websites", `{"unit_id":`+id(un["id"])+`,"name":"县政府门户网站","domain":"www.qingshen.gov.cn","key_site":true}`, 201)
		ex := duty.do("POST", "/api/v1/experts", `{"name":"赵六","expertise":"电子数据取证","phone":"13800000003","available":true}`, 201)
		eq := duty.do("POST", "/api/v1/equipment", `{"name":"应急通信车","kind":"车辆","status":"备用"}`, 201)

		for _, b := range []string{`{"kind":"unit","ref_id":` + id(un["id"]) + `}`, `{"kind":"website","ref_id":` + id(ws["id"]) + `}`,
			`{"kind":"expert","ref_id":` + id(ex["id"]) + `,"note":"负责取证"}`} {
			duty.do("POST", base, b, 201)
		}
		car := duty.do("POST", base, `{"kind":"equipment","ref_id":`+id(eq["id"])+`}`, 201)
		if car["out"] != true || car["prev_status"] != "备用" {
			t.Fatalf("dispatched %v", car)
		}
		if got := duty.do("GET", "/api/v1/equipment/"+id(eq["id"]), "", 200); got["status"] != "在用" {
			t.Fatalf("register after dispatch: %v", got["status"])
		}
		if p := duty.do("POST", base, `{"kind":"vehicle","ref_id":1}`, 400); p["field"] != "kind" {
			t.Fatalf("bad kind: %v", p)
		}
		if p := duty.do("POST", base, `{"kind":"unit","ref_id":99999}`, 400); p["field"] != "ref_id" {
			t.Fatalf("no such unit: %v", p)
		}
		duty.do("POST", base, `{"kind":"unit","ref_id":`+id(un["id"])+`}`, 409)
		duty.do("DELETE", base+"/"+id(car["id"]), "", 409) // returned, not removed

		list := duty.do("GET", base, "", 200)
		items := list["items"].([]any)
		if len(items) != 4 || list["can_change"] != true {
			t.Fatalf("list %v", list)
		}
		if e := items[2].(map[string]any); !strings.Contains(e["detail"].(string), "13800000003") {
			t.Fatalf("expert without contact: %v", e)
		}
		if got := c["citydeputy"].do("GET", base, "", 200); got["can_change"] != false {
			t.Fatalf("city may change: %v", got)
		}
		back := duty.do("POST", base+"/"+id(car["id"])+"/return", "", 200)
		if back["out"] != false || back["returned_at"] == nil {
			t.Fatalf("returned %v", back)
		}
		if got := duty.do("GET", "/api/v1/equipment/"+id(eq["id"]), "", 200); got["status"] != "备用" {
			t.Fatalf("register after return: %v", got["status"])
		}
		duty.do("DELETE", base+"/"+id(items[0].(map[string]any)["id"]), "", 204)
		tl := duty.do("GET", "/api/v1/incidents/"+id(in["id"])+"/timeline", "", 200)
		var texts []string
		for _, e := range tl["items"].([]any) {
			texts = append(texts, e.(map[string]any)["text"].(string))
		}
		all := strings.Join(texts, "\n")
		for _, want := range []string{"登记涉事单位：青神县人民政府办公室", "登记调派装备：应急通信车", "装备应急通信车已归还", "移除涉事单位：青神县人民政府办公室"} {
			if !strings.Contains(all, want) {
				t.Errorf("timeline lacks %q:\n%s", want, all)
			}
		}
	})
}

// TestAPIPlan (issue 11 gap 10): a client learns the plan's categories,
// phases, task templates and report schedules, and registers an incident
// with what it learnt.
func TestAPIPlan(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty := c["duty"]
		key, version := env.Plan.Key, env.Plan.Version
		p := duty.do("GET", "/api/v1/plans/"+key, "", 200)
		if p["key"] != key || p["version"] != version || p["title"] != env.Plan.Title {
			t.Fatalf("plan %v %v %v", p["key"], p["version"], p["title"])
		}
		cats := p["categories"].([]any)
		if len(cats) != len(env.Plan.Categories) {
			t.Fatalf("%d categories, want %d", len(cats), len(env.Plan.Categories))
		}
		tasks := 0
		for i, ci := range cats {
			cat := ci.(map[string]any)
			want := env.Plan.Categories[i]
			if cat["key"] != want.Key || cat["name"] != want.Name || cat["gb_class"] != want.GBClass || cat["gb_class_name"] == "" {
				t.Errorf("category %d: %v", i, cat)
			}
			act := cat["activation"].(map[string]any)
			if act["name"] == nil {
				t.Errorf("category %s without activation authority", want.Key)
			}
			// Each category's own rule (四): the county decides a network
			// attack, the city approves harmful information.
			if rule := env.Plan.ActivationRule(want.Key); act["scope"] != rule.Scope || act["name"] != rule.Name {
				t.Errorf("category %s activation %v, want %+v", want.Key, act, rule)
			}
			for _, ph := range cat["phases"].([]any) {
				for _, ti := range ph.(map[string]any)["tasks"].([]any) {
					task := ti.(map[string]any)
					if task["key"] == "" || task["title"] == "" || task["department"] == "" || task["department_name"] == "" {
						t.Errorf("task %v", task)
					}
					tasks++
				}
			}
		}
		if tasks == 0 {
			t.Fatal("no task templates")
		}
		daily := p["reports"].(map[string]any)["daily"].(map[string]any)
		if daily["at"] != env.Plan.Reports.Daily.At {
			t.Fatalf("daily schedule %v", daily)
		}
		same := duty.do("GET", "/api/v1/plans/"+key+"/versions/"+version, "", 200)
		if fmt.Sprint(same["categories"]) != fmt.Sprint(p["categories"]) {
			t.Fatal("the version and the newest differ")
		}
		duty.do("GET", "/api/v1/plans/"+key+"/versions/1999.9", "", 404)
		duty.do("GET", "/api/v1/plans/no-such-plan", "", 404)
		// Register an incident with the first category as learnt.
		first := cats[0].(map[string]any)["key"].(string)
		duty.do("POST", "/api/v1/incidents", `{"title":"按预案登记","category":"`+first+`","level":4,"discovered_at":"2026-11-28T08:30:00+08:00"}`, 201)
	})
}
