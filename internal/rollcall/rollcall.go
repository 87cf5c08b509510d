// Package rollcall is the roll-call at activation (通知领导小组成员到位):
// everyone paged at activation (the duty leader and officers on duty, 组长,
// 副组长 and the member departments' leaders) gets a roll-call row with his
// notice, in the activating transaction, and confirms 已到位 from the
// console or from a signed link in the message, which needs no login, is
// bound to him and that notice, expires, and works once.
package rollcall

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/linktoken"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Kind is the notice kind that pages a person at activation.
const Kind = "plan_activated_duty"

// Valid is how long a link works.
const Valid = 24 * time.Hour

// Page enqueues the activation notice to one person and opens his
// roll-call, in the activating transaction.
func Page(tx *store.Tx, in *incident.Incident, userID int64, role string, args map[string]any) error {
	body, _ := json.Marshal(args)
	m := &store.Message{Channel: "inapp", RecipientID: userID, IncidentID: in.ID, Kind: Kind, Body: string(body)}
	if err := tx.Enqueue(m); err != nil {
		return err
	}
	return tx.OpenRollCall(&store.RollCall{IncidentID: in.ID, UserID: userID, OutboxID: m.ID, Role: role, ExpiresAt: tx.Now.Add(Valid)})
}

// Token is the link's credential (internal/linktoken): the row's id and
// an HMAC over the id, the person, the notice and the expiry, so that it
// names one person's one roll-call and dies with it.
func Token(key []byte, r *store.RollCall) string {
	return linktoken.Make(key, "rollcall", r.ID, r.UserID, r.OutboxID, r.ExpiresAt.UnixMilli())
}

func valid(key []byte, r *store.RollCall, sig string) bool {
	return linktoken.Check(key, sig, "rollcall", r.ID, r.UserID, r.OutboxID, r.ExpiresAt.UnixMilli())
}

// Service is the roll-call use cases. Key signs links; without it there are
// no links and people confirm in the console.
type Service struct {
	DB  *store.DB
	Key []byte
}

// LinkPath is the path of a person's link ("" without a key).
func LinkPath(key []byte, r *store.RollCall) string {
	if len(key) == 0 {
		return ""
	}
	return "/r/" + Token(key, r)
}

// ByToken loads the roll-call a link names, refusing a bad signature or an
// expired link as not found (nothing tells a guesser which part was wrong).
func (s *Service) ByToken(ctx context.Context, tok string) (*store.RollCall, *incident.Incident, error) {
	var r *store.RollCall
	var in *incident.Incident
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		r, in, err = s.check(q, tok)
		return err
	})
	return r, in, err
}

func (s *Service) check(q *store.Q, tok string) (*store.RollCall, *incident.Incident, error) {
	notFound := errs.New(errs.NotFound, "rollcall.bad_link")
	id, sig, ok := linktoken.Parse(tok)
	if !ok || len(s.Key) == 0 {
		return nil, nil, notFound
	}
	r, err := q.RollCall(id)
	if errs.CodeOf(err) == errs.NotFound || (err == nil && !valid(s.Key, r, sig)) {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, err
	}
	if r.ConfirmedAt == nil && !q.Now.Before(r.ExpiresAt) {
		return nil, nil, errs.New(errs.NotFound, "rollcall.expired")
	}
	in, err := q.Incident(r.IncidentID)
	return r, in, err
}

// ConfirmByToken records 已到位 from a link; a second use changes nothing
// and returns the first confirmation.
func (s *Service) ConfirmByToken(ctx context.Context, tok string) (*store.RollCall, error) {
	var r *store.RollCall
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var in *incident.Incident
		var err error
		if r, in, err = s.check(&tx.Q, tok); err != nil {
			return err
		}
		u, err := tx.User(r.UserID)
		if err != nil {
			return err
		}
		u.Via = "link"
		return confirm(tx, u, in, r, "link")
	})
	return r, err
}

// Confirm records the actor's 已到位 for an incident from the console.
func (s *Service) Confirm(ctx context.Context, actor *user.User, incidentID int64) (*store.RollCall, error) {
	var mine *store.RollCall
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		rs, err := tx.RollCalls(incidentID)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.UserID == actor.ID {
				mine = r
			}
		}
		if mine == nil {
			// Not paged for it: as for any incident he has no part in.
			return errs.New(errs.NotFound, "rollcall.not_found")
		}
		in, err := tx.Incident(incidentID)
		if err != nil {
			return err
		}
		return confirm(tx, actor, in, mine, "console")
	})
	return mine, err
}

func confirm(tx *store.Tx, u *user.User, in *incident.Incident, r *store.RollCall, via string) error {
	ok, err := tx.ConfirmRollCall(r.ID, via)
	if err != nil || !ok {
		return err // confirmed before: the first time stands
	}
	now := tx.Now
	r.ConfirmedAt, r.Via = &now, via
	if _, err := core.Record(tx, core.Act{IncidentID: in.ID, ActorID: u.ID, Event: event.RollCallConfirmed{Name: u.DisplayName, Via: via},
		Audit: &store.AuditEntry{ActorID: u.ID, Actor: u.Username, Via: u.Via, Action: "rollcall.confirm",
			ObjectType: "roll_call", ObjectID: r.ID, OrgID: in.OrgID, Detail: map[string]any{"incident": in.Number, "via": via}}}); err != nil {
		return err
	}
	return completeTask(tx, u, in)
}

// TaskKey is the plan's task the roll-call is: 通知领导小组成员到位, the
// first task of every category's activation phase.
const TaskKey = "notify_group"

// completeTask marks the roll-call's task done when the confirmation just
// recorded was the last one missing, in the same transaction, so that the
// task never shows open with everyone in place (nor done with one missing).
// The commander may still close it by hand with a reason, as any task.
func completeTask(tx *store.Tx, u *user.User, in *incident.Incident) error {
	rs, err := tx.RollCalls(in.ID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.ConfirmedAt == nil {
			return nil
		}
	}
	ts, err := tx.Tasks(in.ID)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.TemplateKey != TaskKey || t.Status.Closed() || !incident.CanMoveTask(t.Status, incident.TaskDone) {
			continue
		}
		from := t.Status
		t.Status = incident.TaskDone
		if err := tx.UpdateTask(t); err != nil {
			return err
		}
		_, err := core.Record(tx, core.Act{IncidentID: in.ID, ActorID: u.ID, TaskID: t.ID,
			Event: event.RollCallComplete{Title: t.Title, Total: strconv.Itoa(len(rs)), From: string(from), To: string(t.Status)},
			Audit: &store.AuditEntry{ActorID: u.ID, Actor: u.Username, Via: u.Via, Action: "task.rollcall_done",
				ObjectType: "task", ObjectID: t.ID, OrgID: in.OrgID, Detail: map[string]any{"incident_id": in.ID, "confirmed": len(rs)}}})
		return err
	}
	return nil
}

// Summary is a roll-call for a task's page: who confirmed and when, who
// has not.
type Summary struct {
	Rows      []*store.RollCall
	Confirmed int
	Missing   []*store.RollCall
}

// Summarise counts a roll-call.
func Summarise(rs []*store.RollCall) *Summary {
	s := &Summary{Rows: rs}
	for _, r := range rs {
		if r.ConfirmedAt != nil {
			s.Confirmed++
		} else {
			s.Missing = append(s.Missing, r)
		}
	}
	return s
}

// List returns an incident's roll-call; mayKnow is the caller's
// need-to-know check of the incident, run first.
func (s *Service) List(ctx context.Context, incidentID int64, mayKnow func() error) ([]*store.RollCall, error) {
	if err := mayKnow(); err != nil {
		return nil, err
	}
	var out []*store.RollCall
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		out, err = q.RollCalls(incidentID)
		return err
	})
	return out, err
}

// Row is one person's roll-call on one incident (the store defines it).
type Row = store.RollCall

// KindResend is the roll-call paged again, by SMS only, to one who has not
// confirmed (escalation, issue 10). Its link is his first one: same row,
// same expiry.
const KindResend = "rollcall_resend"

type resendBody struct {
	Number    string `json:"number"`
	Title     string `json:"title"`
	RollCall  int64  `json:"roll_call_id"`
	UserID    int64  `json:"user_id"`
	OutboxID  int64  `json:"outbox_id"`
	ExpiresMs int64  `json:"expires_ms"`
}

// ResendBody is a resend notice's body: the row whose link it carries.
func ResendBody(r *store.RollCall, number, title string) string {
	b, _ := json.Marshal(resendBody{number, title, r.ID, r.UserID, r.OutboxID, r.ExpiresAt.UnixMilli()})
	return string(b)
}

// FromResend reads the row back from a resend's body; nil when it is not
// one.
func FromResend(body string) *store.RollCall {
	var b resendBody
	if json.Unmarshal([]byte(body), &b) != nil || b.RollCall == 0 {
		return nil
	}
	return &store.RollCall{ID: b.RollCall, UserID: b.UserID, OutboxID: b.OutboxID, ExpiresAt: time.UnixMilli(b.ExpiresMs)}
}
