package store_test

import (
	"slices"
	"testing"
	"time"
	"yingji/internal/app"

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
