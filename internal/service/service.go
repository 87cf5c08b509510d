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
	"sync"
	"time"

	"yingji/internal/errs"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the application. (Live updates follow the store's change
// feed, which also carries other nodes' commits.)
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// IdleTimeout ends a console session after this long without a
	// request (0: DefaultIdleTimeout).
	IdleTimeout time.Duration
	// TOTPOptional lets admins and leaders without a second factor in
	// without enrolling first. For `serve --demo` only: a newcomer trying
	// the demo has no authenticator app at hand. Enrolled users are always
	// asked for their code.
	TOTPOptional bool

	mu    sync.Mutex
	plans map[int64]*plan.Plan // parsed plan versions; a version never changes
}

// New returns a service on db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{DB: db, Log: log, plans: map[int64]*plan.Plan{}}
}

// planByID returns a parsed plan version, parsing it once.
func (s *Service) planByID(q *store.Q, id int64) (*plan.Plan, error) {
	s.mu.Lock()
	p := s.plans[id]
	s.mu.Unlock()
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
	s.mu.Lock()
	s.plans[id] = p
	s.mu.Unlock()
	return p, nil
}

// currentPlan returns the newest version of the plan an organisation runs.
func (s *Service) currentPlan(q *store.Q, org *user.Org) (*plan.Plan, int64, error) {
	if org.PlanKey == "" {
		return nil, 0, errs.New(errs.Conflict, "error.org_no_plan", org.Name)
	}
	row, err := q.LatestPlan(org.PlanKey)
	if err != nil {
		return nil, 0, err
	}
	p, err := s.planByID(q, row.ID)
	return p, row.ID, err
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
		return tx.Audit(auditEntry(actor, "plan.install", "plan", row.ID, 0, map[string]string{"key": p.Key, "version": p.Version, "sha256": row.SHA256}))
	})
	return row, created, err
}

// auditEntry fills the actor's part of an audit record.
func auditEntry(actor *user.User, action, objType string, objID, orgID int64, detail any) store.AuditEntry {
	e := store.AuditEntry{Action: action, ObjectType: objType, ObjectID: objID, OrgID: orgID, Detail: detail}
	if actor != nil {
		e.ActorID, e.Actor, e.Via = actor.ID, actor.Username, actor.Via
	}
	return e
}

// orgTree answers questions about the organisation hierarchy within one
// transaction. The table is small (one row per bureau), so it is read whole.
type orgTree struct {
	parent map[int64]int64
	byID   map[int64]*user.Org
}

func loadOrgTree(q *store.Q) (*orgTree, error) {
	orgs, err := q.Orgs()
	if err != nil {
		return nil, err
	}
	t := &orgTree{parent: map[int64]int64{}, byID: map[int64]*user.Org{}}
	for _, o := range orgs {
		t.parent[o.ID] = o.ParentID
		t.byID[o.ID] = o
	}
	return t, nil
}

// isAncestor reports whether a is a strict ancestor of b.
func (t *orgTree) isAncestor(a, b int64) bool {
	for p := t.parent[b]; p != 0; p = t.parent[p] {
		if p == a {
			return true
		}
	}
	return false
}

// visible lists org and every organisation below it: what its users may read.
func (t *orgTree) visible(org int64) []int64 {
	out := []int64{org}
	for id := range t.byID {
		if t.isAncestor(org, id) {
			out = append(out, id)
		}
	}
	return out
}

func (t *orgTree) canSee(actor *user.User, orgID int64) bool {
	return actor.OrgID == orgID || t.isAncestor(actor.OrgID, orgID)
}

// Now is the clock the service reads outside transactions.
func (s *Service) Now() time.Time { return s.DB.Now() }

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
		current, err = s.planByID(q, latestID)
		return err
	})
	return current, shipped, err
}
