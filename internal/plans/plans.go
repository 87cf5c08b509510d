// Package plans holds the use cases over the stored emergency plans:
// installing a plan file as a new version, storing the shipped plan on first
// start, and reading a stored version.
package plans

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the plan use cases.
type Service struct{ *core.Core }

// New returns the plan use cases over c.
func New(c *core.Core) *Service { return &Service{Core: c} }

// InstallPlan validates a plan file and stores it as a new version (or finds
// the identical version already stored).
func (s *Service) InstallPlan(ctx context.Context, actor *user.User, name string, data []byte) (*store.PlanRow, bool, error) {
	p, err := plan.Parse(name, data)
	if err != nil {
		return nil, false, &errs.Error{Code: errs.Invalid, Field: "plan", Key: "error.plan_invalid", Args: []any{err.Error()}, Err: err}
	}
	sum := sha256.Sum256(data)
	row := &store.PlanRow{Key: p.Key, Version: p.Version, SHA256: hex.EncodeToString(sum[:]), Title: p.Title, Source: data}
	var created bool
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if created, err = tx.PutPlan(row); err != nil || !created {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "plan.install", "plan", row.ID, 0, map[string]string{"key": p.Key, "version": p.Version, "sha256": row.SHA256}))
	})
	return row, created, err
}

// EnsurePlan stores the shipped plan only when no version of its key is
// stored yet, and returns the plan in force (the newest stored version) and
// the shipped one. An upgrade of the binary thus never replaces a plan the
// operator loaded: adopting a new shipped version is an explicit plan load.
func (s *Service) EnsurePlan(ctx context.Context, name string, data []byte) (current, shipped *plan.Plan, err error) {
	shipped, err = plan.Parse(name, data)
	if err != nil {
		return nil, nil, err
	}
	var latestID int64
	err = s.DB.Read(ctx, func(q *store.Q) error {
		row, err := q.LatestPlan(shipped.Key)
		if err == nil {
			latestID = row.ID
		}
		if errs.CodeOf(err) == errs.NotFound {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if latestID == 0 {
		if _, _, err := s.InstallPlan(ctx, user.System(), name, data); err != nil {
			return nil, nil, err
		}
		return shipped, shipped, nil
	}
	err = s.DB.Read(ctx, func(q *store.Q) error {
		current, err = s.PlanByID(q, latestID)
		return err
	})
	return current, shipped, err
}

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

// Plans lists the stored plan versions.
func (s *Service) Plans(ctx context.Context) ([]*store.PlanRow, error) {
	var out []*store.PlanRow
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		out, err = q.Plans()
		return err
	})
	return out, err
}
