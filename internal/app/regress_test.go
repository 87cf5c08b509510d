package app_test

import (
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

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
			got, err := env.App.Incidents.ListIncidents(ctx, env.Users["duty"], incident.Filter{Text: q})
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
		testkit.WantCode(t, err, errs.Invalid)
		if errs.As(err).Field != "title" {
			t.Fatalf("field %q", errs.As(err).Field)
		}
	})
}
