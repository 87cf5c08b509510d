package consoletest

import (
	"net/url"
	"testing"
	"time"

	"yingji/internal/duty"
	"yingji/internal/rota"
	"yingji/internal/testkit"
)

// Every form the duty and base database pages added refuses a forged or
// missing CSRF token with 403, and writes nothing.
func TestDutyFormsNeedCSRF(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		u, loc := env.Users, env.Plan.Location
		sh, err := env.App.Rota.CreateShift(ctx, u["chief"], rota.ShiftInput{Kind: "24h", Start: time.Date(2026, 11, 28, 8, 0, 0, 0, loc),
			End: time.Date(2026, 11, 29, 8, 0, 0, 0, loc), LeaderID: u["chief"].ID, OfficerIDs: []int64{u["duty"].ID}})
		if err != nil {
			t.Fatal(err)
		}
		e, _, err := env.App.Rota.AddLog(ctx, u["duty"], rota.LogInput{LogFields: duty.LogFields{At: time.Date(2026, 11, 28, 8, 30, 0, 0, loc), What: "来电"}})
		if err != nil {
			t.Fatal(err)
		}
		base := newServer(t, env)
		forms := map[string]url.Values{
			"/duty/log":                               {"at": {"2026-11-28T08:40"}, "what": {"伪造"}},
			"/duty/log/" + itoa(e.ID) + "/incident":   {"category": {"network_attack"}, "level": {"4"}, "title": {"伪造"}},
			"/duty/rotations":                         {"kind": {"24h"}, "first": {"2026-12-01"}, "days": {"2"}, "leaders": {itoa(u["chief"].ID)}, "officers": {itoa(u["duty"].ID)}},
			"/duty/shifts":                            {"kind": {"special"}, "starts_at": {"2026-12-05T08:00"}, "ends_at": {"2026-12-05T10:00"}},
			"/duty/shifts/" + itoa(sh.ID) + "/delete": {},
			"/duty/changes":                           {"shift_id": {itoa(sh.ID)}, "role": {"officer"}, "to_user_id": {itoa(u["xingjing"].ID)}, "reason": {"伪造"}},
			"/duty/periods":                           {"name": {"伪造"}, "starts_at": {"2026-12-01T00:00"}, "ends_at": {"2026-12-02T00:00"}},
			"/registry/units":                         {"name": {"伪造"}, "kind": {"企业"}},
		}
		chief := loggedIn(t, base, "chief")
		postForged(t, env, forms, func(string) *browser { return chief })
	})
}
