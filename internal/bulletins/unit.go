package bulletins

import (
	"context"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/store"
	"yingji/internal/user"
)

// UnitView is what a unit's page shows: the 通报 and the unit's own row,
// nothing about other units or the incident beyond the 通报's text.
type UnitView struct {
	DocNumber, Title, Body, Actions string
	Deadline                        time.Time
	Contact, Phone, Issuer          string
	SignedAt                        time.Time
	Unit                            string
	ReceivedAt, AnsweredAt          *time.Time
	Answer                          bulletin.Answer
	Notes                           string
	Attachments                     []bulletin.Attachment
}

// check loads the row a token names; a bad signature is not found, as is
// an unknown row (nothing tells a guesser which part was wrong). A used,
// revoked or expired link is refused for writing by bulletin.MayReceive;
// reading shows the page with what the unit answered.
func (s *Service) check(q *store.Q, tok string) (*bulletin.Recipient, *bulletin.Bulletin, error) {
	notFound := errs.New(errs.NotFound, "bulletin.bad_link")
	id, sig, ok := bulletin.ParseToken(tok)
	if !ok || len(s.Key) == 0 {
		return nil, nil, notFound
	}
	r, err := q.Recipient(id)
	if errs.CodeOf(err) == errs.NotFound || (err == nil && !bulletin.Verify(s.Key, r, sig)) {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, err
	}
	b, err := q.Bulletin(r.BulletinID)
	return r, b, err
}

func view(b *bulletin.Bulletin, r *bulletin.Recipient, issuer string) *UnitView {
	v := &UnitView{DocNumber: b.DocNumber, Title: b.Title, Body: b.Body, Actions: b.Actions, Deadline: b.Deadline, Contact: b.Contact, Phone: b.Phone,
		Issuer: issuer, Unit: r.UnitName, ReceivedAt: r.ReceivedAt, AnsweredAt: r.AnsweredAt, Answer: r.Answer, Notes: r.Notes, Attachments: r.Attachments}
	if b.SignedAt != nil {
		v.SignedAt = *b.SignedAt
	}
	return v
}

// ByToken reads a unit's page. A revoked or expired link that was not
// answered gets its refusal; an answered one shows what was answered.
func (s *Service) ByToken(ctx context.Context, tok string) (*UnitView, error) {
	var v *UnitView
	err := s.DB.Read(ctx, func(q *store.Q) error {
		r, b, err := s.check(q, tok)
		if err != nil {
			return err
		}
		if r.AnsweredAt == nil {
			if err := bulletin.MayReceive(r, q.Now); err != nil {
				return err
			}
		}
		org, err := q.Org(b.OrgID)
		if err != nil {
			return err
		}
		v = view(b, r, org.Name)
		return nil
	})
	return v, err
}

// unitActor is who acts from a link: the system, via the unit's link (the
// audit record names the unit).
func unitActor() *user.User {
	u := user.System()
	u.Via = "link"
	return u
}

// checkLive is check for a change: the link must still take one
// (bulletin.MayReceive).
func (s *Service) checkLive(tx *store.Tx, tok string) (*bulletin.Recipient, *bulletin.Bulletin, error) {
	r, b, err := s.check(&tx.Q, tok)
	if err != nil {
		return nil, nil, err
	}
	if err := bulletin.MayReceive(r, tx.Now); err != nil {
		return nil, nil, err
	}
	return r, b, nil
}

// Receive records 签收 from a link; signing twice changes nothing.
func (s *Service) Receive(ctx context.Context, tok string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		r, b, err := s.checkLive(tx, tok)
		if err != nil {
			return err
		}
		ok, err := tx.ReceiveRecipient(r.ID)
		if err != nil || !ok {
			return err
		}
		actor := unitActor()
		return record(tx, actor, b, event.BulletinReceived{Bulletin: ref(b), Unit: r.UnitName}, core.AuditEntry(actor, "bulletin.receive", "bulletin_recipient", r.ID, b.OrgID,
			map[string]any{"bulletin_id": b.ID, "unit_id": r.UnitID, "unit": r.UnitName}))
	})
}

// Answer records what the unit did; it uses the link up. A second answer
// is refused (the first stands).
func (s *Service) Answer(ctx context.Context, tok string, reply bulletin.Reply) error {
	if err := reply.Check(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		r, b, err := s.checkLive(tx, tok)
		if err != nil {
			return err
		}
		ok, err := tx.AnswerRecipient(r.ID, &reply)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "bulletin.link_used")
		}
		actor := unitActor()
		hashes := make([]string, 0, len(reply.Attachments))
		for _, a := range reply.Attachments {
			hashes = append(hashes, a.SHA256)
		}
		return record(tx, actor, b, event.BulletinAnswered{Bulletin: ref(b), Unit: r.UnitName, Answer: string(reply.Answer)},
			core.AuditEntry(actor, "bulletin.answer", "bulletin_recipient", r.ID, b.OrgID,
				map[string]any{"bulletin_id": b.ID, "unit_id": r.UnitID, "unit": r.UnitName, "answer": reply.Answer, "sha256": hashes, "late": !tx.Now.Before(b.Deadline)}))
	})
}
