package incidents_test

import (
	"testing"
	"time"

	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// A system registration (an alert rule's) checks the discovery time as a
// person's does: a device's clock hours ahead must not set the deadlines.
func TestSystemRegistrationChecksDiscoveryTime(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		for _, at := range []time.Time{env.Clock.Now().Add(6 * time.Hour), time.Unix(0, 0)} {
			err := env.DB.Write(ctx, func(tx *store.Tx) error {
				_, err := env.App.Incidents.RegisterForOrgTx(tx, duty.OrgID, incidents.NewIncident{
					Title: "首页被篡改", Category: "virus_outbreak", Level: 4, DiscoveredAt: at, ReporterID: duty.ID})
				return err
			})
			testkit.WantField(t, err, "discovered_at")
		}
	})
}
