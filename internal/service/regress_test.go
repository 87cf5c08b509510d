package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// Verifying the chain while others write must never report a broken chain:
// the head and the records are read in one snapshot.
func TestVerifyWhileWriting(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := newIncident(t, env, "network_attack")
		c, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		defer cancel()
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for c.Err() == nil {
					env.App.Incidents.AddNote(ctx, env.Users["duty"], in.ID, "续报情况")
				}
			}()
		}
		for c.Err() == nil {
			res, err := env.Svc.VerifyAudit(ctx)
			if err != nil || res.Err != nil {
				cancel()
				wg.Wait()
				t.Fatalf("intact chain reported broken under concurrent writes: %v %v", err, res.Err)
			}
		}
		wg.Wait()
	})
}

// Search is a case-insensitive substring match with the user's % and _
// taken literally, the same on both databases.
func TestSearchSameOnBoth(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		for _, title := range []string{"门户网站遭受DDoS攻击", "发现web_shell后门", "webXshell 误报", "100%丢包"} {
			if _, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: title, Category: "network_attack", Level: 4,
				DiscoveredAt: env.Clock.Now().Add(-time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]int{"ddos": 1, "DDOS": 1, "web_shell": 1, "100%": 1, "%": 1, "_": 1, "qs-2026": 4, "门户": 1} {
			got, err := env.App.Incidents.ListIncidents(ctx, env.Users["duty"], store.IncidentFilter{Text: q})
			if err != nil || len(got) != want {
				t.Errorf("search %q: %d hits, want %d (%v)", q, len(got), want, err)
			}
		}
	})
}

// NUL bytes are refused with the field named on both databases (PostgreSQL
// cannot store them; it must not become a 500).
func TestNULRefused(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		_, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "a\x00b", Category: "network_attack", Level: 4,
			DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
		wantCode(t, err, errs.Invalid)
		if errs.As(err).Field != "title" {
			t.Fatalf("field %q", errs.As(err).Field)
		}
	})
}

// A role that no plan and no part of the software knows is refused.
func TestUnknownRoleRefused(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	_, err := env.Svc.CreateUser(ctx, nil, service.NewUser{Org: "青神县公安局", Username: "typo", DisplayName: "x",
		Roles: []string{"duty_oficer"}, Password: testkit.Password})
	wantCode(t, err, errs.Invalid)
	u, err := env.Svc.CreateUser(ctx, nil, service.NewUser{Org: "眉山市公安局", Username: "ok2", DisplayName: "x",
		Roles: []string{" city_deputy"}, Password: testkit.Password})
	if err != nil || u.Roles[0] != "city_deputy" {
		t.Fatalf("trimmed plan role: %v %v", u, err)
	}
}
