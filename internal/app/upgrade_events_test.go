package app_test

import (
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"yingji/internal/app"
	"yingji/internal/event"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// TestRelease1EntriesDecode: every timeline entry the first release wrote
// decodes into its typed event (none is left to read as its bare kind),
// and the event stores exactly the data the row holds, so a row written
// today through the types and a row of release 1 are the same.
func TestRelease1EntriesDecode(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, filepath.Join("..", "store", "testdata", "release-1", "yingji.db"), filepath.Join(dir, "yingji.db"))
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := app.New(db, nil)
	var chief *user.User
	if err := db.Read(ctx, func(q *store.Q) error { chief, err = q.UserByName("chief"); return err }); err != nil {
		t.Fatal(err)
	}
	list, err := a.Incidents.ListIncidents(ctx, chief, incident.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[incident.EntryKind]bool{}
	for _, in := range list {
		entries, err := a.Incidents.Timeline(ctx, chief, in.ID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			kinds[e.Kind] = true
			ev := event.Entry(e)
			if _, unknown := ev.(event.Unknown); unknown {
				t.Errorf("entry %d: kind %s has no type", e.ID, e.Kind)
				continue
			}
			if got := event.Data(ev); !(len(got) == 0 && len(e.Data) == 0) && !reflect.DeepEqual(got, e.Data) {
				t.Errorf("entry %d (%s): stores %v, the row holds %v", e.ID, e.Kind, got, e.Data)
			}
			if ev.Text(i18n.ZH) == string(e.Kind) {
				t.Errorf("entry %d (%s) reads as its kind", e.ID, e.Kind)
			}
		}
	}
	var seen []string
	for k := range kinds {
		seen = append(seen, string(k))
	}
	sort.Strings(seen)
	t.Logf("release-1 kinds: %v", seen)
	if len(seen) < 5 {
		t.Fatalf("only %d kinds in the fixture", len(seen))
	}
}
