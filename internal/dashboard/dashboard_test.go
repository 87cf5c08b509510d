package dashboard_test

import (
	"context"
	"os"
	"testing"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

// The command post and the inbox follow an incident from registration to
// activation: the pending approval is in the decider's inbox and nobody
// else's, the open incident is counted by level, once active its next report
// deadline shows, and the live-update mark moves with the timeline. Only the
// administrators get the administrator's overview.
func TestCommandPostFollowsAnIncident(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		dash := env.App.Dashboard
		in := testkit.NewIncident(t, env, "network_attack")
		mark, changed, err := dash.Changes(ctx, duty, 0, 0)
		if err != nil || !changed || mark == 0 {
			t.Fatalf("changes since 0: %d %v %v", mark, changed, err)
		}
		if again, changed, err := dash.Changes(ctx, duty, 0, mark); err != nil || changed || again != mark {
			t.Fatalf("changes since the mark, before any: %d %v %v", again, changed, err)
		}
		a, err := env.App.Incidents.RequestActivation(ctx, duty, in.ID, "重要会议期间门户网站遭攻击")
		if err != nil {
			t.Fatal(err)
		}
		if after, changed, err := dash.Changes(ctx, duty, 0, mark); err != nil || !changed || after == mark {
			t.Fatalf("changes after the request: %d %v %v", after, changed, err)
		}
		decider := env.Users["citydeputy"]
		if env.Plan.ActivationRule(in.Category).ByOwnOrganisation() {
			decider = env.Users["chief"]
		}
		box, err := dash.Inbox(ctx, decider)
		if err != nil || len(box) != 1 || box[0].Approval.ID != a.ID || box[0].Incident.ID != in.ID || box[0].Requester != duty.DisplayName {
			t.Fatalf("decider's inbox: %+v %v", box, err)
		}
		if box, err := dash.Inbox(ctx, duty); err != nil || len(box) != 0 {
			t.Fatalf("requester's inbox: %+v %v", box, err)
		}
		d, err := dash.Dashboard(ctx, duty)
		if err != nil || d.Total != 1 || len(d.Incidents) != 1 || d.Incidents[0].ID != in.ID || d.ByLevel[in.Level] != 1 {
			t.Fatalf("command post before activation: %+v %v", d, err)
		}
		if _, err := env.App.Incidents.Decide(ctx, decider, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		d, err = dash.Dashboard(ctx, duty)
		if err != nil || d.Total != 1 || d.Incidents[0].Status != incident.Active {
			t.Fatalf("command post after activation: %+v %v", d, err)
		}
		if di := d.Incidents[0]; di.Next == nil || !di.Next.Due.After(d.Now) || d.Next != di || di.Tasks.Open == 0 {
			t.Fatalf("next deadline and work: %+v %+v", di, d.Next)
		}
		if box, err := dash.Inbox(ctx, decider); err != nil || len(box) != 0 {
			t.Fatalf("decided, still in the inbox: %+v %v", box, err)
		}
		_, err = dash.AdminOverview(ctx, duty)
		if errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("duty officer's admin overview: %v", err)
		}
		if ov, err := dash.AdminOverview(ctx, env.Users["admin"]); err != nil || len(ov.Orgs) == 0 {
			t.Fatalf("admin overview: %+v %v", ov, err)
		}
	})
}
