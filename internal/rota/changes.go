package rota

import (
	"context"
	"slices"
	"strings"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

type ChangeInput struct {
	Role       string // leader or officer
	FromUserID int64
	ToUserID   int64
	Reason     string
}

// RequestChange records a swap or override. A duty leader's own request is
// an override and takes effect at once; anyone else's waits for a duty
// leader's approval, who is notified in-app.
func (s *Service) RequestChange(ctx context.Context, actor *user.User, shiftID int64, in ChangeInput) (*duty.Change, error) {
	if in.Role != "leader" && in.Role != "officer" {
		return nil, errs.Field("role", "duty.bad_role", in.Role)
	}
	if in.ToUserID == 0 {
		return nil, errs.Field("to_user_id", "error.required")
	}
	if err := core.CheckText("reason", in.Reason, true, 1000); err != nil {
		return nil, err
	}
	var c *duty.Change
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		sh, err := s.visibleShift(&tx.Q, actor, shiftID)
		if err != nil {
			return err
		}
		if actor.OrgID != sh.OrgID || !actor.HasRole(append(access.DutyManagers, user.RoleMember)...) && !sh.Has(actor.ID) {
			return errs.New(errs.Forbidden, "duty.forbidden")
		}
		if !sh.End.After(tx.Now) {
			return errs.New(errs.Conflict, "duty.shift_over")
		}
		users, err := userMap(&tx.Q, sh.OrgID)
		if err != nil {
			return err
		}
		if err := checkPeople(users, sh.OrgID, in.ToUserID, nil); err != nil {
			return errs.Field("to_user_id", "duty.bad_person", in.ToUserID)
		}
		if in.Role == "leader" && in.FromUserID != 0 && in.FromUserID != sh.LeaderID ||
			in.Role == "officer" && in.FromUserID != 0 && !slices.Contains(sh.OfficerIDs, in.FromUserID) {
			return errs.Field("from_user_id", "duty.not_on_shift", in.FromUserID)
		}
		c = &duty.Change{ShiftID: sh.ID, Role: in.Role, FromUserID: in.FromUserID, ToUserID: in.ToUserID, Reason: strings.TrimSpace(in.Reason),
			Status: "pending", RequestedBy: actor.ID}
		override := actor.HasRole(access.DutyLeaders...)
		if override {
			now := tx.Now
			c.Status, c.DecidedBy, c.DecidedAt = "approved", actor.ID, &now
		}
		if err := tx.CreateChange(c); err != nil {
			return err
		}
		if err := tx.Audit(core.AuditEntry(actor, "shift.change_request", "shift", sh.ID, sh.OrgID, map[string]any{
			"change_id": c.ID, "role": c.Role, "from": c.FromUserID, "to": c.ToUserID, "reason": c.Reason, "status": c.Status})); err != nil {
			return err
		}
		if override {
			return applyChange(tx, actor, sh, c)
		}
		for _, u := range users {
			if u.HasRole(access.DutyLeaders...) && !u.Disabled {
				if err := core.Notice(tx, u.ID, 0, "duty_change_requested", map[string]any{"change_id": c.ID, "shift_id": sh.ID,
					"start": sh.Start.UnixMilli(), "reason": c.Reason}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return c, err
}

func applyChange(tx *store.Tx, actor *user.User, sh *duty.Shift, c *duty.Change) error {
	if c.Role == "leader" {
		sh.LeaderID = c.ToUserID
	} else {
		var out []int64
		for _, id := range sh.OfficerIDs {
			if id != c.FromUserID && id != c.ToUserID {
				out = append(out, id)
			}
		}
		sh.OfficerIDs = append(out, c.ToUserID)
	}
	if err := tx.UpdateShift(sh); err != nil {
		return err
	}
	if err := tx.Audit(core.AuditEntry(actor, "shift.change_apply", "shift", sh.ID, sh.OrgID, map[string]any{
		"change_id": c.ID, "leader_id": sh.LeaderID, "officer_ids": sh.OfficerIDs})); err != nil {
		return err
	}
	return core.Notice(tx, c.ToUserID, 0, "duty_assigned", map[string]any{"shift_id": sh.ID, "start": sh.Start.UnixMilli(), "end": sh.End.UnixMilli(), "role": c.Role})
}

// DecideChange approves or rejects a pending swap; only a duty leader of the
// shift's organisation may, and not their own request.
func (s *Service) DecideChange(ctx context.Context, actor *user.User, id int64, approve bool) (*duty.Change, error) {
	var c *duty.Change
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.Change(id); err != nil {
			return err
		}
		sh, err := s.visibleShift(&tx.Q, actor, c.ShiftID)
		if err != nil {
			return errs.New(errs.NotFound, "duty.change_not_found")
		}
		if !actor.HasRole(access.DutyLeaders...) || actor.OrgID != sh.OrgID {
			return errs.New(errs.Forbidden, "duty.not_duty_leader")
		}
		if c.RequestedBy == actor.ID {
			return errs.New(errs.Forbidden, "error.own_request")
		}
		c.Status, c.DecidedBy = "rejected", actor.ID
		if approve {
			c.Status = "approved"
		}
		ok, err := tx.DecideChange(c)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "duty.change_decided")
		}
		now := tx.Now
		c.DecidedAt = &now
		if err := tx.Audit(core.AuditEntry(actor, "shift.change_decide", "shift", sh.ID, sh.OrgID, map[string]any{"change_id": c.ID, "decision": c.Status})); err != nil {
			return err
		}
		if err := core.Notice(tx, c.RequestedBy, 0, "duty_change_decided", map[string]any{"change_id": c.ID, "decision": c.Status}); err != nil {
			return err
		}
		if approve {
			return applyChange(tx, actor, sh, c)
		}
		return nil
	})
	return c, err
}

// HandOver records the handover (交接班) from a shift to the next one:
// notes and the open items carried over. The giver serves on the shift; the
// receiving shift's people are notified and one of them confirms.
