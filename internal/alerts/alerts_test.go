package alerts_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"yingji/internal/alertrule"
	"yingji/internal/alerts"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

var ctx = context.Background()

func tick(t testing.TB, env *testkit.Env) alerts.Result {
	t.Helper()
	res, err := env.App.Alerts.Tick(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func get(t testing.TB, env *testkit.Env, id int64) *alerts.View {
	t.Helper()
	v, err := env.App.Alerts.Get(ctx, env.Users["duty"], id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func unread(t testing.TB, env *testkit.Env, u string) int {
	t.Helper()
	in, err := env.App.Notices.Mine(ctx, env.Users[u], 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range in.Items {
		if x.Kind == alerts.NoticePaged {
			n++
		}
	}
	return n
}

// The handler matches the registry, raises priority for a key website and
// a sensitive period, applies the plan's first matching alert rule (the
// shipped plan's), pages the people on duty and writes the alert's history.
func TestHandle(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		world(t, env)
		key := testkit.LandAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER SQL Injection", Title: "SQL注入攻击", Severity: signal.High, Domain: "WWW.qingshen.gov.cn"})
		other := testkit.LandAlert(t, env, signal.Signal{Rule: "ET SCAN Nmap", Title: "端口扫描", Severity: signal.Medium, DstIP: netip.MustParseAddr("192.0.2.9")})
		before := testkit.AuditCount(t, env)
		if res := tick(t, env); !res.Leader || res.Handled != 2 || res.Paged != 2 {
			t.Fatalf("tick: %+v", res)
		}
		if res := tick(t, env); res.Handled != 0 {
			t.Fatalf("second tick handled again: %+v", res)
		}
		if got := testkit.AuditCount(t, env) - before; got != 2 {
			t.Fatalf("audit records: %d, want one per alert", got)
		}
		v := get(t, env, key)
		a := v.Alert
		if a.UnitID == 0 || a.WebsiteID == 0 || v.SiteName != "青神县人民政府门户网站" || a.Priority != int(signal.High)+1 {
			t.Fatalf("key-site alert: unit %d site %d %q priority %d", a.UnitID, a.WebsiteID, v.SiteName, a.Priority)
		}
		if a.RuleName != "重点网站高危告警" || a.SuggestedCategory != "network_attack" || a.SuggestedLevel != 4 || a.PagedAt == nil || a.HandledAt == nil {
			t.Fatalf("rule: %+v", a)
		}
		if len(v.Events) != 1 || v.Events[0].Kind != alertrule.EventHandled || v.Events[0].Data["paged"] != "2" {
			t.Fatalf("history: %+v", v.Events)
		}
		if unread(t, env, "duty") != 1 || unread(t, env, "chief") != 1 || unread(t, env, "deputy") != 0 {
			t.Fatal("the officer and the leader on duty are paged once, nobody else")
		}
		o := get(t, env, other).Alert
		if o.UnitID != 0 || o.Priority != int(signal.Medium) || o.RuleName != "" || o.PagedAt != nil {
			t.Fatalf("unmatched alert: %+v", o)
		}

		// A sensitive period declared now raises the next alert once more.
		period(t, env)
		p := testkit.LandAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER XSS", Title: "跨站脚本", Severity: signal.High, DstIP: netip.MustParseAddr("192.0.2.10"), Domain: "a.www.qingshen.gov.cn"})
		tick(t, env)
		if got := get(t, env, p).Alert.Priority; got != alertrule.MaxPriority-1 {
			t.Fatalf("priority in a sensitive period on a key site: %d", got)
		}
	})
}

// A critical alert on a key website in a sensitive period: the shipped
// plan's first rule registers an incident in reported state with the alert
// attached, for the officer on duty; activation is not requested. Outside
// a sensitive period the same alert is only suggested and paged.
func TestRuleRegisters(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		world(t, env)
		outside := testkit.LandAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER Defacement", Title: "首页被篡改", Severity: signal.Critical, Domain: "www.qsxrmyy.cn"})
		if res := tick(t, env); res.Incident != 0 || res.Paged != 2 {
			t.Fatalf("outside a sensitive period: %+v", res)
		}
		if a := get(t, env, outside).Alert; a.RuleName != "重点网站高危告警" || a.State != signal.Open {
			t.Fatalf("outside a sensitive period: %+v", a)
		}
		period(t, env)
		id := testkit.LandAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER Defacement", Title: "门户网站首页被篡改", Detail: "首页出现非法内容", Severity: signal.Critical, Domain: "www.qingshen.gov.cn"})
		if res := tick(t, env); res.Incident != 1 {
			t.Fatalf("tick: %+v", res)
		}
		v := get(t, env, id)
		if v.Alert.State != signal.Promoted || v.Incident == nil {
			t.Fatalf("alert: %+v", v.Alert)
		}
		in := v.Incident
		if in.Status != incident.Reported || in.Category != "network_attack" || in.Level != 4 || in.ReporterID != env.Users["duty"].ID || in.Title != "门户网站首页被篡改" {
			t.Fatalf("incident: %+v", in)
		}
		tl, err := env.App.Incidents.Timeline(ctx, env.Users["duty"], in.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, e := range tl {
			found = found || (e.Kind == event.KindAlert && e.Data["how"] == event.HowRule)
		}
		if !found {
			t.Fatalf("timeline: %+v", tl)
		}
		list, err := env.App.Alerts.ForIncident(ctx, env.Users["duty"], in.ID)
		if err != nil || len(list) != 1 || list[0].ID != id {
			t.Fatalf("incident alerts: %v %v", list, err)
		}
	})
}

// Acknowledge, silence (reason required), promote (once), attach (only to
// an incident the actor may know): each one transaction with its audit
// record and its step in the alert's history.
func TestActs(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		world(t, env)
		duty := env.Users["duty"]
		a := testkit.LandAlert(t, env, signal.Signal{Rule: "ET WEB_SERVER SQL Injection", Title: "SQL注入", Severity: signal.High, Domain: "www.qsxrmyy.cn"})
		b := testkit.LandAlert(t, env, signal.Signal{Rule: "ET SCAN", Title: "扫描", Severity: signal.Low})
		tick(t, env)
		before := testkit.AuditCount(t, env)
		if err := env.App.Alerts.Ack(ctx, duty, a); err != nil {
			t.Fatal(err)
		}
		if v := get(t, env, a); v.Alert.State != signal.Acked || v.AckedBy != "张值班" {
			t.Fatalf("ack: %+v", v.Alert)
		}
		until := env.Clock.Now().Add(2 * time.Hour)
		testkit.WantField(t, env.App.Alerts.Silence(ctx, duty, b, until, "  "), "reason")
		testkit.WantField(t, env.App.Alerts.Silence(ctx, duty, b, env.Clock.Now().Add(-time.Minute), "误报"), "until")
		if err := env.App.Alerts.Silence(ctx, duty, b, until, "已知的漏洞扫描，运维单位已报备"); err != nil {
			t.Fatal(err)
		}
		if v := get(t, env, b); v.Alert.State != signal.Silenced || v.Alert.SilenceReason == "" || !v.Alert.SilencedUntil.Equal(until.UTC().Truncate(time.Millisecond)) {
			t.Fatalf("silence: %+v", v.Alert)
		}

		// No level given and none suggested: the level is asked for (not
		// "out of range"), and nothing is written.
		c := testkit.LandAlert(t, env, signal.Signal{Rule: "ET POLICY", Title: "可疑下载", Severity: signal.Low})
		_, err := env.App.Alerts.Promote(ctx, duty, c, alerts.Promotion{Category: "network_attack"})
		if e := errs.As(err); e == nil || e.Field != "level" || e.Key != "error.required" {
			t.Fatalf("promote without a level: %v", err)
		}

		in, err := env.App.Alerts.Promote(ctx, duty, a, alerts.Promotion{})
		if err != nil {
			t.Fatal(err)
		}
		if in.Status != incident.Reported || in.Category != "network_attack" || in.Level != 4 || in.Title != "SQL注入" {
			t.Fatalf("promoted: %+v", in)
		}
		_, err = env.App.Alerts.Promote(ctx, duty, a, alerts.Promotion{})
		testkit.WantCode(t, err, errs.Conflict)
		if got := testkit.AuditCount(t, env) - before; got != 4 { // ack, silence, incident.create, alert.promoted
			t.Fatalf("audit records: %d", got)
		}
		hist := get(t, env, a).Events
		if len(hist) != 3 || hist[1].Kind != alertrule.EventAcked || hist[2].Kind != alertrule.EventPromoted || hist[2].Data["number"] != in.Number || hist[2].ActorName != "张值班" {
			t.Fatalf("history: %+v", hist)
		}

		// Attach: to an incident of another county is not found, as an
		// incident that does not exist.
		dp := testkit.OtherCounty(t, env)
		theirs, err := env.App.Incidents.CreateIncident(ctx, dp, incidentFor(env))
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Alerts.Attach(ctx, duty, b, theirs.ID)
		testkit.WantCode(t, err, errs.NotFound)
		_, err = env.App.Alerts.Attach(ctx, duty, b, 999999)
		testkit.WantCode(t, err, errs.NotFound)
		// Nor may the other county see the alert at all.
		_, err = env.App.Alerts.Get(ctx, dp, b)
		testkit.WantCode(t, err, errs.NotFound)
		_, err = env.App.Alerts.Attach(ctx, dp, b, theirs.ID)
		testkit.WantCode(t, err, errs.NotFound)
		if _, err := env.App.Alerts.Attach(ctx, duty, b, in.ID); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Alerts.Attach(ctx, duty, b, in.ID)
		testkit.WantCode(t, err, errs.Conflict)
		list, err := env.App.Alerts.ForIncident(ctx, duty, in.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("incident alerts: %d %v", len(list), err)
		}
		tl, _ := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 100)
		hows := map[string]bool{}
		for _, e := range tl {
			if e.Kind == event.KindAlert {
				hows[e.Data["how"]] = true
			}
		}
		if !hows[event.HowPromoted] || !hows[event.HowAttached] {
			t.Fatalf("timeline: %v", hows)
		}
		// Someone with no duty role sees no queue.
		plain := testkit.Officer(t, env, "plain", "wangjian")
		_, err = env.App.Alerts.List(ctx, plain, 0, alertrule.Filter{})
		testkit.WantCode(t, err, errs.Forbidden)
		testkit.AuditCount(t, env) // the chain still verifies
	})
}

func incidentFor(env *testkit.Env) incidentNew {
	return incidentNew{Title: "东坡区网站被攻击", Category: "network_attack", Level: 4, DiscoveredAt: env.Clock.Now().Add(-time.Minute)}
}

// The queue: worst and newest first, filtered, paginated, counted by state,
// scoped to the actor's organisation and those below; a silence over
// brings the alert back.
func TestQueue(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		world(t, env)
		duty := env.Users["duty"]
		low := testkit.LandAlert(t, env, signal.Signal{Rule: "r1", Title: "低", Severity: signal.Low})
		env.Clock.Add(time.Minute)
		high := testkit.LandAlert(t, env, signal.Signal{Rule: "r2", Title: "高", Severity: signal.High})
		env.Clock.Add(time.Minute)
		low2 := testkit.LandAlert(t, env, signal.Signal{Rule: "r3", Title: "低2", Severity: signal.Low})
		tick(t, env)
		q, err := env.App.Alerts.List(ctx, duty, 0, alertrule.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Items) != 3 || q.Items[0].ID != high || q.Items[1].ID != low2 || q.Items[2].ID != low || q.Counts[signal.Open] != 3 || q.Total != 3 {
			t.Fatalf("queue: %+v", q)
		}
		if err := env.App.Alerts.Silence(ctx, duty, low, env.Clock.Now().Add(time.Hour), "维护窗口"); err != nil {
			t.Fatal(err)
		}
		q, _ = env.App.Alerts.List(ctx, duty, 0, alertrule.Filter{State: "open", Limit: 1})
		if len(q.Items) != 1 || q.Items[0].ID != high || !q.More || q.Total != 2 || q.Counts[signal.Silenced] != 1 {
			t.Fatalf("open, first page: %+v", q)
		}
		q, _ = env.App.Alerts.List(ctx, duty, 0, alertrule.Filter{State: "open", Limit: 1, Offset: 1})
		if len(q.Items) != 1 || q.Items[0].ID != low2 || q.More {
			t.Fatalf("open, second page: %+v", q)
		}
		q, _ = env.App.Alerts.List(ctx, duty, 0, alertrule.Filter{MinPriority: 3})
		if len(q.Items) != 1 || q.Items[0].ID != high {
			t.Fatalf("min priority: %+v", q)
		}
		_, err = env.App.Alerts.List(ctx, duty, 0, alertrule.Filter{State: "gone"})
		testkit.WantField(t, err, "state")
		// The city's leading group sees the county's alerts; another county does not.
		city := env.Users["citydeputy"]
		_ = city
		dp := testkit.OtherCounty(t, env)
		q, err = env.App.Alerts.List(ctx, dp, 0, alertrule.Filter{})
		if err != nil || len(q.Items) != 0 {
			t.Fatalf("other county: %v %v", q, err)
		}
		// The silence ends: open again, with its step in the history.
		env.Clock.Add(2 * time.Hour)
		if res := tick(t, env); res.Woken != 1 {
			t.Fatalf("wake: %+v", res)
		}
		v := get(t, env, low)
		if v.Alert.State != signal.Open || v.Events[len(v.Events)-1].Kind != alertrule.EventWoken {
			t.Fatalf("woken: %+v", v.Alert)
		}
		_ = user.System
	})
}

// failingRegister is incidents' use case with registration broken.
type failingRegister struct{ alerts.Incidents }

func (failingRegister) RegisterForOrgTx(*store.Tx, int64, incidentNew) (*incident.Incident, error) {
	return nil, errs.New(errs.Internal, "error.internal")
}

// A rule that cannot act (registration fails) does not stop the queue: the
// alert is handled without the rule's acts, its history says so, and the
// next alert is handled.
func TestRuleFailureDoesNotStopTheQueue(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	world(t, env)
	period(t, env)
	svc := alerts.New(env.App.Core, env.App.Alerts.Duty, failingRegister{env.App.Alerts.Incidents})
	bad := testkit.LandAlert(t, env, signal.Signal{Rule: "x", Title: "首页被篡改", Severity: signal.Critical, Domain: "www.qingshen.gov.cn"})
	next := testkit.LandAlert(t, env, signal.Signal{Rule: "y", Title: "扫描", Severity: signal.Low})
	res, err := svc.Tick(ctx, "test")
	if err != nil || res.Handled != 2 || res.Incident != 0 || res.Paged != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	v := get(t, env, bad)
	if v.Alert.HandledAt == nil || v.Alert.State != signal.Open || v.Events[0].Data["failed"] != "true" {
		t.Fatalf("%+v %+v", v.Alert, v.Events)
	}
	if get(t, env, next).Alert.HandledAt == nil {
		t.Fatal("the next alert was not handled")
	}
	testkit.AuditCount(t, env)
}

// An alert whose rule fails is handled degraded, and only it: the alert
// handled before it in the same tick keeps its page, once, and each has
// one history step and one audit record.
func TestFailingAlertDegradesOnlyItself(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	world(t, env)
	period(t, env)
	svc := alerts.New(env.App.Core, env.App.Alerts.Duty, failingRegister{env.App.Alerts.Incidents})
	good := testkit.LandAlert(t, env, signal.Signal{Rule: "ET MALWARE Trojan", Title: "木马回连", Severity: signal.High})
	bad := testkit.LandAlert(t, env, signal.Signal{Rule: "x", Title: "首页被篡改", Severity: signal.Critical, Domain: "www.qingshen.gov.cn"})
	audits := testkit.AuditCount(t, env)
	res, err := svc.Tick(ctx, "test")
	if err != nil || res.Handled != 2 || res.Incident != 0 || res.Paged == 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if n := unread(t, env, "duty"); n != 1 {
		t.Errorf("duty paged %d times, want once", n)
	}
	if v := get(t, env, good); len(v.Events) != 1 || v.Events[0].Data["failed"] != "" {
		t.Errorf("good alert's history: %+v", v.Events)
	}
	if v := get(t, env, bad); len(v.Events) != 1 || v.Events[0].Data["failed"] != "true" {
		t.Errorf("failing alert's history: %+v", v.Events)
	}
	if got := testkit.AuditCount(t, env) - audits; got != 2 {
		t.Errorf("%d audit records, want 2 (one alert.handle each)", got)
	}
}

// period declares a sensitive period around the test clock's now.
func period(t testing.TB, env *testkit.Env) {
	t.Helper()
	now := env.Clock.Now()
	if err := env.App.Rota.DeclarePeriod(ctx, env.Users["chief"], &duty.Period{Name: "全国两会", Start: now.Add(-time.Hour), End: now.Add(48 * time.Hour),
		MinLeaders: 1, MinOfficers: 1}); err != nil {
		t.Fatal(err)
	}
}
