package app_test

import (
	"strings"
	"testing"

	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// An incident keeps the plan version it was activated under; a newer version
// changes what happens to incidents activated after it is loaded.
func TestPlanVersions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		activate := func() *incidents.View {
			in := testkit.NewIncident(t, env, "network_attack")
			a, err := env.App.Incidents.RequestActivation(ctx, duty, in.ID, "r")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
				t.Fatal(err)
			}
			return testkit.View(t, env, in.ID)
		}
		old := activate()
		_, src := testkit.DefaultPlan(t)
		v2 := strings.Replace(string(src), "version: \""+env.Plan.Version+"\"", "version: \"test-2\"", 1)
		v2 = strings.Replace(v2, "通知领导小组成员到位", "通知领导小组全体成员到位（修订）", -1)
		if v2 == string(src) || !strings.Contains(v2, "test-2") {
			t.Fatal("could not make a second version of the plan")
		}
		// The same version with other content is refused; a new version is stored.
		_, _, err := env.App.Plans.InstallPlan(ctx, user.System(), "changed.yaml", []byte(strings.Replace(string(src), "通知领导小组成员到位", "改", 1)))
		if errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("same version, other content: %v", err)
		}
		row, created, err := env.App.Plans.InstallPlan(ctx, user.System(), "v2.yaml", []byte(v2))
		if err != nil || !created {
			t.Fatalf("install v2: %v %v", created, err)
		}
		// A broken plan is refused with file:line.
		_, _, err = env.App.Plans.InstallPlan(ctx, user.System(), "broken.yaml", []byte("key: x\nversion: 1\nnonsense: [\n"))
		if e := errs.As(err); e.Code != errs.Invalid || !strings.Contains(e.Args[0].(string), "broken.yaml:") {
			t.Fatalf("broken plan: %v", err)
		}

		fresh := activate()
		if fresh.Incident.PlanID != row.ID || fresh.Tasks[0].Title != "通知领导小组全体成员到位（修订）" {
			t.Fatalf("new incident runs under plan %d with task %q", fresh.Incident.PlanID, fresh.Tasks[0].Title)
		}
		again, _ := env.App.Incidents.GetIncident(ctx, duty, old.Incident.ID)
		if again.Incident.PlanID == row.ID || again.Plan.Version != env.Plan.Version || again.Tasks[0].Title != "通知领导小组成员到位" {
			t.Fatalf("old incident moved to the new plan: %d %s", again.Incident.PlanID, again.Plan.Version)
		}
	})
}
