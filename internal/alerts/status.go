package alerts

import (
	"context"
	"strconv"

	"yingji/internal/core"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// StatusBatch bounds the linked alerts one tick notes: one transaction,
// each alert at most once, so a source flapping faster than the tick makes
// at most one entry a tick, and only when its status differs from what the
// timeline last said (an "up, down, up" within one tick says nothing new).
const StatusBatch = 200

// noteStatus puts on the incident's timeline each linked alert whose source
// now says something other than what the timeline last said (over, or
// firing again), with the system as actor and the audit record, and notes
// it (migration 025). The ingest changes an alert's status without reading
// it, so the change is found here, under the handler's lease (Tick); the
// note is set only if still unset (Tx.NoteAlertStatus), so two nodes never
// write one change twice. A closed incident's record is finished: the
// change is noted and audited, not put on its timeline.
func (s *Service) noteStatus(ctx context.Context) (int, error) {
	var todo []store.AlertStatusChange
	if err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		todo, err = q.AlertStatusChanges(StatusBatch)
		return err
	}); err != nil || len(todo) == 0 {
		return 0, err // the usual tick: nothing changed, no write transaction
	}
	n := 0
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		n = 0
		for _, c := range todo {
			ok, err := tx.NoteAlertStatus(c.AlertID, c.Noted, c.Status)
			if err != nil {
				return err
			}
			if !ok {
				continue // noted meanwhile
			}
			open := c.IncidentStatus != incident.Closed
			if open {
				if _, err := core.Record(tx, core.Act{IncidentID: c.IncidentID, Event: event.AlertStatusChanged{
					AlertID: strconv.FormatInt(c.AlertID, 10), Title: c.Title, Status: string(c.Status)}}); err != nil {
					return err
				}
				n++
			}
			if err := tx.Audit(core.AuditEntry(user.System(), "alert.status_noted", "alert", c.AlertID, c.OrgID, map[string]any{
				"incident_id": c.IncidentID, "status": c.Status, "was": c.Noted, "timeline": open})); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
