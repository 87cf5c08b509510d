package alerts_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"yingji/internal/alerts"
	"yingji/internal/event"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/signal"
	"yingji/internal/testkit"
)

// statusEntries are the incident's timeline entries about its linked
// alerts' later word, oldest first.
func statusEntries(t testing.TB, env *testkit.Env, incidentID int64) []*incident.Entry {
	t.Helper()
	tl, err := env.App.Incidents.Timeline(ctx, env.Users["duty"], incidentID, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []*incident.Entry
	for _, e := range tl {
		if e.Kind == event.KindAlertStatus {
			out = append(out, e)
		}
	}
	return out
}

// down is the signal a source sends about a site that does not answer.
func down(status signal.Status) signal.Signal {
	return signal.Signal{Format: signal.FormatAlertmanager, Rule: "SiteDown", Title: "县政府门户网站无法访问", Severity: signal.High, Status: status}
}

// TestLinkedAlertStatusOnTimeline: the source of a promoted alert says it
// is over, then firing again: each change is one entry on the incident's
// timeline (the system's, with its audit record), read in both languages;
// a tick with no change, or an alert no incident holds, writes nothing; a
// source flapping within one tick makes at most one entry, and none when
// it ends where the timeline last left it.
func TestLinkedAlertStatusOnTimeline(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		world(t, env)
		duty := env.Users["duty"]
		id := testkit.LandAlert(t, env, down(signal.Firing))
		loose := testkit.LandAlert(t, env, signal.Signal{Rule: "ET SCAN", Title: "端口扫描", Severity: signal.Low})
		tick(t, env)
		in, err := env.App.Alerts.Promote(ctx, duty, id, alerts.Promotion{Category: "network_attack", Level: 4})
		if err != nil {
			t.Fatal(err)
		}
		if res := tick(t, env); res.Noted != 0 || len(statusEntries(t, env, in.ID)) != 0 {
			t.Fatalf("promoted firing, still firing: %+v", res)
		}

		audits := testkit.AuditCount(t, env)
		testkit.LandAlert(t, env, down(signal.Resolved))
		if res := tick(t, env); res.Noted != 1 {
			t.Fatalf("resolved: %+v", res)
		}
		es := statusEntries(t, env, in.ID)
		if len(es) != 1 || es[0].ActorID != 0 || es[0].Data["status"] != "resolved" {
			t.Fatalf("entries: %+v", es)
		}
		if zh, en := event.Entry(es[0]).Text(i18n.ZH), event.Entry(es[0]).Text(i18n.EN); zh != "关联告警已恢复：县政府门户网站无法访问（来源报告恢复）" ||
			en != "Linked alert resolved: 县政府门户网站无法访问 (its source reports it over)" {
			t.Fatalf("text: %q / %q", zh, en)
		}
		if got := testkit.AuditCount(t, env) - audits; got != 1 {
			t.Fatalf("audit records: %d, want 1 (alert.status_noted)", got)
		}
		if res := tick(t, env); res.Noted != 0 || len(statusEntries(t, env, in.ID)) != 1 {
			t.Fatalf("no change, another entry: %+v", res)
		}

		testkit.LandAlert(t, env, down(signal.Firing))
		if res := tick(t, env); res.Noted != 1 {
			t.Fatalf("firing again: %+v", res)
		}
		es = statusEntries(t, env, in.ID)
		if len(es) != 2 || event.Entry(es[1]).Text(i18n.ZH) != "关联告警再次告警：县政府门户网站无法访问（来源报告再次发生）" {
			t.Fatalf("entries: %+v", es)
		}

		// An alert no incident holds: its status changes, no timeline does.
		testkit.LandAlert(t, env, signal.Signal{Rule: "ET SCAN", Title: "端口扫描", Severity: signal.Low, Status: signal.Resolved})
		if res := tick(t, env); res.Noted != 0 || get(t, env, loose).Alert.Status != signal.Resolved {
			t.Fatalf("unlinked: %+v", res)
		}

		// Flapping between two ticks: over, firing, over is one entry
		// (over); firing then over again ends where the timeline is: none.
		for _, s := range []signal.Status{signal.Resolved, signal.Firing, signal.Resolved} {
			testkit.LandAlert(t, env, down(s))
		}
		if res := tick(t, env); res.Noted != 1 {
			t.Fatalf("flapping: %+v", res)
		}
		for _, s := range []signal.Status{signal.Firing, signal.Resolved} {
			testkit.LandAlert(t, env, down(s))
		}
		if res := tick(t, env); res.Noted != 0 {
			t.Fatalf("flapping back: %+v", res)
		}
		es = statusEntries(t, env, in.ID)
		if len(es) != 3 || es[2].Data["status"] != "resolved" {
			t.Fatalf("entries after flapping: %d", len(es))
		}
		testkit.AuditCount(t, env) // the chain verifies
	})
}

// TestLinkedAlertStatusOnce: two nodes' handlers tick at once after a
// change: one entry. A node that takes the lease after the first noted the
// change finds nothing to write.
func TestLinkedAlertStatusOnce(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		id := testkit.LandAlert(t, env, down(signal.Firing))
		in := testkit.NewIncident(t, env, "harmful_info")
		if _, err := env.App.Alerts.Attach(ctx, env.Users["duty"], id, in.ID); err != nil {
			t.Fatal(err)
		}
		testkit.LandAlert(t, env, down(signal.Resolved))
		other := alerts.New(env.App.Core, env.App.Alerts.Duty, env.App.Alerts.Incidents)
		var wg sync.WaitGroup
		res := make([]alerts.Result, 2)
		for i, svc := range []*alerts.Service{env.App.Alerts, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if res[i], err = svc.Tick(ctx, []string{"node-a", "node-b"}[i]); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if res[0].Noted+res[1].Noted != 1 || res[0].Leader == res[1].Leader {
			t.Fatalf("two nodes: %+v", res)
		}
		env.Clock.Add(alerts.Lease + time.Second) // the first node's lease runs out
		for _, h := range []string{"node-a", "node-b"} {
			if r, err := other.Tick(ctx, h); err != nil || r.Noted != 0 {
				t.Fatalf("%s: %+v %v", h, r, err)
			}
		}
		if es := statusEntries(t, env, in.ID); len(es) != 1 {
			t.Fatalf("entries: %d", len(es))
		}
	})
}

// TestClosedIncidentKeepsItsRecord: a closed incident's record is finished:
// its alert's source saying "over" afterwards is noted (audited, once) but
// not written on its timeline.
func TestClosedIncidentKeepsItsRecord(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		id := testkit.LandAlert(t, env, down(signal.Firing))
		in := testkit.NewIncident(t, env, "harmful_info")
		if _, err := env.App.Alerts.Attach(ctx, duty, id, in.ID); err != nil {
			t.Fatal(err)
		}
		closeIncident(t, env, in)
		tick(t, env) // the handler's own record of the alert (alert.handle)
		before, err := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		audits := testkit.AuditCount(t, env)
		testkit.LandAlert(t, env, down(signal.Resolved))
		if res := tick(t, env); res.Noted != 0 {
			t.Fatalf("closed: %+v", res)
		}
		if res := tick(t, env); res.Noted != 0 {
			t.Fatalf("closed, again: %+v", res)
		}
		after, _ := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 500)
		if len(after) != len(before) {
			t.Fatalf("closed incident's timeline: %d entries, was %d", len(after), len(before))
		}
		if got := testkit.AuditCount(t, env) - audits; got != 1 {
			t.Fatalf("audit records: %d, want 1 (the change noted, once)", got)
		}
	})
}

// closeIncident runs an incident to its end: activated, tasks closed,
// termination approved, the summary signed and submitted.
func closeIncident(t *testing.T, env *testkit.Env, in *incident.Incident) {
	t.Helper()
	duty := env.Users["duty"]
	testkit.Activate(t, env, in)
	testkit.CloseOpenTasks(t, env, duty, in.ID, "本次事件不涉及")
	a, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "网站已恢复运行")
	if err != nil {
		t.Fatal(err)
	}
	decider := env.Users["citydeputy"]
	if env.Plan.ActivationRule(in.Category).ByOwnOrganisation() {
		decider = env.Users["chief"]
	}
	if _, err := env.App.Incidents.Decide(ctx, decider, a.ID, incidents.Decision{Approve: true, Opinion: "同意终止。"}); err != nil {
		t.Fatal(err)
	}
	testkit.SubmitSummary(t, env, in.ID)
	v, err := env.App.Incidents.GetIncident(ctx, duty, in.ID)
	if err != nil || v.Incident.Status != incident.Closed {
		t.Fatalf("not closed: %v", err)
	}
}

// TestReportStatesLinkedAlert: the report drafted after an alert became
// the incident and its source said it was over states both in its 经过,
// each with its timeline entry among the report's sources.
func TestReportStatesLinkedAlert(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		world(t, env)
		duty := env.Users["duty"]
		id := testkit.LandAlert(t, env, down(signal.Firing))
		tick(t, env)
		in, err := env.App.Alerts.Promote(ctx, duty, id, alerts.Promotion{Category: "network_attack", Level: 4})
		if err != nil {
			t.Fatal(err)
		}
		testkit.LandAlert(t, env, down(signal.Resolved))
		if res := tick(t, env); res.Noted != 1 {
			t.Fatalf("resolved: %+v", res)
		}
		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, report.Initial)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"张值班将监测告警“县政府门户网站无法访问”（累计1次）转为本事件。", "，监测显示，关联告警“县政府门户网站无法访问”已恢复。"} {
			if !strings.Contains(r.Fields.Course, want) {
				t.Errorf("经过 lacks %q:\n%s", want, r.Fields.Course)
			}
		}
		es := statusEntries(t, env, in.ID)
		if len(es) != 1 || !slices.Contains(r.Sources, es[0].ID) {
			t.Fatalf("sources %v lack the status entry %+v", r.Sources, es)
		}
	})
}
