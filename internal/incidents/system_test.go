package incidents_test

import (
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// A system registration (an alert rule's) bounds the discovery time as a
// person's does, but takes the registration's time instead of refusing: a
// device's clock hours ahead (or at 1970) must not set the deadlines, nor
// lose the incident.
func TestSystemRegistrationBoundsDiscoveryTime(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		for _, at := range []time.Time{env.Clock.Now().Add(6 * time.Hour), time.Unix(0, 0)} {
			var in *incident.Incident
			err := env.DB.Write(ctx, func(tx *store.Tx) error {
				var err error
				in, err = env.App.Incidents.RegisterForOrgTx(tx, duty.OrgID, incidents.NewIncident{
					Title: "首页被篡改", Category: "virus_outbreak", Level: 4, DiscoveredAt: at, ReporterID: duty.ID})
				return err
			})
			if err != nil || !in.DiscoveredAt.Equal(env.Clock.Now()) {
				t.Fatalf("discovered at %v: %v", in, err)
			}
		}
	})
}
