// Package service holds yingji's use cases. Each method that changes
// something is one database transaction that checks the actor's rights,
// asks the pure domain code what is allowed, writes the new state, the
// timeline entry, the audit record and any outgoing notices, and commits.
package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the application. (Live updates follow the store's change
// feed, which also carries other nodes' commits.)
type Service struct {
	*core.Core
	// IdleTimeout ends a console session after this long without a
	// request (0: DefaultIdleTimeout).
	IdleTimeout time.Duration
	// TOTPOptional lets admins and leaders without a second factor in
	// without enrolling first. For `serve --demo` only: a newcomer trying
	// the demo has no authenticator app at hand. Enrolled users are always
	// asked for their code.
	TOTPOptional bool
	// Incidents answers the duty log, reports and the command post (set by
	// app.New; restructure issue 8, helper B).
	Incidents Incidents
}

// New returns a service on db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Core: core.New(db, log)}
}

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
		if _, _, err := s.InstallPlan(ctx, nil, name, data); err != nil {
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
