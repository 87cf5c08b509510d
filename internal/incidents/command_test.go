package incidents_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

func strp(s string) *string { return &s }
func intp(i int) *int       { return &i }

// fieldErr fails unless err is code naming field.
func fieldErr(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != code || e.Field != field {
		t.Fatalf("want %s naming %q, got %v", code, field, err)
	}
}

func lastAudit(t *testing.T, env *testkit.Env, action string) map[string]any {
	t.Helper()
	var out map[string]any
	err := env.DB.Read(ctx, func(q *store.Q) error {
		recs, err := q.AuditRecords(0, 100000)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.Action == action {
				out = map[string]any{}
				if err := json.Unmarshal([]byte(r.Detail), &out); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil || out == nil {
		t.Fatalf("no audit record %s: %v", action, err)
	}
	return out
}

// Gap 5 of issue 11: an incident can be corrected, with a reason, old and
// new values on the timeline and in the audit log; the level at any time
// (notified), the category only before activation.
func TestCorrectIncident(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, chief, city := env.Users["duty"], env.Users["chief"], env.Users["citydeputy"]
		cats := env.Plan.Categories
		in, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "县政府网站被篡改", Category: cats[0].Key, Level: 4,
			DiscoveredAt: env.Clock.Now().Add(-time.Hour), Description: "首页被植入赌博链接"})
		if err != nil {
			t.Fatal(err)
		}
		// Bad input names the field and changes nothing.
		_, err = env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Title: strp("新标题")})
		fieldErr(t, err, errs.Invalid, "reason")
		_, err = env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Title: strp(" "), Reason: "笔误"})
		fieldErr(t, err, errs.Invalid, "title")
		_, err = env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Level: intp(5), Reason: "笔误"})
		fieldErr(t, err, errs.Invalid, "level")
		future := env.Clock.Now().Add(time.Hour)
		_, err = env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Title: strp("新标题"), DiscoveredAt: &future, Reason: "笔误"})
		fieldErr(t, err, errs.Invalid, "discovered_at")
		early := time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)
		_, err = env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{DiscoveredAt: &early, Reason: "笔误"})
		fieldErr(t, err, errs.Invalid, "discovered_at")
		_, err = env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Category: strp("no-such"), Reason: "笔误"})
		fieldErr(t, err, errs.Invalid, "category")
		v, _ := env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if v.Incident.Title != "县政府网站被篡改" || v.Incident.Level != 4 {
			t.Fatalf("a refused correction changed the incident: %+v", v.Incident)
		}
		if !v.Can["correct"] {
			t.Fatal("the duty officer may correct")
		}
		// Only the duty officers and leading group of the organisation.
		if _, err := env.App.Incidents.CorrectIncident(ctx, city, in.ID, incidents.Correction{Title: strp("x"), Reason: "y"}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("city deputy corrected: %v", err)
		}
		if v, _ := env.App.Incidents.GetIncident(ctx, city, in.ID); v.Can["correct"] {
			t.Fatal("city deputy is offered the correction form")
		}

		// Title, discovery time, category and level before activation.
		disc := env.Clock.Now().Add(-3 * time.Hour)
		got, err := env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Title: strp("县政府门户网站被篡改"), DiscoveredAt: &disc,
			Category: strp(cats[1].Key), Level: intp(2), Reason: "核实后更正"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "县政府门户网站被篡改" || got.Category != cats[1].Key || got.GBClass != cats[1].GBClass || got.Level != 2 || !got.DiscoveredAt.Equal(disc) {
			t.Fatalf("correction not applied: %+v", got)
		}
		tl, _ := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 100)
		e := tl[len(tl)-1]
		if e.Kind != incident.EntryCorrected || e.Data["level.from"] != "Ⅳ" || e.Data["level.to"] != "Ⅱ" || e.Data["level.direction"] != "up" ||
			e.Data["title.from"] != "县政府网站被篡改" || e.Data["reason"] != "核实后更正" {
			t.Fatalf("timeline entry: %+v", e)
		}
		if s := report.CorrectionText(e.Data); !strings.Contains(s, "由Ⅳ级调整为Ⅱ级（升级）") || !strings.Contains(s, "“"+cats[0].Name+"”改为“"+cats[1].Name+"”") {
			t.Fatalf("correction text: %s", s)
		}
		a := lastAudit(t, env, "incident.correct")
		old, nw := a["old"].(map[string]any), a["new"].(map[string]any)
		if old["level"] != float64(4) || nw["level"] != float64(2) || old["title"] != "县政府网站被篡改" || nw["category"] != cats[1].Key || a["reason"] != "核实后更正" {
			t.Fatalf("audit detail: %v", a)
		}
		// The escalation is told to the leading group.
		var notices []*store.Message
		env.DB.Read(ctx, func(q *store.Q) error { notices, err = q.Inbox(chief.ID, 50); return err })
		found := false
		for _, m := range notices {
			found = found || m.Kind == "level_changed" && m.IncidentID == in.ID && strings.Contains(m.Body, `"direction":"up"`)
		}
		if !found {
			t.Fatalf("chief not told of the escalation: %+v", notices)
		}
		// Nothing changed: refused.
		if _, err := env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Level: intp(2), Reason: "重复"}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("empty correction: %v", err)
		}

		// After activation: category 409 naming the field; level still.
		testkit.Activate(t, env, in)
		_, err = env.App.Incidents.CorrectIncident(ctx, duty, in.ID, incidents.Correction{Category: strp(cats[0].Key), Level: intp(3), Reason: "类别有误"})
		fieldErr(t, err, errs.Conflict, "category")
		if v, _ := env.App.Incidents.GetIncident(ctx, duty, in.ID); v.Incident.Level != 2 {
			t.Fatal("a refused correction changed the level")
		}
		got, err = env.App.Incidents.CorrectIncident(ctx, chief, in.ID, incidents.Correction{Level: intp(3), Reason: "影响范围缩小"})
		if err != nil || got.Level != 3 {
			t.Fatalf("de-escalation after activation: %v", err)
		}
		tl, _ = env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 100)
		if e := tl[len(tl)-1]; e.Data["level.direction"] != "down" {
			t.Fatalf("de-escalation entry: %+v", e)
		}
		testkit.AuditCount(t, env) // verifies the chain
	})
}

// Gap 7 of issue 11 (批示): the city's 分管领导 instructs on a county
// incident; the addressed department acknowledges and reports what was
// done; the command post, the incident and the report show it.
func TestInstructions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, chief, city, xing := env.Users["duty"], env.Users["chief"], env.Users["citydeputy"], env.Users["xingjing"]
		tech := testkit.Officer(t, env, "jj1", "jiaojing") // no role: need-to-know applies
		in, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "县医院系统遭勒索病毒攻击", Category: env.Plan.Categories[0].Key, Level: 3,
			DiscoveredAt: env.Clock.Now().Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		testkit.Activate(t, env, in)
		if _, err := env.App.Incidents.GetIncident(ctx, tech, in.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider reads the incident: %v", err)
		}
		// Who may instruct.
		if _, err := env.App.Incidents.PostInstruction(ctx, duty, in.ID, incidents.NewInstruction{Text: "x", Departments: []string{"wangjian"}}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("duty officer instructed: %v", err)
		}
		if _, err := env.App.Incidents.PostInstruction(ctx, tech, in.ID, incidents.NewInstruction{Text: "x", Departments: []string{"wangjian"}}); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider instructed: %v", err)
		}
		_, err = env.App.Incidents.PostInstruction(ctx, city, in.ID, incidents.NewInstruction{Text: "请尽快处置"})
		fieldErr(t, err, errs.Invalid, "departments")
		_, err = env.App.Incidents.PostInstruction(ctx, city, in.ID, incidents.NewInstruction{Text: "请尽快处置", Departments: []string{"nope"}})
		fieldErr(t, err, errs.Invalid, "departments")
		_, err = env.App.Incidents.PostInstruction(ctx, city, in.ID, incidents.NewInstruction{Text: "请尽快处置", People: []int64{999999}})
		fieldErr(t, err, errs.Invalid, "people")
		_, err = env.App.Incidents.PostInstruction(ctx, city, in.ID, incidents.NewInstruction{Text: " ", Departments: []string{"wangjian"}})
		fieldErr(t, err, errs.Invalid, "text")

		ins, err := env.App.Incidents.PostInstruction(ctx, city, in.ID, incidents.NewInstruction{Text: "请网监科立即固定证据，24小时内查明攻击来源。", Departments: []string{"wangjian"}})
		if err != nil {
			t.Fatal(err)
		}
		ins2, err := env.App.Incidents.PostInstruction(ctx, chief, in.ID, incidents.NewInstruction{Text: "交警大队配合维护现场秩序。", Departments: []string{"jiaojing"}, People: []int64{xing.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// The addressed department's user now reads the incident, in lists too.
		if _, err := env.App.Incidents.GetIncident(ctx, tech, in.ID); err != nil {
			t.Fatalf("addressed department cannot read the incident: %v", err)
		}
		list, err := env.App.Incidents.ListIncidents(ctx, tech, incident.Filter{})
		if err != nil || len(list) != 1 || list[0].ID != in.ID {
			t.Fatalf("addressed department's list: %v %v", list, err)
		}
		// The command post shows the open instruction to its addressees only.
		d, err := env.App.Dashboard.Dashboard(ctx, duty)
		if err != nil || len(d.Instructions) != 1 || d.Instructions[0].ID != ins.ID || !d.Instructions[0].CanAck || d.Instructions[0].AuthorName == "" {
			t.Fatalf("duty command post: %+v %v", d, err)
		}
		if d, _ := env.App.Dashboard.Dashboard(ctx, xing); len(d.Instructions) != 1 || d.Instructions[0].ID != ins2.ID {
			t.Fatalf("named person's command post: %+v", d.Instructions)
		}
		// Not addressed: 403; done before 已阅: 409.
		if _, err := env.App.Incidents.AckInstruction(ctx, xing, ins.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("non-addressee acknowledged: %v", err)
		}
		if _, err := env.App.Incidents.AckInstruction(ctx, testkit.Officer(t, env, "other", ""), ins.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider acknowledged: %v", err)
		}
		if _, err := env.App.Incidents.DoneInstruction(ctx, duty, ins.ID, "已处置"); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("done before acknowledged: %v", err)
		}
		if _, err := env.App.Incidents.AckInstruction(ctx, duty, ins.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.AckInstruction(ctx, duty, ins.ID); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("second ack: %v", err)
		}
		_, err = env.App.Incidents.DoneInstruction(ctx, duty, ins.ID, "")
		fieldErr(t, err, errs.Invalid, "result")
		got, err := env.App.Incidents.DoneInstruction(ctx, duty, ins.ID, "已固定证据，攻击来源为境外IP。")
		if err != nil || got.Status != incident.InstructionDone || got.DoneBy != duty.ID {
			t.Fatalf("done: %+v %v", got, err)
		}
		if d, _ := env.App.Dashboard.Dashboard(ctx, duty); len(d.Instructions) != 0 {
			t.Fatalf("a done instruction stays on the command post: %+v", d.Instructions)
		}
		v, err := env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if err != nil || len(v.Instructions) != 2 || v.Instructions[0].Status != incident.InstructionDone || v.Instructions[0].To[0] != "网监科" && !strings.Contains(v.Instructions[0].To[0], "网") {
			t.Fatalf("incident view: %+v %v", v.Instructions, err)
		}
		if vc, _ := env.App.Incidents.GetIncident(ctx, city, in.ID); !vc.Can["instruct"] {
			t.Fatal("city deputy is not offered the 批示 form")
		}
		// The report states the instructions and what was done.
		rp, err := env.App.Reports.CreateReport(ctx, duty, in.ID, report.Daily)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rp.Fields.Informed, "批示：“请网监科立即固定证据，24小时内查明攻击来源。”") ||
			!strings.Contains(rp.Fields.Informed, "落实情况：已固定证据，攻击来源为境外IP。") ||
			!strings.Contains(rp.Fields.Informed, "交警大队配合维护现场秩序。”（交") || !strings.Contains(rp.Fields.Informed, "正在落实") {
			t.Fatalf("report section: %s", rp.Fields.Informed)
		}
		a := lastAudit(t, env, "instruction.done")
		if a["result"] != "已固定证据，攻击来源为境外IP。" || a["to"] != "done" {
			t.Fatalf("audit: %v", a)
		}
		testkit.AuditCount(t, env) // verifies the chain
	})
}
