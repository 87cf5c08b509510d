// Package intake is how signals get in: sources and their keys (created by
// an organisation's duty managers, shown once, revocable), the ingest
// pipeline (parse, normalise, group commit, answer after the commit), the
// syslog listeners and the /metrics counters. Alerts land with handled_at
// NULL: applying the plan's alert rules afterwards is not intake's job.
package intake

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/ingest"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Config bounds what one node takes in. Zero fields take the defaults.
type Config struct {
	// MaxBody is the largest request body of one ingest request.
	MaxBody int64
	// Rate is requests per source: Burst at once, then one every Every
	// (Every 0: no limit).
	Burst int
	Every time.Duration
	// MaxQueued is how many signals may wait for a commit; beyond it new
	// requests are answered 503 with Retry-After, never accepted and dropped.
	MaxQueued int
	// MaxBatch is the most signals one transaction commits.
	MaxBatch int
}

// DefaultConfig is what `yingji serve` runs with unless flags say otherwise.
func DefaultConfig() Config {
	return Config{MaxBody: 8 << 20, Burst: 2000, Every: time.Millisecond / 2, MaxQueued: 200_000, MaxBatch: 20_000}
}

// Service is the intake use case.
type Service struct {
	*core.Core
	// The limits, read by requests and the committer while a test or the
	// operator's start-up may set them.
	maxBody, maxQueued, maxBatch atomic.Int64
	loc                          *time.Location
	keys                         keyCache
	rate                         limiter
	pipe                         pipeline
	stats                        Stats
}

// New returns the intake service over c with the default configuration.
func New(c *core.Core) *Service {
	s := &Service{Core: c}
	s.SetConfig(DefaultConfig())
	s.loc, _ = time.LoadLocation("Asia/Shanghai")
	if s.loc == nil {
		s.loc = time.FixedZone("CST", 8*3600)
	}
	s.keys.m = map[string]keyEntry{}
	return s
}

// SetConfig puts cfg in force (before serving); zero fields keep defaults.
func (s *Service) SetConfig(cfg Config) {
	d := DefaultConfig()
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = d.MaxBody
	}
	if cfg.MaxQueued <= 0 {
		cfg.MaxQueued = d.MaxQueued
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = d.MaxBatch
	}
	s.maxBody.Store(cfg.MaxBody)
	s.maxQueued.Store(int64(cfg.MaxQueued))
	s.maxBatch.Store(int64(cfg.MaxBatch))
	s.rate.set(cfg.Burst, cfg.Every)
}

// MaxBody is the body limit of one ingest request.
func (s *Service) MaxBody() int64 { return s.maxBody.Load() }

// mayManage: the organisation's duty managers (access.DutyManagers: the
// system administrator, the duty officer, the leading group's leader and
// deputy) run its sources, as they run its duty; the operator any.
func mayManage(actor *user.User, orgID int64) bool {
	return actor.IsSystem() || (actor.OrgID == orgID && access.MayManageDuty(actor))
}

// CreateSource makes a source in an organisation and returns it with its
// key, which is shown this once: only its hash is kept.
func (s *Service) CreateSource(ctx context.Context, actor *user.User, orgID int64, name, format string) (*ingest.Source, string, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, "", err
	}
	if err := core.CheckText("name", name, true, 100); err != nil {
		return nil, "", err
	}
	if !ingest.ValidFormat(format) {
		return nil, "", errs.Field("format", "intake.bad_format", format)
	}
	if !mayManage(actor, orgID) {
		return nil, "", errs.New(errs.Forbidden, "intake.managers_only")
	}
	key, hash := ingest.NewKey()
	var src *ingest.Source
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Org(orgID); err != nil {
			return errs.Field("org", "error.unknown_org", strconv.FormatInt(orgID, 10))
		}
		id, err := tx.CreateSource(orgID, name, format, hash, actor.ID)
		if err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.Field("name", "intake.name_taken", name)
			}
			return err
		}
		if src, err = tx.Source(id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "intake.source_create", "intake_source", id, orgID, map[string]any{"name": name, "format": format}))
	})
	if err != nil {
		return nil, "", err
	}
	return src, key, nil
}

// Sources lists an organisation's sources (never their keys).
func (s *Service) Sources(ctx context.Context, actor *user.User, orgID int64) ([]*ingest.Source, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if !mayManage(actor, orgID) {
		return nil, errs.New(errs.Forbidden, "intake.managers_only")
	}
	var out []*ingest.Source
	err := s.DB.Read(ctx, func(q *store.Q) (err error) { out, err = q.Sources(orgID); return err })
	return out, err
}

// RevokeSource stops a source's key; the source stays listed, and its
// alerts keep naming it. Another organisation's source is not found.
func (s *Service) RevokeSource(ctx context.Context, actor *user.User, id int64) (*ingest.Source, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out *ingest.Source
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		src, err := tx.Source(id)
		if err != nil {
			return err
		}
		if !mayManage(actor, src.OrgID) {
			return errs.New(errs.NotFound, "intake.source_not_found")
		}
		live, err := tx.RevokeSource(id, actor.ID)
		if err != nil {
			return err
		}
		if !live {
			return errs.New(errs.Conflict, "intake.source_revoked")
		}
		if out, err = tx.Source(id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "intake.source_revoke", "intake_source", id, src.OrgID, map[string]any{"name": src.Name, "format": src.Format}))
	})
	if err == nil {
		s.keys.forget(id)
	}
	return out, err
}

// keyTTL is how long a node trusts what it read of a key: a key revoked on
// another node stops working here within it (on this node, at once).
const keyTTL = 10 * time.Second

type keyEntry struct {
	src *ingest.Source
	at  time.Time
}

type keyCache struct {
	mu sync.Mutex
	m  map[string]keyEntry
}

func (c *keyCache) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if e.src.ID == id {
			delete(c.m, k)
		}
	}
}

// Authenticate finds the live source holding key.
func (s *Service) Authenticate(ctx context.Context, key string) (*ingest.Source, error) {
	if key == "" {
		return nil, errs.New(errs.Unauthorized, "intake.no_key")
	}
	hash := ingest.HashKey(key)
	now := time.Now()
	s.keys.mu.Lock()
	e, ok := s.keys.m[hash]
	s.keys.mu.Unlock()
	if !ok || now.Sub(e.at) > keyTTL {
		var src *ingest.Source
		err := s.DB.Read(ctx, func(q *store.Q) (err error) { src, err = q.SourceByKeyHash(hash); return err })
		if errs.CodeOf(err) == errs.NotFound {
			return nil, errs.New(errs.Unauthorized, "intake.bad_key")
		}
		if err != nil {
			return nil, err
		}
		e = keyEntry{src: src, at: now}
		s.keys.mu.Lock()
		if len(s.keys.m) > 4096 { // bounded: only real keys get in, and a node has few
			clear(s.keys.m)
		}
		s.keys.m[hash] = e
		s.keys.mu.Unlock()
	}
	if !e.src.Live() {
		return nil, errs.New(errs.Unauthorized, "intake.bad_key")
	}
	return e.src, nil
}
