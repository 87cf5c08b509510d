package escalation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"yingji/internal/delivery"
	"yingji/internal/escalation"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var ctx = context.Background()

// roster is the rota's answer: who leads the duty now.
type roster struct{ leader int64 }

func (r roster) OnDuty(*store.Q, int64, time.Time) (int64, []int64, error) { return r.leader, nil, nil }

// Escalation until acknowledged, end to end on both databases: the
// roll-call re-sent by SMS at 10 minutes to those missing only (their own
// link, which confirms), the duty leader told at 20 who is missing, an
// approval reminded at 15 and taken to the city's deputy at 30, an overdue
// task told to its department; each once however often the ticker runs or
// how many nodes run it; timeline and audit chain.
func TestEscalation(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		gw, set := testkit.SMSPaging(t, env)
		phones := testkit.LeaderPhones
		env.App.Notices.Channels = set
		esc := escalation.New(env.App.Core, roster{env.Users["duty"].ID})
		w := &delivery.Worker{DB: env.DB, Channels: set, Name: "t"}
		deliver := func() {
			for i := 0; i < 3; i++ {
				w.Step(ctx)
			}
		}
		tick := func(holder string) escalation.Result {
			t.Helper()
			r, err := esc.Tick(ctx, holder)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		// A category the county's leading group decides (四(二)、(三)):
		// its approval goes up to the city when the 组长 does not decide.
		cat := ""
		for _, c := range env.Plan.Categories {
			if env.Plan.ActivationRule(c.Key).ByOwnOrganisation() {
				cat = c.Key
			}
		}
		in := testkit.NewIncident(t, env, cat)
		testkit.Activate(t, env, in)
		start := env.Clock.Now()
		deliver()
		first := len(gw.Texts())
		if _, err := env.App.Notices.RollCall().Confirm(ctx, env.Users["chief"], in.ID); err != nil {
			t.Fatal(err)
		}
		other := testkit.NewIncident(t, env, cat)
		if _, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], other.ID, "扩大"); err != nil {
			t.Fatal(err)
		}

		env.Clock.Set(start.Add(9 * time.Minute))
		if r := tick("a"); !r.Leader || r.Taken != 0 {
			t.Fatalf("before 10 minutes: %+v", r)
		}
		env.Clock.Set(start.Add(10 * time.Minute))
		if r := tick("b"); r.Leader {
			t.Fatalf("a second node took the lease: %+v", r)
		}
		if r := tick("a"); r.Taken != 1 || r.Sent != 2 { // deputy and xingjing: one escalation, two SMS
			t.Fatalf("at 10 minutes: %+v", r)
		}
		if r := tick("a"); r.Taken != 0 {
			t.Fatalf("repeated: %+v", r)
		}
		deliver()
		var again []string
		for _, m := range gw.Texts()[first:] {
			if strings.Contains(m, "QS-2026-001") {
				again = append(again, m)
			}
		}
		if len(again) != 2 || strings.Contains(strings.Join(again, "\n"), phones["chief"]) {
			t.Fatalf("resent: %q", again)
		}
		for _, m := range again {
			if !strings.Contains(m, "尚未确认到位") || !testkit.RollCallLink.MatchString(m) {
				t.Fatalf("resend without its link: %q", m)
			}
		}
		// The resent link is his first one, and confirms.
		var tok string
		for _, m := range again {
			if strings.HasPrefix(m, phones["xingjing"]+":") {
				tok = testkit.RollCallLink.FindStringSubmatch(m)[1]
			}
		}
		if r, err := env.App.Notices.RollCall().ConfirmByToken(ctx, tok); err != nil || r.UserID != env.Users["xingjing"].ID {
			t.Fatalf("%+v %v", r, err)
		}

		env.Clock.Set(start.Add(15 * time.Minute))
		if r := tick("a"); r.Taken != 1 { // the other incident's activation reminded
			t.Fatalf("at 15 minutes: %+v", r)
		}
		env.Clock.Set(start.Add(20 * time.Minute))
		if r := tick("a"); r.Taken != 1 || r.Sent != 1 { // the duty leader told
			t.Fatalf("at 20 minutes: %+v", r)
		}
		env.Clock.Set(start.Add(30 * time.Minute))
		if r := tick("a"); r.Taken != 1 { // the city's deputy told
			t.Fatalf("at 30 minutes: %+v", r)
		}
		if r := tick("a"); r.Taken != 0 {
			t.Fatalf("repeated: %+v", r)
		}

		inbox := func(name, kind string) []*store.Message {
			var out []*store.Message
			env.DB.Read(ctx, func(q *store.Q) error {
				ms, _ := q.Inbox(env.Users[name].ID, 100)
				for _, m := range ms {
					if m.Kind == kind {
						out = append(out, m)
					}
				}
				return nil
			})
			return out
		}
		if ms := inbox("duty", "rollcall_missing"); len(ms) != 1 || !strings.Contains(ms[0].Body, env.Users["deputy"].DisplayName) {
			t.Fatalf("duty leader: %+v", ms)
		}
		if len(inbox("chief", "approval_reminder")) != 1 || len(inbox("citydeputy", "approval_escalated")) != 1 {
			t.Fatal("approval not reminded or not taken up")
		}

		// An overdue task: its department is told, once.
		var task *incident.Task
		env.DB.Read(ctx, func(q *store.Q) error {
			ts, _ := q.Tasks(in.ID)
			for _, x := range ts {
				if x.DueAt != nil && x.Status != incident.TaskDone && (task == nil || x.DueAt.Before(*task.DueAt)) {
					task = x
				}
			}
			return nil
		})
		if task == nil {
			t.Fatal("no task with a due time")
		}
		officer := testkit.Officer(t, env, "officer_"+task.Department, task.Department)
		env.Users[officer.Username] = officer
		env.Clock.Set(task.DueAt.Add(31 * time.Minute))
		r := tick("a")
		if r.Taken < 1 || len(inbox(officer.Username, "task_overdue")) < 1 {
			t.Fatalf("overdue: %+v", r)
		}
		if r := tick("a"); r.Taken != 0 {
			t.Fatalf("repeated: %+v", r)
		}

		var rules []string
		env.DB.Read(ctx, func(q *store.Q) error {
			es, _ := q.Timeline(in.ID, 0, 0)
			for _, e := range es {
				if e.Kind == event.KindEscalated {
					rules = append(rules, e.Data["rule"])
				}
			}
			return nil
		})
		if got := strings.Join(rules, ","); !strings.HasPrefix(got, "rollcall_resend,rollcall_missing,task_overdue") {
			t.Fatalf("timeline: %s", got)
		}
		res, err := env.DB.VerifyAudit(ctx)
		if err != nil || res.Err != nil {
			t.Fatalf("audit: %v %v", err, res.Err)
		}
	})
}
