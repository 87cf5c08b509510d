package app_test

import (
	"testing"
	"time"

	"yingji/internal/core"
	dutylog "yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/rota"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// Discovery and call times are bounded on every path that takes them
// (incident, duty log, duty log → incident): not before 2000-01-01, not more
// than five minutes ahead. 0000-01-01 and 1970 used to be stored and a
// report printed "0年1月1日". A refused time writes nothing.
func TestTimesAreBounded(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		cat := env.Plan.Categories[0].Key
		now := env.Clock.Now()
		bad := map[string]struct {
			at  time.Time
			key string
		}{
			"year 0":         {time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "error.too_early"},
			"1970":           {time.Unix(0, 0), "error.too_early"},
			"1999-12-31":     {time.Date(1999, 12, 31, 23, 59, 0, 0, env.Plan.Location), "error.too_early"},
			"ten minutes on": {now.Add(10 * time.Minute), "error.in_future"},
		}
		for name, b := range bad {
			_, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "网站被篡改", Category: cat, Level: 4, DiscoveredAt: b.at})
			if e := errs.As(err); e.Field != "discovered_at" || e.Key != b.key {
				t.Errorf("incident, %s: %v", name, err)
			}
			_, _, err = env.App.Rota.AddLog(ctx, duty, rota.LogInput{LogFields: dutylog.LogFields{At: b.at, What: "接报"}})
			if e := errs.As(err); e.Field != "at" || (e.Key != b.key && e.Key != "error.at_in_future") {
				t.Errorf("log, %s: %v", name, err)
			}
			_, _, err = env.App.Rota.AddLog(ctx, duty, rota.LogInput{LogFields: dutylog.LogFields{At: now, What: "接报"}, Incident: &incidents.NewIncident{Title: "网站被篡改", Category: cat, Level: 4, DiscoveredAt: b.at}})
			if e := errs.As(err); e.Field != "discovered_at" || e.Key != b.key {
				t.Errorf("log with incident, %s: %v", name, err)
			}
		}
		e, _, err := env.App.Rota.AddLog(ctx, duty, rota.LogInput{LogFields: dutylog.LogFields{At: now.Add(-time.Hour), What: "接报"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Rota.LogToIncident(ctx, duty, e.ID, incidents.NewIncident{Title: "网站被篡改", Category: cat, Level: 4, DiscoveredAt: time.Unix(0, 0)})
		if e := errs.As(err); e.Field != "discovered_at" || e.Key != "error.too_early" {
			t.Errorf("log → incident: %v", err)
		}
		err = env.DB.Read(ctx, func(q *store.Q) error {
			list, err := q.Incidents(incident.Filter{OrgIDs: []int64{duty.OrgID}}, nil)
			if len(list) != 0 {
				t.Errorf("%d incidents written", len(list))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The bounds themselves are allowed.
		if _, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "网站被篡改", Category: cat, Level: 4, DiscoveredAt: core.EarliestTime}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "网站被篡改", Category: cat, Level: 4, DiscoveredAt: now.Add(4 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	})
}
