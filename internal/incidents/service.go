// Package incidents holds the use cases of an incident's life: registration
// and assignment (交办), the activation and termination approvals, the
// plan's tasks and their gated approvals, corrections (更正) and 批示, the
// resources attached to it, and the registry units its tasks concern. Each
// change is one transaction over internal/core; the rules are the pure
// packages incident, access and plan.
package incidents

import (
	"time"

	"yingji/internal/core"
	"yingji/internal/store"
)

// Duty tells activation who is on duty (the rota owns the roster).
type Duty interface {
	// OnDuty is the leader and officers of orgID's shift covering at
	// (0 and nil when nobody is on duty), read in q's transaction.
	OnDuty(q *store.Q, orgID int64, at time.Time) (leader int64, officers []int64, err error)
}

// Service is the incident use cases.
type Service struct {
	*core.Core
	duty Duty
}

// New returns the incident use cases over c; duty answers who is paged when
// a plan is activated.
func New(c *core.Core, duty Duty) *Service {
	return &Service{Core: c, duty: duty}
}
