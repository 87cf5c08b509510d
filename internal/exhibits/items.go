package exhibits

import (
	"context"
	"strconv"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/evidence"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Register is an incident's evidence and what the actor may do with it.
type Register struct {
	Incident *incident.Incident
	Items    []*evidence.Item
	CanAdd   bool
}

// ItemView is one item with its custody log.
type ItemView struct {
	Item      *evidence.Item
	Custody   []*evidence.Custody
	CanChange bool
	Email     map[int64]*evidence.EmailHeaders // .eml files: their headers
	// Custodians are who the item may be transferred to (when CanChange).
	Custodians []Person
}

// Person is a user as a choice names him.
type Person struct {
	ID   int64
	Name string
}

// mayAdd: people of the incident's own organisation who know it register
// evidence (the superior reads it).
func mayAdd(actor *user.User, in *incident.Incident) error {
	if actor.IsSystem() || actor.OrgID == in.OrgID {
		return nil
	}
	return errs.New(errs.Forbidden, "evidence.forbidden")
}

// mayChange: custody moves by the custodian, or by the incident's command.
func mayChange(actor *user.User, in *incident.Incident, it *evidence.Item) error {
	if actor.IsSystem() || actor.OrgID == in.OrgID && (actor.ID == it.CustodianID || actor.HasRole(access.CommandRoles...)) {
		return nil
	}
	return errs.New(errs.Forbidden, "evidence.forbidden_custody")
}

// itemFor loads an item of an incident the actor knows; an item of an
// incident he may not read is not found, like the incident.
func (s *Service) itemFor(q *store.Q, actor *user.User, itemID int64) (*evidence.Item, *incident.Incident, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, nil, err
	}
	it, err := q.EvidenceItem(itemID)
	if err != nil {
		return nil, nil, err
	}
	in, _, err := s.IncidentFor(q, actor, it.IncidentID)
	if err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return nil, nil, errs.New(errs.NotFound, "evidence.not_found")
		}
		return nil, nil, err
	}
	return it, in, nil
}

// Items is an incident's register.
func (s *Service) Items(ctx context.Context, actor *user.User, incidentID int64) (*Register, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var r Register
	err := s.DB.Read(ctx, func(q *store.Q) error {
		in, _, err := s.IncidentFor(q, actor, incidentID)
		if err != nil {
			return err
		}
		r.Incident, r.CanAdd = in, mayAdd(actor, in) == nil
		r.Items, err = q.EvidenceItems(in.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Register enters an item on an incident's register; the actor becomes
// its custodian.
func (s *Service) Register(ctx context.Context, actor *user.User, incidentID int64, n evidence.New) (*evidence.Item, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name, v  string
		required bool
		max      int
	}{{"description", n.Description, true, 1000}, {"place", n.Place, false, 200}, {"collected_by", n.CollectedBy, true, 100},
		{"witnesses", n.Witnesses, false, 200}, {"seal_number", n.SealNumber, false, 100}} {
		if err := core.CheckText(f.name, f.v, f.required, f.max); err != nil {
			return nil, err
		}
	}
	if err := n.Check(); err != nil {
		return nil, err
	}
	var it *evidence.Item
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := core.CheckWhen("collected_at", n.CollectedAt, tx.Now, "evidence.collected_future"); err != nil {
			return err
		}
		in, _, err := s.IncidentFor(&tx.Q, actor, incidentID)
		if err != nil {
			return err
		}
		if err := mayAdd(actor, in); err != nil {
			return err
		}
		if n.TaskID != 0 {
			if _, err := tx.Task(in.ID, n.TaskID); err != nil {
				return errs.Field("task_id", "evidence.task_not_found")
			}
		}
		it, err = s.addItem(tx, actor, in, n, "")
		return err
	})
	return it, err
}

// addItem writes a new item, its register custody row, timeline entry and
// audit record.
func (s *Service) addItem(tx *store.Tx, actor *user.User, in *incident.Incident, n evidence.New, url string) (*evidence.Item, error) {
	seq, err := tx.NextEvidenceSeq(in.ID)
	if err != nil {
		return nil, err
	}
	it := &evidence.Item{IncidentID: in.ID, OrgID: in.OrgID, Seq: seq, Number: evidence.NumberFor(in.Number, seq), Kind: n.Kind,
		Description: n.Description, Place: n.Place, CollectedAt: n.CollectedAt, CollectedBy: n.CollectedBy, Witnesses: n.Witnesses,
		SealNumber: n.SealNumber, TaskID: n.TaskID, SourceURL: url, CustodianID: actor.ID, Status: evidence.Held, CreatedBy: actor.ID}
	if err := tx.AddEvidenceItem(it); err != nil {
		return nil, err
	}
	if err := s.custody(tx, actor, in, it, &evidence.Custody{Action: evidence.Register}); err != nil {
		return nil, err
	}
	// The custody row's audit record (custody) is the act's audit.
	if _, err := core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID,
		Event: event.EvidenceRegistered{Number: it.Number, ExhibitKind: string(it.Kind), Description: it.Description}}); err != nil {
		return nil, err
	}
	return it, nil
}

// custody appends a custody row and its audit record. Every custody row,
// reading acts included, is in the hash-chained audit.
func (s *Service) custody(tx *store.Tx, actor *user.User, in *incident.Incident, it *evidence.Item, c *evidence.Custody) error {
	c.ItemID = it.ID
	c.ActorID, c.Actor = actor.ID, actor.Username
	if actor.IsSystem() {
		c.Actor = "system"
	}
	if err := tx.AddCustody(c); err != nil {
		return err
	}
	detail := map[string]any{"item": it.Number, "incident_id": in.ID, "custody_id": c.ID}
	if c.FileID != 0 {
		detail["file_id"] = c.FileID
	}
	if c.Reason != "" {
		detail["reason"] = c.Reason
	}
	if c.ToUserID != 0 {
		detail["to_user_id"] = c.ToUserID
	}
	if c.Detail != "" {
		detail["detail"] = c.Detail
	}
	return tx.Audit(core.AuditEntry(actor, "evidence."+string(c.Action), "evidence", it.ID, in.OrgID, detail))
}

// Item shows one item with its custody log; the viewing is itself logged.
func (s *Service) Item(ctx context.Context, actor *user.User, itemID int64) (*ItemView, error) {
	var v ItemView
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		it, in, err := s.itemFor(&tx.Q, actor, itemID)
		if err != nil {
			return err
		}
		if err := s.custody(tx, actor, in, it, &evidence.Custody{Action: evidence.View}); err != nil {
			return err
		}
		v.Item, v.CanChange = it, mayChange(actor, in, it) == nil
		if v.CanChange {
			users, err := tx.Users(in.OrgID)
			if err != nil {
				return err
			}
			for _, u := range users {
				if !u.Disabled && u.ID != it.CustodianID {
					v.Custodians = append(v.Custodians, Person{u.ID, u.DisplayName})
				}
			}
		}
		v.Custody, err = tx.Custody(it.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	v.Email = s.emailHeaders(ctx, v.Item)
	return &v, nil
}

// Change transfers, seals, unseals or withdraws an item.
func (s *Service) Change(ctx context.Context, actor *user.User, itemID int64, c evidence.Change) (*evidence.Item, error) {
	switch c.Action {
	case evidence.Transfer, evidence.Seal, evidence.Unseal, evidence.Withdraw:
	default:
		return nil, errs.Field("action", "evidence.bad_action", string(c.Action))
	}
	if err := core.CheckText("reason", c.Reason, c.Action == evidence.Withdraw || c.Action == evidence.Unseal, 500); err != nil {
		return nil, err
	}
	if err := core.CheckText("seal_number", c.SealNumber, false, 100); err != nil {
		return nil, err
	}
	var out *evidence.Item
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		it, in, err := s.itemFor(&tx.Q, actor, itemID)
		if err != nil {
			return err
		}
		if err := mayChange(actor, in, it); err != nil {
			return err
		}
		next, err := evidence.Allow(*it, c)
		if err != nil {
			return err
		}
		to := ""
		if c.Action == evidence.Transfer {
			u, err := tx.User(c.ToUserID)
			if err != nil || u.Disabled || u.OrgID != in.OrgID {
				return errs.Field("to_user_id", "evidence.custodian_unknown")
			}
			to = u.DisplayName
		}
		if err := tx.UpdateEvidenceItem(&next); err != nil {
			return err
		}
		detail := ""
		if c.Action == evidence.Seal {
			detail = next.SealNumber
		}
		if err := s.custody(tx, actor, in, &next, &evidence.Custody{Action: c.Action, Reason: c.Reason, ToUserID: c.ToUserID, Detail: detail}); err != nil {
			return err
		}
		out = &next
		_, err = core.Record(tx, core.Act{IncidentID: in.ID, ActorID: actor.ID,
			Event: event.EvidenceCustody{Number: it.Number, Action: string(c.Action), Reason: c.Reason, To: to, Seal: detail}})
		return err
	})
	return out, err
}

// itoa is for timeline data.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var _ = time.Second
