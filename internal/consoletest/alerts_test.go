package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"yingji/internal/demo"
	"yingji/internal/incidents"
	"yingji/internal/signal"
	"yingji/internal/testkit"
)

// Issue 12 in the console, on both databases: the queue and an alert's
// page; a silence without a reason comes back naming the field and changes
// nothing; attaching to an incident of another county is the 404 page; a
// second promotion is refused; someone with no duty role has no queue and
// no link to it; another county's officer does not find the alert.
func TestConsoleAlerts(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		if err := demo.World(ctx, env.App, env.Plan); err != nil {
			t.Fatal(err)
		}
		id := landAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER SQL Injection", Title: "医院网站SQL注入", Severity: signal.High, Domain: "www.qsxrmyy.cn"})
		dp := testkit.OtherCounty(t, env)
		theirs, err := env.App.Incidents.CreateIncident(ctx, dp, incidents.NewIncident{Title: "东坡区网站被攻击", Category: "network_attack", Level: 4,
			DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		base := newServer(t, env)
		b := loggedIn(t, base, "duty")
		wantBody(t, b.get("/alerts"), "告警队列", "医院网站SQL注入", "待处理", `href="/alerts"`)
		page := "/alerts/" + itoa(id)
		wantBody(t, b.get(page), "青神县人民医院官网及预约挂号系统", "重点网站高危告警", "按预案处理：优先级5")

		before := testkit.AuditCount(t, env)
		// The error names the field with the word its label shows (it said 理由 under a label 原因).
		wantBody(t, b.submit(page+"/silence", url.Values{"until": {"2026-11-28T12:00"}, "reason": {" "}}), "理由：此项必填", `<label for="s-reason">理由</label>`)
		wantStatus(t, b.post(page+"/attach", url.Values{"incident_id": {itoa(theirs.ID)}}), http.StatusNotFound)
		if testkit.AuditCount(t, env) != before {
			t.Fatal("a refused act wrote an audit record")
		}
		wantBody(t, b.submit(page+"/silence", url.Values{"until": {"2026-11-28T12:00"}, "reason": {"医院已确认为渗透测试"}}), "已静默该告警", "医院已确认为渗透测试")
		r := b.post(page+"/promote", url.Values{"category": {"network_attack"}, "level": {"4"}})
		wantStatus(t, r, http.StatusSeeOther)
		incPage := r.Location
		wantBody(t, b.get(incPage), "医院网站SQL注入", "由告警转为事件", `id="h-inc-alerts"`)
		if strings.Contains(b.get(incPage).Body, "data-resolved") {
			t.Fatal("a firing alert is marked resolved on the incident page")
		}
		wantBody(t, b.submit(page+"/promote", url.Values{"category": {"network_attack"}, "level": {"4"}}), "不能重复操作")
		// The source says it is over: the incident's list of its alerts says so.
		testkit.LandAlert(t, env, signal.Signal{Format: signal.FormatSuricata, Status: signal.Resolved,
			Rule: "ET WEB_SERVER SQL Injection", Title: "医院网站SQL注入", Severity: signal.High, Domain: "www.qsxrmyy.cn"})
		wantBody(t, b.get(incPage), `data-resolved>已恢复</span>`)

		testkit.Officer(t, env, "plain", "wangjian")
		p := loggedIn(t, base, "plain")
		wantStatus(t, p.get("/alerts"), http.StatusForbidden)
		if strings.Contains(p.get("/").Body, `href="/alerts"`) {
			t.Fatal("the queue link is shown to someone with no duty role")
		}
		wantStatus(t, loggedIn(t, base, "dpduty").get(page), http.StatusNotFound)
	})
}
