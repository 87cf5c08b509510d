package rota

import (
	"context"
	"strings"
	"time"

	"yingji/internal/core"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

func (s *Service) DeclarePeriod(ctx context.Context, actor *user.User, p *duty.Period) error {
	p.Name, p.Level, p.Note = strings.TrimSpace(p.Name), strings.TrimSpace(p.Level), strings.TrimSpace(p.Note)
	if err := core.CheckText("name", p.Name, true, 200); err != nil {
		return err
	}
	if err := core.CheckText("level", p.Level, false, 20); err != nil {
		return err
	}
	if p.Start.IsZero() {
		return errs.Field("starts_at", "error.required")
	}
	if !p.End.After(p.Start) {
		return errs.Field("ends_at", "duty.bad_span")
	}
	if p.MinLeaders < 1 || p.MinLeaders > 10 {
		return errs.Field("min_leaders", "duty.staffing_range")
	}
	if p.MinOfficers < 1 || p.MinOfficers > 20 {
		return errs.Field("min_officers", "duty.staffing_range")
	}
	p.OrgID = core.OrgOf(actor, p.OrgID)
	p.Start, p.End = p.Start.UTC().Truncate(time.Millisecond), p.End.UTC().Truncate(time.Millisecond)
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := mayManageDuty(actor, p.OrgID); err != nil {
			return err
		}
		if err := tx.CreatePeriod(p); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "duty_period.create", "duty_period", p.ID, p.OrgID, p))
	})
}

// InPeriod reports whether a sensitive period of orgID is in force at at,
// read in q's transaction (alert priority, issue 12).
func (s *Service) InPeriod(q *store.Q, orgID int64, at time.Time) (bool, error) {
	ps, err := q.PeriodsBetween([]int64{orgID}, at, at.Add(time.Millisecond))
	return len(duty.Active(ps, at)) > 0, err
}

// DeletePeriod withdraws a sensitive period.
func (s *Service) DeletePeriod(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		p, err := tx.Period(id)
		if err != nil {
			return err
		}
		if err := mayManageDuty(actor, p.OrgID); err != nil {
			return err
		}
		if err := tx.DeletePeriod(id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "duty_period.delete", "duty_period", id, p.OrgID, p))
	})
}
