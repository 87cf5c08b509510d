package dashboard

import (
	"context"
	"sort"

	"yingji/internal/accounts"
	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Admin is an administrator's overview: each of the three sees his own part
// (nil when not his), for the organisations he manages.
type Admin struct {
	Users []*user.User        // system and security administrators
	Orgs  map[int64]string    // names of the organisations managed
	Tree  []*accounts.OrgInfo // system administrator: organisations and departments
	Roles []string            // security administrator: roles that may be granted
	// Head is the audit chain's head (audit administrator). The page does not
	// verify the chain: that reads every record and covered row (2.5 s on
	// SQLite, 5.9 s on PostgreSQL at 1,000,000 records, docs/audit.md), so
	// it runs when he asks for it on the 审计记录 page.
	Head   *audit.Anchor
	Record []*audit.Record // audit administrator: the newest records of his organisations
}

// AdminOverview gathers the administrator's page; for the three
// administrators only, each seeing his own work.
func (s *Service) AdminOverview(ctx context.Context, actor *user.User) (*Admin, error) {
	if !actor.IsAdministrator() {
		return nil, errs.New(errs.Forbidden, "error.admin_only")
	}
	a := &Admin{Orgs: map[int64]string{}}
	orgs, err := s.admins.ManagedOrgs(ctx, actor)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		a.Orgs[o.ID] = o.Name
	}
	if actor.HasRole(user.RoleSystemAdmin) {
		a.Tree = orgs
	}
	if actor.HasRole(user.RoleSystemAdmin, user.RoleSecurityAdmin) {
		if a.Users, err = s.admins.ManagedUsers(ctx, actor); err != nil {
			return nil, err
		}
	}
	if actor.HasRole(user.RoleSecurityAdmin) {
		err := s.DB.Read(ctx, func(q *store.Q) error {
			known, err := s.admins.KnownRoles(q)
			for r := range known {
				a.Roles = append(a.Roles, r)
			}
			sort.Strings(a.Roles)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if actor.HasRole(user.RoleAuditAdmin) {
		var head audit.Anchor
		if err := s.DB.Read(ctx, func(q *store.Q) (err error) { head, err = q.AuditAnchor(); return err }); err != nil {
			return nil, err
		}
		a.Head = &head
		// His newest 200, however busy the organisations he does not oversee.
		if a.Record, err = s.admins.Newest(ctx, actor, 200); err != nil {
			return nil, err
		}
	}
	return a, nil
}
