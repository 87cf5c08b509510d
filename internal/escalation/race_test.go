package escalation_test

import (
	"testing"
	"time"

	"yingji/internal/escalation"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

// An approval decided after the tick read it as pending, but before the
// tick wrote its reminder, is not reminded: the write checks again.
func TestDecidedSinceReadNotReminded(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		cat := ""
		for _, c := range env.Plan.Categories {
			if env.Plan.ActivationRule(c.Key).ByOwnOrganisation() {
				cat = c.Key
			}
		}
		in := testkit.NewIncident(t, env, cat)
		a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "扩大")
		if err != nil {
			t.Fatal(err)
		}
		esc := escalation.New(env.App.Core, roster{env.Users["duty"].ID})
		escalation.SetAfterRead(esc, func() {
			if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
				t.Fatal(err)
			}
		})
		env.Clock.Add(env.Plan.Escalation.Approvals.RemindAfter + time.Minute)
		r, err := esc.Tick(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		if !r.Leader || r.Taken != 0 || r.Sent != 0 {
			t.Fatalf("a decided approval was reminded: %+v", r)
		}
	})
}
