// Package auditlog holds the use cases over the audit chain: the audit
// administrator reads the records of the organisations he oversees, and
// anyone with the anchors verifies the chain (the records and the state
// rows they cover). The chain itself is kept by the store.
package auditlog

import (
	"context"
	"sort"

	"yingji/internal/accounts"
	"yingji/internal/audit"
	"yingji/internal/core"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the audit-log use cases.
type Service struct{ *core.Core }

// New returns the audit-log use cases over c.
func New(c *core.Core) *Service { return &Service{Core: c} }

// VerifyAudit checks the whole audit chain, and the anchors if any.
func (s *Service) VerifyAudit(ctx context.Context, anchors ...audit.Anchor) (store.VerifyResult, error) {
	return s.DB.VerifyAudit(ctx, anchors...)
}

// AuditRecords lists audit records for the audit administrator to read and
// check: those of his organisation and the ones below it; records that
// belong to no organisation (plan installs, logins with unknown names) only
// for the audit administrator of a top-level organisation.
func (s *Service) AuditRecords(ctx context.Context, actor *user.User, after int64, limit int) ([]*audit.Record, error) {
	var out []*audit.Record
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, in, err := accounts.AdminScope(q, actor, user.RoleAuditAdmin)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(in))
		for id := range in {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		top := actor.IsSystem() || tree.Parent(actor.OrgID) == 0
		out, err = q.AuditRecordsIn(ids, top, after, limit)
		return err
	})
	return out, err
}
