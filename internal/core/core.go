// Package core is what every use-case package shares: the database and the
// log, the cache of parsed plan versions, the audit record and notice
// helpers, checks of what people type, the organisation tree and loading an
// incident as an actor may see it. Each change in a use-case package is one
// DB.Write transaction that checks the actor's rights, asks the pure domain
// code what is allowed, writes the new state, the timeline entry, the audit
// record (AuditEntry) and any notices (Notice), and commits.
package core

import (
	"log/slog"
	"sync"
	"time"

	"yingji/internal/errs"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Core is the shared part of every use-case service.
type Core struct {
	DB  *store.DB
	Log *slog.Logger

	mu    sync.Mutex
	plans map[int64]*plan.Plan // parsed plan versions; a version never changes
}

// New returns the core over db.
func New(db *store.DB, log *slog.Logger) *Core {
	if log == nil {
		log = slog.Default()
	}
	return &Core{DB: db, Log: log, plans: map[int64]*plan.Plan{}}
}

// Now is the clock read outside transactions.
func (c *Core) Now() time.Time { return c.DB.Now() }

// PlanByID returns a parsed plan version, parsing it once.
func (c *Core) PlanByID(q *store.Q, id int64) (*plan.Plan, error) {
	c.mu.Lock()
	p := c.plans[id]
	c.mu.Unlock()
	if p != nil {
		return p, nil
	}
	row, err := q.Plan(id)
	if err != nil {
		return nil, err
	}
	p, err = plan.Parse(row.Key+"@"+row.Version, row.Source)
	if err != nil {
		return nil, errs.Wrap(err, "stored plan no longer parses")
	}
	c.mu.Lock()
	c.plans[id] = p
	c.mu.Unlock()
	return p, nil
}

// CurrentPlan returns the newest version of the plan an organisation runs.
func (c *Core) CurrentPlan(q *store.Q, org *user.Org) (*plan.Plan, int64, error) {
	if org.PlanKey == "" {
		return nil, 0, errs.New(errs.Conflict, "error.org_no_plan", org.Name)
	}
	row, err := q.LatestPlan(org.PlanKey)
	if err != nil {
		return nil, 0, err
	}
	p, err := c.PlanByID(q, row.ID)
	return p, row.ID, err
}
