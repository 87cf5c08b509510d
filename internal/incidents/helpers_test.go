package incidents_test

import (
	"context"
	"os"
	"testing"
	"time"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/registry"
	"yingji/internal/report"
	"yingji/internal/service"
	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
	"yingji/internal/user"
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

// officer adds a county user with no role in department dept.
func officer(t *testing.T, env *testkit.Env, username, dept string) *user.User {
	t.Helper()
	u, err := env.Svc.CreateUser(ctx, nil, service.NewUser{Org: "青神县公安局", Department: dept, Username: username,
		DisplayName: username, Password: testkit.Password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func activate(t *testing.T, env *testkit.Env, in *incident.Incident) {
	t.Helper()
	a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "重要会议期间门户网站遭攻击")
	if err != nil {
		t.Fatal(err)
	}
	// The county's leading group decides where the plan says so (四(二)、(三));
	// elsewhere the city's 分管领导 approves.
	// (The category is read afresh: a correction may have changed it.)
	v, err := env.App.Incidents.GetIncident(ctx, env.Users["duty"], in.ID)
	if err != nil {
		t.Fatal(err)
	}
	decider := env.Users["citydeputy"]
	if env.Plan.ActivationRule(v.Incident.Category).ByOwnOrganisation() {
		decider = env.Users["chief"]
	}
	if _, err := env.App.Incidents.Decide(ctx, decider, a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := errs.As(err)
	if err == nil || e.Code != errs.Invalid || e.Field != field {
		t.Fatalf("want invalid %s, got %v", field, err)
	}
}

func unit(n int, name string) *registry.Unit {
	return &registry.Unit{Name: name, Kind: "企业", CreditCode: registry.CreditCodeFor(n), ContactName: "李四", ContactPhone: "028-38800001", ContactEmail: "sec@example.cn"}
}

// ofKind keeps the deadlines of one kind.
func ofKind(ds []report.Deadline, kind string) []report.Deadline {
	var out []report.Deadline
	for _, d := range ds {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}
