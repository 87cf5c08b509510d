package store_test

import (
	"slices"
	"testing"
	"time"

	"yingji/internal/alertrule"
	"yingji/internal/app"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// waitChange waits (bounded) until the feed carries a change matching ok.
func waitChange(t *testing.T, f *store.Feed, mark uint64, within time.Duration, ok func(store.TimelineChange) bool) {
	t.Helper()
	deadline := time.After(within)
	for {
		cs, next, wake, lost := f.Since(mark)
		if lost {
			t.Fatal("feed lost changes")
		}
		for _, c := range cs {
			if ok(c) {
				return
			}
		}
		mark = next
		select {
		case <-wake:
		case <-deadline:
			t.Fatalf("no matching change within %s (saw %+v)", within, cs)
		}
	}
}

func newIncident(t *testing.T, env *testkit.Env) int64 {
	t.Helper()
	in := testkit.NewIncident(t, env, "network_attack")
	return in.ID
}

// TestFeedAfterCommit: a commit that adds timeline entries is on the node's
// feed at once, with its incident, organisation and newest entry; a rolled
// back one is not.
func TestFeedAfterCommit(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		id := newIncident(t, env)
		f := env.DB.Feed()
		mark := f.Mark()
		env.App.Incidents.AddNote(ctx, env.Users["duty"], id, "")
		if cs, _, _, _ := f.Since(mark); slices.ContainsFunc(cs, func(c store.TimelineChange) bool { return c.Incident != 0 }) {
			t.Fatalf("a refused note published %+v", cs)
		}
		e, err := env.App.Incidents.AddNote(ctx, env.Users["duty"], id, "已协调运营商清洗流量")
		if err != nil {
			t.Fatal(err)
		}
		cs, _, _, _ := f.Since(mark)
		cs = slices.DeleteFunc(cs, func(c store.TimelineChange) bool { return c.Incident == 0 }) // the listener's hello on PostgreSQL
		if len(cs) != 1 || cs[0].Incident != id || cs[0].Org != env.Users["duty"].OrgID || cs[0].Entry != e.ID {
			t.Fatalf("feed %+v, want incident %d entry %d", cs, id, e.ID)
		}
	})
}

// TestFeedAcrossNodes: two nodes on one PostgreSQL hear each other's commits
// through LISTEN/NOTIFY; on SQLite another process writing the file (here a
// second DB on it) is noticed by the node's slow poll as a resync.
func TestFeedAcrossNodes(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		id := newIncident(t, env)
		f := env.DB.Feed()
		other, err := store.Open(ctx, env.URL, env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		within := 3 * time.Second
		want := func(c store.TimelineChange) bool { return c.Incident == id }
		if !env.DB.Postgres() {
			within, want = 12*time.Second, func(c store.TimelineChange) bool { return c.Incident == 0 }
		}
		// On PostgreSQL the listener announces itself with a resync once
		// connected; wait for it so that the note below is not sent before.
		if env.DB.Postgres() {
			waitChange(t, f, 0, 10*time.Second, func(c store.TimelineChange) bool { return c.Incident == 0 })
		}
		mark := f.Mark()
		if _, err := app.New(other, nil).Incidents.AddNote(ctx, env.Users["duty"], id, "另一节点的记录"); err != nil {
			t.Fatal(err)
		}
		waitChange(t, f, mark, within, want)
	})
}

// TestAlertBellAcrossNodes: on PostgreSQL a node's alert bell (what the
// alert queue's stream waits on) rings when another node counts signals or
// changes an alert. SQLite has one node, whose own writes ring it
// (TestAlertStream in internal/web).
func TestAlertBellAcrossNodes(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		if !env.DB.Postgres() {
			t.Skip("one node on SQLite")
		}
		duty := env.Users["duty"]
		src, _, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "WAF", signal.FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		other, err := store.Open(ctx, env.URL, env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		there := app.New(other, nil)
		rings := func(what string, write func()) {
			t.Helper()
			ch := env.DB.AlertsChanged()
			write()
			select {
			case <-ch:
			case <-time.After(5 * time.Second):
				t.Fatalf("%s on another node did not ring this node's bell", what)
			}
		}
		listening(t, env)

		rings("counting a signal", func() {
			sig := signal.Signal{Format: signal.FormatJSON, Rule: "waf", Title: "SQL 注入", Severity: signal.High, Status: signal.Firing, At: time.Now()}
			if _, err := there.Intake.Submit(ctx, src, []signal.Signal{sig}); err != nil {
				t.Fatal(err)
			}
		})
		q, err := env.App.Alerts.List(ctx, duty, 0, alertrule.Filter{Limit: 10})
		if err != nil || len(q.Items) != 1 {
			t.Fatalf("queue: %v %+v", err, q)
		}
		rings("acknowledging an alert", func() {
			if err := there.Alerts.Ack(ctx, duty, q.Items[0].ID); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// TestUpsertAlertRings: a signal counted inside a transaction (a monitored
// site down or back up, a unit's report) rings the alert bell as ingest does.
func TestUpsertAlertRings(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		listening(t, env)
		ch := env.DB.AlertsChanged()
		if err := env.DB.Write(ctx, func(tx *store.Tx) error {
			_, _, err := tx.UpsertAlert(env.Users["duty"].OrgID, 0, &signal.Signal{Format: signal.FormatJSON, Status: signal.Resolved,
				Rule: "monitor.down", Title: "门户网站恢复访问", Severity: signal.High})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			t.Fatal("a signal counted in a transaction did not ring the alert bell")
		}
	})
}

// listening starts the node's alert bell and, on PostgreSQL, waits for its
// listener's ring once connected, so that a ring after it is not that one.
func listening(t *testing.T, env *testkit.Env) {
	t.Helper()
	first := env.DB.AlertsChanged()
	if !env.DB.Postgres() {
		return
	}
	waitChange(t, env.DB.Feed(), 0, 10*time.Second, func(c store.TimelineChange) bool { return c.Incident == 0 })
	select {
	case <-first:
	case <-time.After(5 * time.Second):
		t.Fatal("the listener did not ring once connected")
	}
}
