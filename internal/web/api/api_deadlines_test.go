package api_test

import (
	"strings"
	"testing"
	"time"

	"yingji/internal/testkit"
)

// Issue 11 gap 3 through the API: an incident registered two days after
// discovery is flagged, its timeline says so, and the city's timeliness
// shows its 首报 missing, then late.
func TestAPILateFirstReport(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, c := newServer(t, env)
		duty, chief, city := c["duty"], c["chief"], c["citydeputy"]
		disc := env.Clock.Now().Add(-48 * time.Hour).Format(time.RFC3339)
		in := duty.do("POST", "/api/v1/incidents", `{"title":"某单位网站被植入暗链","category":"network_attack","level":3,"discovered_at":"`+disc+`"}`, 201)
		iid := id(in["id"])
		got := duty.do("GET", "/api/v1/incidents/"+iid, "", 200)
		if got["late_registration"] != true || got["registration_delay_seconds"].(float64) != 48*3600 {
			t.Fatalf("late registration %v %v", got["late_registration"], got["registration_delay_seconds"])
		}
		var text string
		for _, e := range duty.do("GET", "/api/v1/incidents/"+iid+"/timeline", "", 200)["items"].([]any) {
			if e.(map[string]any)["kind"] == "late_registration" {
				text = e.(map[string]any)["text"].(string)
			}
		}
		if !strings.Contains(text, "迟登记") || !strings.Contains(text, "2天") || !strings.Contains(text, "4小时") {
			t.Fatalf("timeline text %q", text)
		}
		state := func() (string, float64) {
			tl := city.do("GET", "/api/v1/timeliness", "", 200)
			for _, it := range tl["items"].([]any) {
				m := it.(map[string]any)
				if m["kind"] == "initial_report" && m["incident_number"] == in["number"] {
					return m["state"].(string), m["late_seconds"].(float64)
				}
			}
			t.Fatalf("no 首报 in the city's view: %v", tl["items"])
			return "", 0
		}
		if st, _ := state(); st != "overdue" {
			t.Fatalf("before the 首报: %s", st)
		}
		r := duty.do("POST", "/api/v1/incidents/"+iid+"/reports", `{"kind":"initial"}`, 201)
		chief.do("POST", "/api/v1/reports/"+id(r["id"])+"/signoff", "", 200)
		duty.do("POST", "/api/v1/reports/"+id(r["id"])+"/submit", "", 200)
		if st, late := state(); st != "late" || late != 44*3600 {
			t.Fatalf("after the 首报: %s late %v s", st, late)
		}
		// Registered at once: not flagged.
		now := env.Clock.Now().Add(-5 * time.Minute).Format(time.RFC3339)
		in2 := duty.do("POST", "/api/v1/incidents", `{"title":"门户网站遭DDoS攻击","category":"network_attack","level":3,"discovered_at":"`+now+`"}`, 201)
		if got := duty.do("GET", "/api/v1/incidents/"+id(in2["id"]), "", 200); got["late_registration"] != false {
			t.Fatalf("flagged at once: %v", got["late_registration"])
		}
	})
}
