package api_test

import (
	"strings"
	"testing"

	"yingji/internal/testkit"
)

// Issue 11, gap 6: 四(一)2 关闭本地网站和网上服务,需报经分管领导批准. Before,
// the duty officer marked the task done with the note "未经领导批准" and got
// 200. Now: 409 until the county 副组长 approves on the task.
func TestAPIGatedTask(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, deputy, city := c["duty"], c["deputy"], c["citydeputy"]
		in := duty.do("POST", "/api/v1/incidents", `{"title":"本地论坛大量传播有害信息","category":"harmful_info","level":3,"discovered_at":"`+env.Clock.Now().Format("2006-01-02T15:04:05Z07:00")+`"}`, 201)
		iid := id(in["id"])
		duty.activate(city, iid, "有害信息大范围传播")
		var gate map[string]any
		for _, x := range duty.do("GET", "/api/v1/incidents/"+iid, "", 200)["tasks"].([]any) {
			if tk := x.(map[string]any); tk["gate"] != nil {
				gate = tk
			}
		}
		if gate == nil || gate["gate"] != "报经分管领导批准" {
			t.Fatalf("no gated task: %v", gate)
		}
		path := "/api/v1/incidents/" + iid + "/tasks/" + id(gate["id"])
		p := duty.do("PATCH", path, `{"status":"done","note":"未经领导批准"}`, 409)
		if p["message_key"] != "error.task_needs_approval" || !strings.Contains(p["detail"].(string), "报经分管领导批准") {
			t.Fatalf("problem %v", p)
		}
		duty.do("POST", path+"/approval", `{"reason":""}`, 400)
		req := duty.do("POST", path+"/approval", `{"reason":"该论坛持续传播有害信息，拟关闭"}`, 201)
		if req["approval"].(map[string]any)["status"] != "pending" {
			t.Fatalf("request %v", req)
		}
		// What the deputy may do is on the task, from the service.
		for _, x := range deputy.do("GET", "/api/v1/incidents/"+iid, "", 200)["tasks"].([]any) {
			if tk := x.(map[string]any); id(tk["id"]) == id(gate["id"]) && !strings.Contains(id(tk["actions"]), "decide_approval") {
				t.Fatalf("deputy's actions %v", tk["actions"])
			}
		}
		duty.do("POST", path+"/approval/decision", `{"decision":"approve","opinion":"同意"}`, 403)
		c["chief"].do("POST", path+"/approval/decision", `{"decision":"approve","opinion":"同意"}`, 403)
		dec := deputy.do("POST", path+"/approval/decision", `{"decision":"approve","opinion":"同意关闭，依法固定证据"}`, 200)
		if ap := dec["approval"].(map[string]any); ap["status"] != "approved" || ap["opinion"] != "同意关闭，依法固定证据" || ap["decided_by"] == nil {
			t.Fatalf("decision %v", dec)
		}
		duty.do("PATCH", path, `{"status":"done","note":"已按批准关闭"}`, 200)
		tl := duty.do("GET", "/api/v1/incidents/"+iid+"/timeline", "", 200)["items"].([]any)
		var texts []string
		for _, e := range tl {
			texts = append(texts, e.(map[string]any)["text"].(string))
		}
		all := strings.Join(texts, "\n")
		if !strings.Contains(all, "提请审批（报经分管领导批准），理由：该论坛持续传播有害信息，拟关闭") || !strings.Contains(all, "报批结果：同意，意见：同意关闭，依法固定证据") {
			t.Fatalf("timeline:\n%s", all)
		}
	})
}
