package core_test

import (
	"context"
	"reflect"
	"testing"

	"yingji/internal/core"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// TestRecordWritesEntryAndAudit: an act recorded puts its typed event on
// the timeline (kind, the event's data, the ids) and its audit record in
// the same transaction; without an audit record only the entry is written.
func TestRecordWritesEntryAndAudit(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		in := testkit.NewIncident(t, env, "network_attack")
		duty := env.Users["duty"]
		before := testkit.AuditCount(t, env)
		var got *incident.Entry
		err := env.DB.Write(ctx, func(tx *store.Tx) (err error) {
			got, err = core.Record(tx, core.Act{IncidentID: in.ID, ActorID: duty.ID, TaskID: 0,
				Event: event.Note{Body: "已电话通知", Internal: true},
				Audit: core.Audited(duty, "incident.note", "incident", in.ID, in.OrgID, map[string]any{"text": "已电话通知", "internal": true})})
			if err != nil {
				return err
			}
			_, err = core.Record(tx, core.Act{IncidentID: in.ID, Event: event.TasksCreated{Count: "2", Plan: "预案 v1"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := testkit.AuditCount(t, env); n != before+1 {
			t.Fatalf("audit records %d, want %d", n, before+1)
		}
		var es []*incident.Entry
		env.DB.Read(ctx, func(q *store.Q) (err error) { es, err = q.Timeline(in.ID, got.ID-1, 0); return err })
		if len(es) != 2 {
			t.Fatalf("%d entries", len(es))
		}
		if e := es[0]; e.ID != got.ID || e.Kind != incident.EntryNote || e.ActorID != duty.ID || !e.InternalNote() ||
			!reflect.DeepEqual(e.Data, map[string]string{"text": "已电话通知", "internal": "true"}) {
			t.Fatalf("note entry %+v", e)
		}
		if e := es[1]; e.Kind != incident.EntryTasksCreated || e.ActorID != 0 || e.Data["count"] != "2" {
			t.Fatalf("tasks entry %+v", e)
		}
		if ev, ok := event.Entry(es[0]).(event.Note); !ok || ev.Body != "已电话通知" || !ev.Internal {
			t.Fatalf("decoded %#v", event.Entry(es[0]))
		}
	})
}
