package consoletest

import (
	"strconv"
	"testing"
	"time"

	"yingji/internal/incidents"
	"yingji/internal/testkit"
)

// Issue 11 gap 3 in the console: an incident registered two days after
// discovery carries the 迟登记 badge and the timeline entry; the city's
// timeliness page lists its 首报.
func TestConsoleLateRegistration(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "某单位网站被植入暗链", Category: "network_attack", Level: 3,
			DiscoveredAt: env.Clock.Now().Add(-48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		on, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "门户网站遭DDoS攻击", Category: "network_attack", Level: 3,
			DiscoveredAt: env.Clock.Now().Add(-5 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		base := newServer(t, env)
		duty := loggedIn(t, base, "duty")
		duty.read("/incidents/"+strconv.FormatInt(in.ID, 10), `id="late-registration"`, "迟登记", "发现后2 天才登记，超过首报时限", "登记时已过2天", "首报")
		r := duty.get("/incidents/" + strconv.FormatInt(on.ID, 10))
		wantStatus(t, r, 200)
		if contains(r.Body, `id="late-registration"`) {
			t.Fatal("badge on an incident registered at once")
		}
		city := loggedIn(t, base, "citydeputy")
		city.read("/timeliness", in.Number, "首报", "已逾期")
	})
}
