package rota_test

import (
	"strings"
	"testing"
	"time"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

func TestDutyRoster(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		dutyU, chief, deputy, xing := env.Users["duty"], env.Users["chief"], env.Users["deputy"], env.Users["xingjing"]
		// Day/night rotation from 28 Nov: day 08:00–20:00, night 20:00–08:00.
		shifts, err := env.App.Rota.CreateRotation(ctx, dutyU, shanghai, rota.RotationInput{Kind: "day_night", First: at(28, 0, 0), Days: 2,
			DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Leaders: []int64{chief.ID, deputy.ID}, Officers: []int64{dutyU.ID, xing.ID}, PerShift: 1})
		if err != nil || len(shifts) != 4 {
			t.Fatalf("rotation %v %v", shifts, err)
		}
		// Overlap: a rotation that collides writes none of its shifts.
		_, err = env.App.Rota.CreateRotation(ctx, dutyU, shanghai, rota.RotationInput{Kind: "24h", First: at(29, 0, 0), Days: 3,
			DayStart: 9 * time.Hour, Leaders: []int64{chief.ID}, Officers: []int64{dutyU.ID}})
		testkit.WantCode(t, err, errs.Conflict)
		if e := errs.As(err); e.Key != "duty.overlap" || !strings.Contains(e.Args[1].(string), "2026-11-29 08:00") {
			t.Fatalf("overlap error %v", err)
		}
		_, err = env.App.Rota.CreateShift(ctx, dutyU, rota.ShiftInput{Start: at(28, 19, 0), End: at(28, 21, 0), LeaderID: chief.ID})
		testkit.WantCode(t, err, errs.Conflict)
		_, err = env.App.Rota.CreateShift(ctx, dutyU, rota.ShiftInput{Start: at(28, 21, 0), End: at(28, 19, 0)})
		testkit.WantField(t, err, "ends_at")

		for _, c := range []struct {
			now    time.Time
			kind   duty.Kind
			leader int64
			start  string
		}{
			{at(28, 9, 0), duty.Day, chief.ID, "2026-11-28T08:00:00+08:00"},
			{at(28, 20, 0), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"},  // the day/night boundary
			{at(28, 23, 59), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"}, // before midnight
			{at(29, 0, 1), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"},   // across midnight (16:01 UTC)
			{at(29, 8, 0), duty.Day, chief.ID, "2026-11-29T08:00:00+08:00"},      // morning change-over
			{at(29, 7, 59).Add(59 * time.Second), duty.Night, deputy.ID, "2026-11-28T20:00:00+08:00"},
		} {
			env.Clock.Set(c.now)
			v, err := env.App.Rota.DutyNow(ctx, dutyU, 0)
			if err != nil || v.Current == nil {
				t.Fatalf("%v: %+v %v", c.now, v, err)
			}
			if v.Current.Shift.Kind != c.kind || v.Current.Leader.ID != c.leader || v.Current.Shift.Start.In(shanghai).Format(time.RFC3339) != c.start {
				t.Fatalf("%v: got %s leader %d start %v", c.now, v.Current.Shift.Kind, v.Current.Leader.ID, v.Current.Shift.Start)
			}
		}
		env.Clock.Set(at(30, 9, 0))
		v, _ := env.App.Rota.DutyNow(ctx, dutyU, 0)
		if v.Current != nil {
			t.Fatal("a gap must show nobody on duty")
		}
		sc, err := env.App.Rota.DutySchedule(ctx, dutyU, 0, at(28, 0, 0), at(31, 0, 0))
		if err != nil || len(sc.Shifts) != 4 || len(sc.Gaps) != 2 {
			t.Fatalf("schedule %d shifts %d gaps %v", len(sc.Shifts), len(sc.Gaps), err)
		}

		// Swap: the officer asks, the duty leader approves.
		env.Clock.Set(at(28, 9, 0))
		night := shifts[1]
		c, err := env.App.Rota.RequestChange(ctx, xing, night.ID, rota.ChangeInput{Role: "officer", FromUserID: night.OfficerIDs[0], ToUserID: dutyU.ID, Reason: "家中有事"})
		if err != nil || c.Status != "pending" {
			t.Fatalf("change %+v %v", c, err)
		}
		_, err = env.App.Rota.DecideChange(ctx, dutyU, c.ID, true)
		testkit.WantCode(t, err, errs.Forbidden)
		if c, err = env.App.Rota.DecideChange(ctx, chief, c.ID, true); err != nil || c.Status != "approved" {
			t.Fatal(err)
		}
		_, err = env.App.Rota.DecideChange(ctx, deputy, c.ID, false)
		testkit.WantCode(t, err, errs.Conflict)

		// Handover from the day shift to the night shift; only the night shift confirms.
		day := shifts[0]
		_, err = env.App.Rota.HandOver(ctx, deputy, day.ID, "平稳", nil)
		testkit.WantCode(t, err, errs.Forbidden)
		h, err := env.App.Rota.HandOver(ctx, chief, day.ID, "白班接报2起，均已处置。", []string{"县政府网站异常访问待复核", " "})
		if err != nil || h.ToShiftID != night.ID || len(h.OpenItems) != 1 {
			t.Fatalf("handover %+v %v", h, err)
		}
		_, err = env.App.Rota.HandOver(ctx, chief, day.ID, "again", nil)
		testkit.WantCode(t, err, errs.Conflict)
		_, err = env.App.Rota.ConfirmHandover(ctx, xing, h.ID)
		testkit.WantCode(t, err, errs.Forbidden) // swapped out of the night shift
		if h, err = env.App.Rota.ConfirmHandover(ctx, dutyU, h.ID); err != nil || h.ConfirmedBy != dutyU.ID {
			t.Fatal(err)
		}

		// Sensitive period: heightened state and required staffing.
		p := &duty.Period{Name: "县人代会", Start: at(28, 0, 0), End: at(29, 0, 0), Level: "一级", MinLeaders: 1, MinOfficers: 3}
		if err := env.App.Rota.DeclarePeriod(ctx, dutyU, p); err != nil {
			t.Fatal(err)
		}
		v, _ = env.App.Rota.DutyNow(ctx, dutyU, 0)
		if !v.Heightened || v.Required.Officers != 3 || !v.Current.Short {
			t.Fatalf("heightened %+v", v)
		}
		testkit.AuditCount(t, env)
	})
}

func TestDutyLogToIncidentAndActivation(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		dutyU, chief, city := env.Users["duty"], env.Users["chief"], env.Users["citydeputy"]
		if _, err := env.App.Rota.CreateShift(ctx, dutyU, rota.ShiftInput{Kind: "24h", Start: at(28, 8, 0), End: at(29, 8, 0),
			LeaderID: chief.ID, OfficerIDs: []int64{dutyU.ID}}); err != nil {
			t.Fatal(err)
		}
		in := rota.LogInput{LogFields: duty.LogFields{At: env.Clock.Now().Add(-5 * time.Minute), Place: "青神县", What: "县教育局网站首页被篡改", Measures: "通知断网",
			ReporterUnit: "县教育局", ReporterName: "张三", ReporterPhone: "028-38800"}}
		_, _, err := env.App.Rota.AddLog(ctx, dutyU, in)
		testkit.WantField(t, err, "reporter_phone")
		in.ReporterPhone = "028-38800000"
		// A bad incident part leaves no log entry either.
		in.Incident = &incidents.NewIncident{Title: "", Category: "website_defacement", Level: 4, DiscoveredAt: in.At}
		_, _, err = env.App.Rota.AddLog(ctx, dutyU, in)
		testkit.WantField(t, err, "title")
		in.Incident.Category = "no_such_category"
		in.Incident.Title = "县教育局网站被篡改"
		_, _, err = env.App.Rota.AddLog(ctx, dutyU, in)
		testkit.WantField(t, err, "category")
		if l, _ := env.App.Rota.DutyLog(ctx, dutyU, 0, 0, 10); len(l) != 0 {
			t.Fatal("log entry written without its incident")
		}
		in.Incident = nil
		e, _, err := env.App.Rota.AddLog(ctx, dutyU, in)
		if err != nil || e.ShiftID == 0 {
			t.Fatalf("log %+v %v", e, err)
		}
		cat := env.Plan.Categories[0].Key
		inc, err := env.App.Rota.LogToIncident(ctx, dutyU, e.ID, incidents.NewIncident{Title: "县教育局网站被篡改", Category: cat, Level: 4})
		if err != nil || inc.Description == "" {
			t.Fatal(err)
		}
		_, err = env.App.Rota.LogToIncident(ctx, dutyU, e.ID, incidents.NewIncident{Title: "again", Category: cat, Level: 4})
		testkit.WantCode(t, err, errs.Conflict)

		// Activation notifies the duty leader and the leading group through the outbox.
		a, err := env.App.Incidents.RequestActivation(ctx, dutyU, inc.ID, "影响扩大")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		env.DB.Read(ctx, func(q *store.Q) error {
			for _, u := range []string{"chief", "deputy", "duty"} {
				msgs, _ := q.Inbox(env.Users[u].ID, 20)
				for _, m := range msgs {
					if m.Kind == "plan_activated_duty" {
						kinds = append(kinds, u)
					}
				}
			}
			return nil
		})
		if strings.Join(kinds, ",") != "chief,deputy,duty" {
			t.Fatalf("activation notices to %v", kinds)
		}

		// A task names a registry unit; its contacts come with it.
		u := testkit.Unit(5, "县教育局")
		u.Kind = "党政机关"
		testkit.AddUnit(t, env, u)
		env.App.Units.SaveContact(ctx, dutyU, 0, 0, &registry.Contact{UnitID: u.ID, Name: "网管", Phone: "13800000009"})
		v, err := env.App.Incidents.GetIncident(ctx, dutyU, inc.ID)
		if err != nil || len(v.Tasks) == 0 {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.SetTaskUnit(ctx, dutyU, inc.ID, v.Tasks[0].ID, u.ID); err != nil {
			t.Fatal(err)
		}
		tu, err := env.App.Incidents.TaskUnits(ctx, dutyU, inc.ID)
		if err != nil || len(tu) != 1 || tu[0].Unit.ID != u.ID || len(tu[0].Contacts) != 1 {
			t.Fatalf("task units %+v %v", tu, err)
		}
		_ = incident.Reported
		testkit.AuditCount(t, env)
	})
}
