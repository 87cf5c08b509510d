package rota

import (
	"context"
	"strings"

	"yingji/internal/core"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

func (s *Service) HandOver(ctx context.Context, actor *user.User, fromShiftID int64, notes string, openItems []string) (*duty.Handover, error) {
	notes = strings.TrimSpace(notes)
	if err := core.CheckText("notes", notes, true, 10000); err != nil {
		return nil, err
	}
	var items []string
	for _, it := range openItems {
		if it = strings.TrimSpace(it); it != "" {
			if err := core.CheckText("open_items", it, false, 1000); err != nil {
				return nil, err
			}
			items = append(items, it)
		}
	}
	if len(items) > 100 {
		return nil, errs.Field("open_items", "error.too_long", 100)
	}
	var h *duty.Handover
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		from, err := s.visibleShift(&tx.Q, actor, fromShiftID)
		if err != nil {
			return err
		}
		to, err := tx.NextShift(from.OrgID, from.End)
		if err != nil {
			return err
		}
		if to == nil {
			return errs.New(errs.Conflict, "duty.no_next_shift")
		}
		if !duty.CanHandOver(from, to, actor.ID) {
			return errs.New(errs.Forbidden, "duty.not_on_shift_giver")
		}
		h = &duty.Handover{OrgID: from.OrgID, FromShiftID: from.ID, ToShiftID: to.ID, GivenBy: actor.ID, Notes: notes, OpenItems: items}
		if err := tx.CreateHandover(h); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.New(errs.Conflict, "duty.handover_exists")
			}
			return err
		}
		if err := tx.Audit(core.AuditEntry(actor, "handover.create", "handover", h.ID, h.OrgID, map[string]any{
			"from_shift": from.ID, "to_shift": to.ID, "notes": notes, "open_items": items})); err != nil {
			return err
		}
		for _, id := range append([]int64{to.LeaderID}, to.OfficerIDs...) {
			if id != 0 {
				if err := core.Notice(tx, id, 0, "duty_handover", map[string]any{"handover_id": h.ID, "open_items": len(items)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return h, err
}

// ConfirmHandover is the receiver's confirmation.
func (s *Service) ConfirmHandover(ctx context.Context, actor *user.User, id int64) (*duty.Handover, error) {
	var h *duty.Handover
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if h, err = tx.Handover(id); err != nil {
			return err
		}
		to, err := s.visibleShift(&tx.Q, actor, h.ToShiftID)
		if err != nil {
			return errs.New(errs.NotFound, "duty.handover_not_found")
		}
		if !duty.CanReceive(to, actor.ID) {
			return errs.New(errs.Forbidden, "duty.not_receiver")
		}
		ok, err := tx.ConfirmHandover(id, actor.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "duty.handover_confirmed")
		}
		now := tx.Now
		h.ConfirmedBy, h.ConfirmedAt = actor.ID, &now
		if err := tx.Audit(core.AuditEntry(actor, "handover.confirm", "handover", id, h.OrgID, nil)); err != nil {
			return err
		}
		return core.Notice(tx, h.GivenBy, 0, "duty_handover_confirmed", map[string]any{"handover_id": id, "by": actor.DisplayName})
	})
	return h, err
}

// Handovers lists the organisation's recent handovers.
func (s *Service) Handovers(ctx context.Context, actor *user.User, org int64) ([]*duty.Handover, error) {
	var out []*duty.Handover
	err := s.DB.Read(ctx, func(q *store.Q) error {
		orgID, err := s.dutyOrg(q, actor, org)
		if err != nil {
			return err
		}
		out, err = q.Handovers(orgID, 50)
		return err
	})
	return out, err
}
