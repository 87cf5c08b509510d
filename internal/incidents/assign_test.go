package incidents_test

import (
	"testing"

	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

func inbox(t *testing.T, env *testkit.Env, name string) []*store.Message {
	t.Helper()
	var out []*store.Message
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		var err error
		out, err = q.Inbox(env.Users[name].ID, 50)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func hasKind(ms []*store.Message, kind string) bool {
	for _, m := range ms {
		if m.Kind == kind {
			return true
		}
	}
	return false
}

func timelineHas(t *testing.T, env *testkit.Env, actor *user.User, id int64, kind incident.EntryKind) *incident.Entry {
	t.Helper()
	es, err := env.App.Incidents.Timeline(ctx, actor, id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Kind == kind {
			return e
		}
	}
	return nil
}

// 四(三)1 "敏感时期和重要会议、活动期间,本地互联网遭到网络攻击,启动预案": the county's
// leading group decides, the city is told at once; 四(一)1 still needs the city.
func TestActivationAuthorityPerCategory(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, chief, deputy, city := env.Users["duty"], env.Users["chief"], env.Users["deputy"], env.Users["citydeputy"]

		in := testkit.NewIncident(t, env, "network_attack")
		a, err := env.App.Incidents.RequestActivation(ctx, duty, in.ID, "重要会议期间门户网站遭攻击")
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := env.App.Incidents.ApprovalsFor(ctx, city); len(got) != 0 {
			t.Fatalf("the city is not the one asked for a network attack: %v", got)
		}
		if got, _ := env.App.Incidents.ApprovalsFor(ctx, chief); len(got) != 1 {
			t.Fatalf("the county 组长 decides: %v", got)
		}
		if !hasKind(inbox(t, env, "chief"), "approval_requested") || hasKind(inbox(t, env, "citydeputy"), "approval_requested") {
			t.Fatal("the request notice goes to the county's leaders, not to the city")
		}
		v, _ := env.App.Incidents.GetIncident(ctx, chief, in.ID)
		if !v.Can["decide"] || !v.Activation.ByOwnOrganisation() {
			t.Fatalf("chief can %v, rule %+v", v.Can, v.Activation)
		}
		_, err = env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantCode(t, err, errs.Forbidden)
		if _, err := env.App.Incidents.Decide(ctx, chief, a.ID, incidents.Decision{Approve: true, Opinion: "立即启动预案"}); err != nil {
			t.Fatal(err)
		}
		v, err = env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Incident.Status != incident.Active || v.Incident.ActivatedAt == nil || len(v.Tasks) == 0 {
			t.Fatalf("after the 组长's decision: %s, %d tasks", v.Incident.Status, len(v.Tasks))
		}
		arrive := false
		for _, tk := range v.Tasks {
			arrive = arrive || tk.TemplateKey == "arrive"
		}
		if !arrive {
			t.Fatal("赶赴现场 does not exist at once")
		}
		e := timelineHas(t, env, duty, in.ID, event.KindSuperiorInformed)
		if e == nil || e.Data["to"] == "" {
			t.Fatalf("no 已报告市局 entry: %+v", e)
		}
		if !hasKind(inbox(t, env, "citydeputy"), "activation_informed") {
			t.Fatal("the city deputy was not informed")
		}
		// Termination stays with the city (四(三)5).
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本测试不涉及")
		ta, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "攻击已得到有效控制")
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Incidents.Decide(ctx, chief, ta.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantCode(t, err, errs.Forbidden)

		// Four eyes: the 组长 who asks does not decide; the 副组长 does.
		in2 := testkit.NewIncident(t, env, "malicious_hype")
		a2, err := env.App.Incidents.RequestActivation(ctx, chief, in2.ID, "恶意炒作严重影响社会稳定")
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Incidents.Decide(ctx, chief, a2.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantCode(t, err, errs.Forbidden)
		_, err = env.App.Incidents.Decide(ctx, city, a2.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantCode(t, err, errs.Forbidden)
		if _, err := env.App.Incidents.Decide(ctx, deputy, a2.ID, incidents.Decision{Approve: true, Opinion: "同意启动"}); err != nil {
			t.Fatal(err)
		}

		// 四(一)1 报经市公安局分管领导批准后,启动预案: as before.
		in3 := testkit.NewIncident(t, env, "harmful_info")
		a3, err := env.App.Incidents.RequestActivation(ctx, duty, in3.ID, "有害信息大范围传播")
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Incidents.Decide(ctx, chief, a3.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantCode(t, err, errs.Forbidden)
		v, _ = env.App.Incidents.GetIncident(ctx, chief, in3.ID)
		if v.Can["decide"] || v.Activation.ByOwnOrganisation() {
			t.Fatalf("chief may decide harmful_info: %v", v.Can)
		}
		if _, err := env.App.Incidents.Decide(ctx, city, a3.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		if timelineHas(t, env, duty, in3.ID, event.KindSuperiorInformed) != nil {
			t.Fatal("an approval by the city needs no separate report to it")
		}
		testkit.AuditCount(t, env)
	})
}

// 四(五) 执行上级处置决策,完成交办的有关互联网安全的其他任务.
func TestAssignedTask(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, city := env.Users["duty"], env.Users["citydeputy"]
		county := duty.OrgID
		ni := incidents.NewIncident{Title: "按市局部署排查县内重点网站漏洞", Category: "assigned_task", Level: 3, OrgID: county,
			DiscoveredAt: env.Clock.Now(), Instructions: "11月30日前完成县内重点网站漏洞排查，结果报市局网安支队"}

		// Refusals first: each changes nothing.
		before := testkit.AuditCount(t, env)
		bad := ni
		bad.Instructions = ""
		_, err := env.App.Incidents.CreateIncident(ctx, city, bad)
		testkit.WantCode(t, err, errs.Invalid)
		bad = ni
		bad.Category = "harmful_info"
		_, err = env.App.Incidents.CreateIncident(ctx, city, bad)
		testkit.WantCode(t, err, errs.Invalid)
		bad = ni
		bad.OrgID = city.OrgID + county + 1000
		_, err = env.App.Incidents.CreateIncident(ctx, city, bad)
		testkit.WantCode(t, err, errs.Invalid)
		bad = ni
		bad.OrgID = city.OrgID // the county cannot assign upwards
		_, err = env.App.Incidents.CreateIncident(ctx, duty, bad)
		testkit.WantCode(t, err, errs.Invalid)
		_, err = env.App.Incidents.CreateIncident(ctx, env.Users["admin"], ni) // the city's system admin has no part in command
		testkit.WantCode(t, err, errs.Forbidden)
		bad = incidents.NewIncident{Title: "x", Category: "assigned_task", Level: 3, DiscoveredAt: env.Clock.Now(), Instructions: "y"}
		_, err = env.App.Incidents.CreateIncident(ctx, duty, bad)
		testkit.WantCode(t, err, errs.Invalid)
		if after := testkit.AuditCount(t, env); after != before {
			t.Fatalf("refusals wrote %d audit records", after-before)
		}

		in, err := env.App.Incidents.CreateIncident(ctx, city, ni)
		if err != nil {
			t.Fatal(err)
		}
		if in.OrgID != county || in.Status != incident.Active || in.ActivatedAt == nil || in.Number != "QS-2026-001" {
			t.Fatalf("assigned incident %+v", in)
		}
		v := testkit.View(t, env, in.ID)
		if len(v.Tasks) == 0 || v.AssignedBy == nil || v.AssignedBy.ID != city.ID || !v.Can["feedback"] || !v.Can["update_tasks"] {
			t.Fatalf("view: %d tasks, by %v, can %v", len(v.Tasks), v.AssignedBy, v.Can)
		}
		e := timelineHas(t, env, duty, in.ID, event.KindAssigned)
		if e == nil || e.ActorID != city.ID || e.Data["instructions"] != ni.Instructions {
			t.Fatalf("assigned entry %+v", e)
		}
		// The county's need-to-know users (leading group, duty) see it; another county does not.
		for _, name := range []string{"chief", "deputy", "xingjing"} {
			if _, err := env.App.Incidents.GetIncident(ctx, env.Users[name], in.ID); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		dp := testkit.OtherCounty(t, env)
		_, err = env.App.Incidents.GetIncident(ctx, dp, in.ID)
		testkit.WantCode(t, err, errs.NotFound)
		if list, _ := env.App.Incidents.ListIncidents(ctx, dp, incident.Filter{}); len(list) != 0 {
			t.Fatalf("another county lists %d", len(list))
		}
		if list, _ := env.App.Incidents.ListIncidents(ctx, duty, incident.Filter{}); len(list) != 1 {
			t.Fatalf("the county lists %d", len(list))
		}

		// The county reports back before it asks the city to accept (its
		// tasks closed, what blocks termination is the missing 反馈).
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本测试不涉及")
		_, err = env.App.Incidents.RequestTermination(ctx, duty, in.ID, "任务已完成")
		if e := errs.As(err); err == nil || e.Key != "error.feedback_first" {
			t.Fatalf("termination before 反馈: %v", err)
		}
		_, err = env.App.Incidents.AddNoteWith(ctx, duty, in.ID, incidents.Note{Text: "x", Feedback: true, Internal: true})
		testkit.WantCode(t, err, errs.Invalid)
		if _, err := env.App.Incidents.AddNoteWith(ctx, duty, in.ID, incidents.Note{Text: "已排查重点网站12个，发现高危漏洞3处，均已督促整改", Feedback: true}); err != nil {
			t.Fatal(err)
		}
		if !hasKind(inbox(t, env, "citydeputy"), "assignment_feedback") {
			t.Fatal("the assigner was not told of the feedback")
		}
		ta, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "交办任务已完成，请验收")
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Incidents.Decide(ctx, env.Users["chief"], ta.ID, incidents.Decision{Approve: true, Opinion: "同意"})
		testkit.WantCode(t, err, errs.Forbidden)
		if _, err := env.App.Incidents.Decide(ctx, city, ta.ID, incidents.Decision{Approve: true, Opinion: "验收通过"}); err != nil {
			t.Fatal(err)
		}
		v, _ = env.App.Incidents.GetIncident(ctx, duty, in.ID)
		if v.Incident.Status != incident.Terminated {
			t.Fatalf("after acceptance: %s", v.Incident.Status)
		}

		// A feedback note on an incident nobody assigned is refused.
		own := testkit.NewIncident(t, env, "network_attack")
		_, err = env.App.Incidents.AddNoteWith(ctx, duty, own.ID, incidents.Note{Text: "x", Feedback: true})
		testkit.WantCode(t, err, errs.Invalid)
		testkit.AuditCount(t, env)
	})
}
