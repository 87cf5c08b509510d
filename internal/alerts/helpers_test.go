package alerts_test

import (
	"testing"

	"yingji/internal/demo"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

type incidentNew = incidents.NewIncident

// world adds the demo's registry (key websites) and duty roster (张值班 and
// 李局长 on duty at the test clock's start).
func world(t testing.TB, env *testkit.Env) {
	t.Helper()
	if err := demo.World(ctx, env.App, env.Plan); err != nil {
		t.Fatal(err)
	}
}
