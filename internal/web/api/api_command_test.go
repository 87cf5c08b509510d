package api_test

import (
	"strings"
	"testing"
	"time"

	"yingji/internal/testkit"
)

// Gap 5 of issue 11 through the API: PATCH /api/v1/incidents/{id}.
func TestAPICorrectIncident(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, city := c["duty"], c["citydeputy"]
		in := duty.newIncident(env, 4)
		path := "/api/v1/incidents/" + id(in["id"])
		for _, tc := range []struct{ body, field string }{
			{`{"title":"新标题"}`, "reason"},
			{`{"level":9,"reason":"笔误"}`, "level"},
			{`{"discovered_at":"yesterday","reason":"笔误"}`, "discovered_at"},
			{`{"discovered_at":"` + env.Clock.Now().Add(2*time.Hour).Format(time.RFC3339) + `","reason":"笔误"}`, "discovered_at"},
			{`{"category":"ufo","reason":"笔误"}`, "category"},
			{`{"colour":"red","reason":"笔误"}`, "colour"},
		} {
			if p := duty.do("PATCH", path, tc.body, 400); p["field"] != tc.field {
				t.Fatalf("%s: %v", tc.body, p)
			}
		}
		city.do("PATCH", path, `{"title":"x","reason":"y"}`, 403)
		got := duty.do("PATCH", path, `{"title":"县政府门户网站被篡改","level":2,"category":"harmful_info","reason":"核实后更正"}`, 200)
		if got["title"] != "县政府门户网站被篡改" || got["level"] != float64(2) || got["category"] != "harmful_info" {
			t.Fatalf("corrected: %v", got)
		}
		tl := duty.do("GET", path+"/timeline", "", 200)
		items := tl["items"].([]any)
		last := items[len(items)-1].(map[string]any)
		if last["kind"] != "corrected" || !strings.Contains(last["text"].(string), "由Ⅳ级调整为Ⅱ级（升级）") {
			t.Fatalf("timeline: %v", last)
		}
		duty.activate(city, id(in["id"]), "启动")
		if p := duty.do("PATCH", path, `{"category":"network_attack","reason":"类别有误"}`, 409); p["field"] != "category" {
			t.Fatalf("category after activation: %v", p)
		}
		duty.do("PATCH", path, `{"level":3,"reason":"影响缩小"}`, 200)
		if v := duty.do("GET", path, "", 200); !strings.Contains(strings.Join(toStrings(v["allowed_actions"]), ","), "correct") {
			t.Fatalf("allowed actions: %v", v["allowed_actions"])
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// Gap 7 of issue 11 (批示) through the API.
func TestAPIInstructions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, city, xing := c["duty"], c["citydeputy"], c["xingjing"]
		in := duty.newIncident(env, 3)
		path := "/api/v1/incidents/" + id(in["id"])
		if p := city.do("POST", path+"/instructions", `{"text":"请处置"}`, 400); p["field"] != "departments" {
			t.Fatalf("no addressee: %v", p)
		}
		duty.do("POST", path+"/instructions", `{"text":"请处置","departments":["wangjian"]}`, 403)
		ins := city.do("POST", path+"/instructions", `{"text":"请网监科立即核查","departments":["wangjian"]}`, 201)
		iid := "/api/v1/instructions/" + id(ins["id"])
		if ins["status"] != "open" {
			t.Fatalf("posted: %v", ins)
		}
		duty.do("POST", iid+"/done", `{"result":"已处置"}`, 409)
		xing.do("POST", iid+"/ack", "", 403)
		duty.do("POST", iid+"/ack", "", 200)
		if p := duty.do("POST", iid+"/done", `{"result":""}`, 400); p["field"] != "result" {
			t.Fatalf("empty result: %v", p)
		}
		done := duty.do("POST", iid+"/done", `{"result":"已核查，网站已恢复"}`, 200)
		if done["status"] != "done" || done["result"] != "已核查，网站已恢复" {
			t.Fatalf("done: %v", done)
		}
		list := city.do("GET", path+"/instructions", "", 200)["instructions"].([]any)
		first := list[0].(map[string]any)
		if len(list) != 1 || first["status"] != "done" || first["author"] != "陈副局长" || first["to"].([]any)[0] != "网监科" && first["to"].([]any)[0] == "" {
			t.Fatalf("list: %v", list)
		}
		c["secadmin"].do("GET", path+"/instructions", "", 404)
	})
}
