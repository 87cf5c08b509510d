package reports_test

import (
	"context"
	"os"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/service"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

// The helpers below are copies of internal/service's test helpers of the
// same names.

func newIncident(t *testing.T, env *testkit.Env, category string) *incident.Incident {
	t.Helper()
	in, err := env.Svc.CreateIncident(ctx, env.Users["duty"], service.NewIncident{
		Title: "县政府门户网站遭受DDoS攻击", Category: category, Level: 3,
		DiscoveredAt: env.Clock.Now().Add(-10 * time.Minute), DiscoveryMethod: "网站监测告警", Description: "访问中断约20分钟",
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return in
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("want %s error, got %s: %v", code, got, err)
	}
}

func auditCount(t *testing.T, env *testkit.Env) int64 {
	t.Helper()
	res, err := env.App.AuditLog.VerifyAudit(ctx)
	if err != nil || res.Err != nil {
		t.Fatalf("verify: %v %v", err, res.Err)
	}
	return res.Records
}

func activate(t *testing.T, env *testkit.Env, in *incident.Incident) {
	t.Helper()
	a, err := env.Svc.RequestActivation(ctx, env.Users["duty"], in.ID, "重要会议期间门户网站遭攻击")
	if err != nil {
		t.Fatal(err)
	}
	// The county's leading group decides where the plan says so (四(二)、(三));
	// elsewhere the city's 分管领导 approves.
	// (The category is read afresh: a correction may have changed it.)
	v, err := env.Svc.GetIncident(ctx, env.Users["duty"], in.ID)
	if err != nil {
		t.Fatal(err)
	}
	decider := env.Users["citydeputy"]
	if env.Plan.ActivationRule(v.Incident.Category).ByOwnOrganisation() {
		decider = env.Users["chief"]
	}
	if _, err := env.Svc.Decide(ctx, decider, a.ID, service.Decision{Approve: true, Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
}
