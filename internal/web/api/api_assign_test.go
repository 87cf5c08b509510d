package api_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"yingji/internal/testkit"
)

// actions is a detail's allowed_actions.
func actions(v map[string]any) []string {
	return toStrings(v["allowed_actions"])
}

// 四(三): a network attack is decided by the county's leading group; 四(一)
// still goes to the city. The detail says which, and who may decide now.
func TestAPIActivationAuthority(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, chief, city := c["duty"], c["chief"], c["citydeputy"]
		disc := env.Clock.Now().Add(-time.Hour).Format(time.RFC3339)
		iid := id(duty.do("POST", "/api/v1/incidents", `{"title":"重要会议期间县政府网站遭攻击","category":"network_attack","level":2,"discovered_at":"`+disc+`"}`, 201)["id"])
		if d := duty.do("GET", "/api/v1/incidents/"+iid, "", 200); d["activation"].(map[string]any)["mode"] != "decision" {
			t.Fatalf("activation %v", d["activation"])
		}
		a := duty.do("POST", "/api/v1/incidents/"+iid+"/activation", `{"reason":"重要会议期间网站遭攻击"}`, 201)
		if d := chief.do("GET", "/api/v1/incidents/"+iid, "", 200); !slices.Contains(actions(d), "decide") {
			t.Fatalf("chief may not decide: %v", d["allowed_actions"])
		}
		city.do("POST", "/api/v1/approvals/"+id(a["id"])+"/decision", `{"decision":"approve","opinion":"同意"}`, 403)
		chief.do("POST", "/api/v1/approvals/"+id(a["id"])+"/decision", `{"decision":"approve","opinion":"立即启动"}`, 200)
		if d := duty.do("GET", "/api/v1/incidents/"+iid, "", 200); d["status"] != "active" || len(d["tasks"].([]any)) == 0 {
			t.Fatalf("after the 组长's decision: %v, %d tasks", d["status"], len(d["tasks"].([]any)))
		}

		hid := id(duty.do("POST", "/api/v1/incidents", `{"title":"有害信息大范围传播","category":"harmful_info","level":2,"discovered_at":"`+disc+`"}`, 201)["id"])
		if d := duty.do("GET", "/api/v1/incidents/"+hid, "", 200); d["activation"].(map[string]any)["mode"] != "approval" {
			t.Fatalf("activation %v", d["activation"])
		}
		h := duty.do("POST", "/api/v1/incidents/"+hid+"/activation", `{"reason":"大范围传播"}`, 201)
		chief.do("POST", "/api/v1/approvals/"+id(h["id"])+"/decision", `{"decision":"approve","opinion":"同意"}`, 403)
		city.do("POST", "/api/v1/approvals/"+id(h["id"])+"/decision", `{"decision":"approve","opinion":"同意"}`, 200)
	})
}

// 四(五): the city assigns a task to the county through the API.
func TestAPIAssignedTask(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		testkit.OtherCounty(t, env)
		_, c := newServer(t, env)
		duty, city, dp := c["duty"], c["citydeputy"], c["dpduty"]
		county := env.Users["duty"].OrgID
		now := env.Clock.Now().Format(time.RFC3339)
		body := func(org int64, instr string) string {
			return fmt.Sprintf(`{"title":"排查县内重点网站漏洞","category":"assigned_task","level":3,"discovered_at":"%s","org_id":%d,"instructions":%q}`, now, org, instr)
		}
		city.do("POST", "/api/v1/incidents", body(county, ""), 400)
		duty.do("POST", "/api/v1/incidents", body(env.Users["citydeputy"].OrgID, "x"), 400)
		c["admin"].do("POST", "/api/v1/incidents", body(county, "x"), 403)
		in := city.do("POST", "/api/v1/incidents", body(county, "11月30日前完成排查，结果报市局"), 201)
		iid := id(in["id"])
		if in["status"] != "active" || in["org_id"] != float64(county) {
			t.Fatalf("assigned %v", in)
		}
		d := duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		act := d["activation"].(map[string]any)
		if len(d["tasks"].([]any)) == 0 || act["assigned_by"] == nil || !slices.Contains(actions(d), "feedback") {
			t.Fatalf("county view: %v %v", act, d["allowed_actions"])
		}
		dp.do("GET", "/api/v1/incidents/"+iid, "", 404)
		if l := dp.do("GET", "/api/v1/incidents", "", 200); len(l["items"].([]any)) != 0 {
			t.Fatalf("another county lists %v", l["items"])
		}
		// The tasks are closed, so what blocks termination is the missing 反馈.
		testkit.CloseOpenTasks(t, env, env.Users["duty"], int64(in["id"].(float64)), "本测试不涉及")
		duty.do("POST", "/api/v1/incidents/"+iid+"/termination", `{"reason":"已完成"}`, 409)
		if n := duty.do("POST", "/api/v1/incidents/"+iid+"/notes", `{"text":"已排查12个网站，3处漏洞已整改","feedback":true}`, 201); n["feedback"] != true {
			t.Fatalf("note %v", n)
		}
		ta := duty.do("POST", "/api/v1/incidents/"+iid+"/termination", `{"reason":"请市局验收"}`, 201)
		city.do("POST", "/api/v1/approvals/"+id(ta["id"])+"/decision", `{"decision":"approve","opinion":"验收通过"}`, 200)
	})
}
