// Package service holds yingji's use cases. Each method that changes
// something is one database transaction that checks the actor's rights,
// asks the pure domain code what is allowed, writes the new state, the
// timeline entry, the audit record and any outgoing notices, and commits.
package service

import (
	"context"
	"log/slog"

	"yingji/internal/accounts"
	"yingji/internal/audit"
	"yingji/internal/core"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the application. (Live updates follow the store's change
// feed, which also carries other nodes' commits.)
type Service struct {
	*core.Core
	// Admins answers the administrator's overview (AdminOverview) from
	// internal/accounts and internal/auditlog; app.New wires it.
	Admins Admins
}

// Admins is what the administrator's overview asks of the account and
// audit-log use cases.
type Admins interface {
	ManagedOrgs(ctx context.Context, actor *user.User) ([]*accounts.OrgInfo, error)
	ManagedUsers(ctx context.Context, actor *user.User) ([]*user.User, error)
	KnownRoles(q *store.Q) (map[string]bool, error)
	VerifyAudit(ctx context.Context, anchors ...audit.Anchor) (store.VerifyResult, error)
	AuditRecords(ctx context.Context, actor *user.User, after int64, limit int) ([]*audit.Record, error)
}

// New returns a service on db.
func New(db *store.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Core: core.New(db, log)}
}
