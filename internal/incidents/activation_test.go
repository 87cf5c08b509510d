package incidents_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// onDuty answers incidents.Duty as a roster would, and remembers the
// question.
type onDuty struct {
	leader   int64
	officers []int64
	err      error
	asked    []int64
}

func (d *onDuty) OnDuty(q *store.Q, orgID int64, at time.Time) (int64, []int64, error) {
	d.asked = append(d.asked, orgID)
	return d.leader, d.officers, d.err
}

// TestActivationAsksWhoIsOnDuty: an approved activation pages whom the
// roster names (incidents.Duty), as duty leader and officer, and the
// leading group; a roster that cannot answer fails the decision, and the
// incident, its tasks and the notices stay as they were (one transaction).
func TestActivationAsksWhoIsOnDuty(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, chief := env.Users["duty"], env.Users["chief"]
		roster := &onDuty{err: errors.New("roster unreadable")}
		inc := incidents.New(env.App.Core, roster)
		in := testkit.NewIncident(t, env, "network_attack")
		a, err := inc.RequestActivation(ctx, duty, in.ID, "影响扩大")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inc.Decide(ctx, chief, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); !errors.Is(err, roster.err) {
			t.Fatalf("decision with the roster failing: %v", err)
		}
		v, err := inc.GetIncident(ctx, duty, in.ID)
		if err != nil || v.Incident.Status != incident.ActivationRequested || len(v.Tasks) != 0 || v.Pending == nil || hasKind(inbox(t, env, "chief"), "plan_activated_duty") {
			t.Fatalf("after a failed decision: %+v %v", v, err)
		}

		roster.err, roster.leader, roster.officers = nil, env.Users["deputy"].ID, []int64{duty.ID}
		if _, err := inc.Decide(ctx, chief, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		if len(roster.asked) != 2 || roster.asked[1] != in.OrgID {
			t.Fatalf("roster asked for %v, want the incident's organisation %d", roster.asked, in.OrgID)
		}
		as := map[string]string{}
		for _, name := range []string{"chief", "deputy", "duty", "citydeputy"} {
			for _, m := range inbox(t, env, name) {
				if m.Kind == "plan_activated_duty" && m.IncidentID == in.ID {
					var body map[string]any
					if err := json.Unmarshal([]byte(m.Body), &body); err != nil {
						t.Fatal(err)
					}
					as[name], _ = body["as"].(string)
				}
			}
		}
		want := map[string]string{"chief": "leading_group", "deputy": "duty_leader", "duty": "duty_officer"}
		if len(as) != len(want) {
			t.Fatalf("paged %v, want %v", as, want)
		}
		for k, v := range want {
			if as[k] != v {
				t.Fatalf("paged %v, want %v", as, want)
			}
		}
	})
}
