package alerts_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"yingji/internal/alerts"
	"yingji/internal/app"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// TestUpgradeLeavesLinkedAlertsQuiet: a database from before migration 025
// holds alerts linked to incidents whose sources have since said more (one
// is over now). The upgrade takes each linked alert's status as what its
// timeline last said, so the first tick after it writes nothing; a change
// after the upgrade reaches the timeline as usual.
func TestUpgradeLeavesLinkedAlertsQuiet(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		world(t, env)
		duty := env.Users["duty"]
		site := testkit.LandAlert(t, env, down(signal.Firing))
		scan := testkit.LandAlert(t, env, signal.Signal{Rule: "ET SCAN", Title: "端口扫描", Severity: signal.Low})
		loose := testkit.LandAlert(t, env, signal.Signal{Rule: "ET POLICY", Title: "可疑下载", Severity: signal.Low})
		in, err := env.App.Alerts.Promote(ctx, duty, site, alerts.Promotion{Category: "network_attack", Level: 4})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Alerts.Attach(ctx, duty, scan, in.ID); err != nil {
			t.Fatal(err)
		}
		testkit.LandAlert(t, env, down(signal.Resolved)) // said before the upgrade, never on the timeline

		// The database as 024 left it: no column, no index, no version row.
		env = reopened(t, env, `DROP INDEX alerts_linked`, `ALTER TABLE alerts DROP COLUMN noted_status`,
			`DELETE FROM schema_migrations WHERE version = 25`)
		if res := tick(t, env); res.Noted != 0 || len(statusEntries(t, env, in.ID)) != 0 {
			t.Fatalf("first tick after the upgrade: %+v, entries %d", res, len(statusEntries(t, env, in.ID)))
		}
		if v := get(t, env, loose); v.Alert.IncidentID != 0 {
			t.Fatalf("unlinked alert: %+v", v.Alert)
		}

		testkit.LandAlert(t, env, down(signal.Firing))
		if res := tick(t, env); res.Noted != 1 {
			t.Fatalf("firing again after the upgrade: %+v", res)
		}
		if es := statusEntries(t, env, in.ID); len(es) != 1 || es[0].Data["status"] != "firing" {
			t.Fatalf("entries: %+v", es)
		}
	})
}

// reopened runs stmts on env's database with a connection of its own, then
// opens it again with the current code (which migrates it) and returns the
// Env over that. The first store stays open until the test ends.
func reopened(t *testing.T, env *testkit.Env, stmts ...string) *testkit.Env {
	t.Helper()
	driver, dsn := "pgx", env.URL
	if env.URL == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(env.Dir, "yingji.db")
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db, err := store.Open(ctx, env.URL, env.Dir)
	if err != nil {
		t.Fatalf("open and migrate: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = env.Clock.Now
	next := *env
	next.DB, next.App = db, app.New(db, nil)
	return &next
}
