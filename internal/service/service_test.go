package service_test

import (
	"context"
	"os"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

func newIncident(t *testing.T, env *testkit.Env, category string) *incident.Incident {
	t.Helper()
	in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{
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
	res, err := env.Svc.VerifyAudit(ctx)
	if err != nil || res.Err != nil {
		t.Fatalf("verify: %v %v", err, res.Err)
	}
	return res.Records
}
