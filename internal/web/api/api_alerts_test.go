package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"yingji/internal/demo"
	"yingji/internal/incidents"
	"yingji/internal/signal"
	"yingji/internal/testkit"
)

// Issue 12 over HTTP: the queue with its counts, one alert with its
// history, and the acts' failures as problems: a silence without a reason
// names the field, attaching to an incident the actor may not know is 404,
// a second promotion is refused (409); nothing of a refused act is written.
func TestAPIAlerts(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		if err := demo.World(ctx, env.App, env.Plan); err != nil {
			t.Fatal(err)
		}
		aid := testkit.LandAlert(t, env, signal.Signal{Format: signal.FormatSuricata, Rule: "ET WEB_SERVER SQL Injection",
			Title: "门户网站SQL注入", Severity: signal.High, Status: signal.Firing, Domain: "www.qingshen.gov.cn"})
		if _, err := env.App.Alerts.Tick(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		_, c := newServer(t, env)
		duty := c["duty"]
		q := duty.do("GET", "/api/v1/alerts?state=open&min_priority=5", "", 200)
		items := q["items"].([]any)
		if len(items) != 1 || q["counts"].(map[string]any)["open"].(float64) != 1 {
			t.Fatalf("queue: %v", q)
		}
		a := items[0].(map[string]any)
		if a["priority"].(float64) != 5 || a["plan_rule"] != "重点网站高危告警" || a["suggested_category"] != "network_attack" || a["website_id"] == nil {
			t.Fatalf("alert: %v", a)
		}
		duty.do("GET", "/api/v1/alerts?state=gone", "", 400)
		path := fmt.Sprintf("/api/v1/alerts/%d", aid)
		v := duty.do("GET", path, "", 200)
		if v["website_name"] != "青神县人民政府门户网站" || len(v["history"].([]any)) != 1 {
			t.Fatalf("view: %v", v)
		}

		dp := testkit.OtherCounty(t, env)
		theirs, err := env.App.Incidents.CreateIncident(ctx, dp, newIncidentBody(env))
		if err != nil {
			t.Fatal(err)
		}
		before := testkit.AuditCount(t, env)
		p := duty.do("POST", path+"/silence", `{"until":"2026-11-28T12:00:00+08:00","reason":""}`, 400)
		if p["field"] != "reason" {
			t.Fatalf("silence without reason: %v", p)
		}
		duty.do("POST", path+"/attach", fmt.Sprintf(`{"incident_id":%d}`, theirs.ID), 404)
		if got := testkit.AuditCount(t, env) - before; got != 0 {
			t.Fatalf("refused acts wrote %d audit records", got)
		}
		in := duty.do("POST", path+"/promote", `{}`, 201)["incident"].(map[string]any)
		if in["status"] != "reported" || in["category"] != "network_attack" || in["level"].(float64) != 4 {
			t.Fatalf("promoted: %v", in)
		}
		if p := duty.do("POST", path+"/promote", `{}`, 409); p["code"] != "conflict" {
			t.Fatalf("double promote: %v", p)
		}
		list := duty.do("GET", fmt.Sprintf("/api/v1/incidents/%s/alerts", id(in["id"])), "", 200)["items"].([]any)
		if len(list) != 1 {
			t.Fatalf("incident alerts: %v", list)
		}
		c["xingjing"].do("GET", path, "", 200)
	})
}

func newIncidentBody(env *testkit.Env) incidents.NewIncident {
	return incidents.NewIncident{Title: "东坡区网站被攻击", Category: "network_attack", Level: 4, DiscoveredAt: env.Clock.Now().Add(-5 * time.Minute)}
}
