package monitors_test

import (
	"testing"

	"yingji/internal/alerts"
	"yingji/internal/event"
	"yingji/internal/i18n"
	"yingji/internal/monitor"
	"yingji/internal/signal"
	"yingji/internal/testkit"
)

// TestSiteBackOnTheIncidentTimeline: a monitored key website (a real HTTP
// server) goes down, its alert is promoted to an incident, the site comes
// back: the monitor resolves the alert and the alert handler's next tick
// puts 已恢复 on the incident's timeline, once.
func TestSiteBackOnTheIncidentTimeline(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		s := newSite(t, env, 1, true, nil)
		svc := env.App.Monitors
		m := s.watch(t, env)
		check := func() *monitor.Monitor {
			t.Helper()
			m, err := svc.CheckNow(ctx, duty, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		check()
		s.status.Store(503)
		check()
		if m = check(); m.Availability != monitor.Down {
			t.Fatalf("after two failures: %s", m.Availability)
		}
		v, err := svc.Get(ctx, duty, m.ID, 50)
		if err != nil || len(v.Changes) == 0 {
			t.Fatalf("changes: %v", err)
		}
		id := v.Changes[0].AlertID
		if _, err := env.App.Alerts.Tick(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		in, err := env.App.Alerts.Promote(ctx, duty, id, alerts.Promotion{Category: "network_attack", Level: 4})
		if err != nil {
			t.Fatal(err)
		}
		s.status.Store(200)
		if m = check(); m.Availability != monitor.Up || alert(t, env, id).Status != signal.Resolved {
			t.Fatalf("back: %s", m.Availability)
		}
		for range 2 {
			if _, err := env.App.Alerts.Tick(ctx, "test"); err != nil {
				t.Fatal(err)
			}
		}
		tl, err := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var said []string
		for _, e := range tl {
			if e.Kind == event.KindAlertStatus {
				said = append(said, event.Entry(e).Text(i18n.ZH))
			}
		}
		if want := "关联告警已恢复：" + alert(t, env, id).Title + "（来源报告恢复）"; len(said) != 1 || said[0] != want {
			t.Fatalf("timeline says %q, want once %q", said, want)
		}
	})
}
