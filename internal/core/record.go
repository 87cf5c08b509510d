package core

import (
	"encoding/json"
	"errors"

	"yingji/internal/errs"

	"yingji/internal/store"
	"yingji/internal/user"
)

// AuditEntry fills the actor's part of an audit record. The system actor
// (user.System) leaves it empty: the store writes actor "system" with the
// database's AuditVia, as it always has for records without a user. A nil
// actor is a programming error (the checks before refuse it, RequireActor);
// it panics rather than be written as the system.
func AuditEntry(actor *user.User, action, objType string, objID, orgID int64, detail any) store.AuditEntry {
	if actor == nil {
		panic("core.AuditEntry: nil actor for " + action + "; pass the person acting or user.System()")
	}
	e := store.AuditEntry{Action: action, ObjectType: objType, ObjectID: objID, OrgID: orgID, Detail: detail}
	if !actor.IsSystem() {
		e.ActorID, e.Actor, e.Via = actor.ID, actor.Username, actor.Via
	}
	return e
}

// errNoActor is what a use case answers a nil actor: nobody said who acts.
var errNoActor = errors.New("no actor: pass the person acting or user.System()")

// RequireActor refuses a nil actor as an internal error. A nil actor once
// meant the system and skipped the permission checks; the system is now
// user.System(), and nil is a caller that forgot to say who acts.
func RequireActor(actor *user.User) error {
	if actor == nil {
		return errs.Wrap(errNoActor, "actor")
	}
	return nil
}

// Notice queues an in-app notice to a user inside the transaction, so that
// it leaves if and only if the change commits. args are the catalogue
// arguments of the notice kind.
func Notice(tx *store.Tx, userID, incidentID int64, kind string, args map[string]any) error {
	body, _ := json.Marshal(args)
	return tx.Enqueue(&store.Message{Channel: "inapp", RecipientID: userID, IncidentID: incidentID, Kind: kind, Body: string(body)})
}
