package store_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// A repeat of a signal counts on its alert; another destination is another alert.
func TestUpsertAlertCounts(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		at := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
		s := signal.Signal{Format: signal.FormatSuricata, Rule: "ET SCAN", Title: "扫描", Severity: signal.Medium, Status: signal.Firing,
			At: at, DstIP: netip.MustParseAddr("10.0.0.5"), Labels: map[string]string{"proto": "TCP"}}
		var ids []int64
		var made []bool
		for i, dst := range []string{"10.0.0.5", "10.0.0.5", "10.0.0.6"} {
			s.DstIP, s.At = netip.MustParseAddr(dst), at.Add(time.Duration(i)*time.Minute)
			err := env.DB.Write(ctx, func(tx *store.Tx) error {
				id, created, err := tx.UpsertAlert(1, 0, &s)
				ids, made = append(ids, id), append(made, created)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if ids[0] != ids[1] || ids[0] == ids[2] || !made[0] || made[1] || !made[2] {
			t.Fatalf("ids %v created %v: want the first two on one alert, the third new", ids, made)
		}
		var a *signal.Alert
		if err := env.DB.Read(ctx, func(q *store.Q) (err error) { a, err = q.Alert(ids[0]); return err }); err != nil {
			t.Fatal(err)
		}
		if a.Count != 2 || !a.FirstSeen.Equal(at) || !a.LastSeen.Equal(at.Add(time.Minute)) || a.State != signal.Open || a.Labels["proto"] != "TCP" {
			t.Fatalf("alert %+v", a)
		}
	})
}

// The handler's work list: the most severe first, the oldest among equals,
// so that a critical alert arriving behind a backlog is handled next.
func TestUnhandledWorstFirst(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		var ids []int64
		for i, sev := range []signal.Severity{signal.Low, signal.Low, signal.Medium, signal.Critical} {
			s := signal.Signal{Format: signal.FormatSuricata, Rule: "r" + string(rune('a'+i)), Title: "告警", Severity: sev, Status: signal.Firing,
				At: time.Date(2026, 11, 30, 2, i, 0, 0, time.UTC)}
			if err := env.DB.Write(ctx, func(tx *store.Tx) error {
				id, _, err := tx.UpsertAlert(1, 0, &s)
				ids = append(ids, id)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		var got []*signal.Alert
		if err := env.DB.Read(ctx, func(q *store.Q) (err error) { got, err = q.UnhandledAlerts(3); return err }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].ID != ids[3] || got[1].ID != ids[2] || got[2].ID != ids[0] {
			t.Fatalf("work list %v, want %v %v %v", alertIDs(got), ids[3], ids[2], ids[0])
		}
	})
}

func alertIDs(as []*signal.Alert) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// A linked alert's status change is listed until noted, and noted once:
// the second writer to note the same change (another node) is refused.
func TestNoteAlertStatusOnce(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		in := testkit.NewIncident(t, env, "harmful_info")
		s := signal.Signal{Format: signal.FormatAlertmanager, Rule: "SiteDown", Title: "网站无法访问", Severity: signal.High, Status: signal.Firing}
		upsert := func(st signal.Status) (id int64) {
			s.Status = st
			if err := env.DB.Write(ctx, func(tx *store.Tx) (err error) { id, _, err = tx.UpsertAlert(in.OrgID, 0, &s); return err }); err != nil {
				t.Fatal(err)
			}
			return id
		}
		changes := func() []store.AlertStatusChange {
			var cs []store.AlertStatusChange
			if err := env.DB.Read(ctx, func(q *store.Q) (err error) { cs, err = q.AlertStatusChanges(10); return err }); err != nil {
				t.Fatal(err)
			}
			return cs
		}
		id := upsert(signal.Firing)
		upsert(signal.Resolved)
		if cs := changes(); len(cs) != 0 {
			t.Fatalf("an unlinked alert is listed: %+v", cs)
		}
		if err := env.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetAlertState(id, []signal.State{signal.Open}, signal.Promoted, 0, nil, "", in.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if cs := changes(); len(cs) != 0 {
			t.Fatalf("linking notes the status it has: %+v", cs)
		}
		upsert(signal.Firing)
		cs := changes()
		if len(cs) != 1 || cs[0].AlertID != id || cs[0].IncidentID != in.ID || cs[0].Status != signal.Firing || cs[0].Noted != signal.Resolved || cs[0].IncidentStatus != in.Status {
			t.Fatalf("changes: %+v", cs)
		}
		var first, second bool
		if err := env.DB.Write(ctx, func(tx *store.Tx) (err error) {
			first, err = tx.NoteAlertStatus(id, signal.Resolved, signal.Firing)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := env.DB.Write(ctx, func(tx *store.Tx) (err error) {
			second, err = tx.NoteAlertStatus(id, signal.Resolved, signal.Firing)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !first || second || len(changes()) != 0 {
			t.Fatalf("noted %v then %v; changes %d", first, second, len(changes()))
		}
	})
}
