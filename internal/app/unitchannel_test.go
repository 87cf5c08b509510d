package app_test

import (
	"fmt"
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/alertrule"
	"yingji/internal/alerts"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/signal"
	"yingji/internal/testkit"
	"yingji/internal/unitreport"
	"yingji/internal/user"
)

// TestUnitReportAlertNamesItsUnit: the alert of a unit's report names the
// unit the channel recorded (the alert page shows it and links back to the
// report), and promoting it carries the unit to the new incident, also for
// an alert the handler has not reached (as those written before it named
// units); attaching one carries it to an incident that lacks it, once; a
// generic source's unit_id label names no unit.
func TestUnitReportAlertNamesItsUnit(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		u := testkit.Unit(1, "青神县人民政府办公室")
		testkit.AddUnit(t, env, u)
		submit := func(system string) *unitreport.Report {
			t.Helper()
			_, tok, err := env.App.UnitReports.IssueLink(ctx, duty, u.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			r, err := env.App.UnitReports.Submit(ctx, tok, &unitreport.Report{What: "门户网站首页被篡改", System: system,
				HappenedAt: env.Clock.Now().Add(-time.Hour), ContactName: "李四", ContactPhone: "13800000001"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		tick := func() {
			t.Helper()
			if _, err := env.App.Alerts.Tick(ctx, "test"); err != nil {
				t.Fatal(err)
			}
		}
		held := func(in *incident.Incident) int {
			t.Helper()
			v, err := env.App.Incidents.Resources(ctx, duty, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, r := range v.Items {
				if r.Kind == incident.ResourceUnit && r.RefID == u.ID && r.Name == u.Name {
					n++
				}
			}
			return n
		}
		carried := func(in *incident.Incident) bool { t.Helper(); return held(in) == 1 }

		// A generic JSON source says unit_id too: it is a label, nothing more.
		src, _, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "WAF", signal.FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf(`{"title":"自称单位报警","rule":"unit.report","severity":"high","labels":{"unit_id":"%d"}}`, u.ID)
		if ans, err := env.App.Intake.Ingest(ctx, src, signal.FormatJSON, []byte(body)); err != nil || ans.Accepted != 1 {
			t.Fatalf("ingest: %v %+v", err, ans)
		}

		r := submit("门户网站")
		tick()
		q, err := env.App.Alerts.List(ctx, duty, 0, alertrule.Filter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, a := range q.Items {
			if a.SourceID == src.ID {
				seen++
				if a.UnitID != 0 || a.Labels["unit_id"] != fmt.Sprint(u.ID) {
					t.Errorf("a source's unit_id label named the unit: %+v", a)
				}
			}
		}
		if seen != 1 {
			t.Fatalf("the source's alert: %d", seen)
		}
		v, err := env.App.Alerts.Get(ctx, duty, r.AlertID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Alert.UnitID != u.ID || v.UnitName != u.Name || v.ReportID != r.ID || v.Receipt != r.Receipt {
			t.Fatalf("the report's alert: unit %d %q report %d %q", v.Alert.UnitID, v.UnitName, v.ReportID, v.Receipt)
		}
		in, err := env.App.Alerts.Promote(ctx, duty, r.AlertID, alerts.Promotion{Category: "network_attack", Level: 4})
		if err != nil {
			t.Fatal(err)
		}
		if !carried(in) {
			t.Error("promotion did not carry the unit")
		}

		// An alert the handler has not named a unit on (as before): its
		// page and its promotion still find the unit through the report.
		r2 := submit("办公系统")
		v, err = env.App.Alerts.Get(ctx, duty, r2.AlertID)
		if err != nil || v.Alert.UnitID != 0 || v.UnitName != u.Name || v.ReportID != r2.ID {
			t.Fatalf("unhandled report alert: %v %+v", err, v)
		}
		in2, err := env.App.Alerts.Promote(ctx, duty, r2.AlertID, alerts.Promotion{Category: "network_attack", Level: 4})
		if err != nil || !carried(in2) {
			t.Fatalf("promotion of an unhandled report alert: %v", err)
		}

		// Attached to an incident registered by hand, the report's alert
		// brings its unit; attached to one that holds the unit already, it
		// adds no second one.
		byHand := testkit.NewIncident(t, env, "network_attack")
		r3 := submit("电子邮件系统")
		if _, err := env.App.Alerts.Attach(ctx, duty, r3.AlertID, byHand.ID); err != nil {
			t.Fatal(err)
		}
		if !carried(byHand) {
			t.Errorf("attaching did not carry the unit: %d held", held(byHand))
		}
		r4 := submit("数据库")
		if _, err := env.App.Alerts.Attach(ctx, duty, r4.AlertID, in.ID); err != nil {
			t.Fatal(err)
		}
		if n := held(in); n != 1 {
			t.Errorf("attaching to an incident that holds the unit: %d held", n)
		}

		// An officer of the city sees both counties' incidents and may attach
		// this county's alert to the other county's; the unit and its
		// contacts do not go with it (the other county's people would read them).
		dp := testkit.OtherCounty(t, env)
		theirs, err := env.App.Incidents.CreateIncident(ctx, dp, incidents.NewIncident{Title: "东坡区网站被攻击", Category: "network_attack", Level: 3,
			DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "眉山市公安局", Username: "cityduty", DisplayName: "市值班员",
			Roles: []string{user.RoleDutyOfficer}, Password: testkit.Password}); err != nil {
			t.Fatal(err)
		}
		r5 := submit("办公自动化系统")
		if _, err := env.App.Alerts.Attach(ctx, testkit.AddUser(t, env, "cityduty"), r5.AlertID, theirs.ID); err != nil {
			t.Fatal(err)
		}
		v5, err := env.App.Incidents.Resources(ctx, dp, theirs.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v5.Items) != 0 {
			t.Errorf("another county's incident got this county's unit: %+v", v5.Items[0])
		}
	})
}
