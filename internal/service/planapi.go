package service

import (
	"context"

	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// PlanVersion returns a stored plan, parsed: its newest version when version
// is "", so that an API client learns the categories, phases and task
// templates it registers incidents under. Every signed-in user reads plans.
func (s *Service) PlanVersion(ctx context.Context, actor *user.User, key, version string) (*plan.Plan, *store.PlanRow, error) {
	var p *plan.Plan
	var row *store.PlanRow
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if version == "" {
			row, err = q.LatestPlan(key)
		} else {
			row, err = q.PlanVersion(key, version)
		}
		if err != nil {
			return err
		}
		p, err = s.PlanByID(q, row.ID)
		return err
	})
	return p, row, err
}
