package core

import (
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// An Act is one thing done in an incident: the typed event the timeline
// shows, and the audit record of the same act where it is audited.
type Act struct {
	IncidentID int64
	ActorID    int64 // who acted; 0 for the system (the audit record names it)
	TaskID     int64 // the task the entry is about, if any
	ApprovalID int64 // the approval the entry is about, if any
	Event      event.Event
	// Audit is the act's audit record (Audited builds one); nil where the
	// act's audit record is written apart (it carries more than this act)
	// or the act is not audited.
	Audit *store.AuditEntry
}

// Record writes an act inside the transaction: the timeline entry with the
// live feed's change marker, then its audit record, so that no writer can
// put one on the record without the other. It answers the entry written.
func Record(tx *store.Tx, a Act) (*incident.Entry, error) {
	e := &incident.Entry{IncidentID: a.IncidentID, ActorID: a.ActorID, Kind: a.Event.Kind(),
		TaskID: a.TaskID, ApprovalID: a.ApprovalID, Data: event.Data(a.Event)}
	if err := tx.AddEntry(e); err != nil {
		return nil, err
	}
	if a.Audit != nil {
		if err := tx.Audit(*a.Audit); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Audited is AuditEntry for an Act.
func Audited(actor *user.User, action, objType string, objID, orgID int64, detail any) *store.AuditEntry {
	e := AuditEntry(actor, action, objType, objID, orgID, detail)
	return &e
}
