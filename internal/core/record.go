package core

import (
	"encoding/json"

	"yingji/internal/store"
	"yingji/internal/user"
)

// AuditEntry fills the actor's part of an audit record. A nil actor is the
// system itself (the scheduler, a migration, the operator's CLI).
func AuditEntry(actor *user.User, action, objType string, objID, orgID int64, detail any) store.AuditEntry {
	e := store.AuditEntry{Action: action, ObjectType: objType, ObjectID: objID, OrgID: orgID, Detail: detail}
	if actor != nil {
		e.ActorID, e.Actor, e.Via = actor.ID, actor.Username, actor.Via
	}
	return e
}

// Notice queues an in-app notice to a user inside the transaction, so that
// it leaves if and only if the change commits. args are the catalogue
// arguments of the notice kind.
func Notice(tx *store.Tx, userID, incidentID int64, kind string, args map[string]any) error {
	body, _ := json.Marshal(args)
	return tx.Enqueue(&store.Message{Channel: "inapp", RecipientID: userID, IncidentID: incidentID, Kind: kind, Body: string(body)})
}
