package accounts

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/org"
	"yingji/internal/store"
	"yingji/internal/user"
)

// The three administrators (三员分立, GB/T 22239-2019 三级): each use case
// below names the one role that may do it, and every administrator acts only
// on his own organisation and those below it (a city's administrator on its
// counties, a county's on itself). The system actor (user.System) is the
// operator at the server's command line, who is trusted.

var (
	orgCodeRe  = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,7}$`)
	deptKeyRe  = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)
	forbidKeys = map[string]string{
		user.RoleSystemAdmin:   "error.system_admin_only",
		user.RoleSecurityAdmin: "error.security_admin_only",
		user.RoleAuditAdmin:    "error.audit_admin_only",
	}
)

// AdminScope checks that actor holds role and returns the organisations he
// administers. The system actor (the operator) administers every
// organisation; a nil actor is refused.
func AdminScope(q *store.Q, actor *user.User, role string) (*org.Tree, map[int64]bool, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, nil, err
	}
	if !actor.IsSystem() && !actor.HasRole(role) {
		return nil, nil, errs.New(errs.Forbidden, forbidKeys[role])
	}
	tree, err := core.LoadTree(q)
	if err != nil {
		return nil, nil, err
	}
	in := map[int64]bool{}
	if actor.IsSystem() {
		for _, id := range tree.IDs() {
			in[id] = true
		}
		return tree, in, nil
	}
	for _, id := range tree.Visible(actor.OrgID) {
		in[id] = true
	}
	return tree, in, nil
}

// scopedUser loads the account username for an administrator; one outside
// his organisations is reported as unknown, not as forbidden, so that an
// administrator cannot learn which usernames exist elsewhere.
func scopedUser(q *store.Q, in map[int64]bool, username string) (*user.User, error) {
	u, err := q.UserByName(strings.TrimSpace(username))
	if errs.CodeOf(err) == errs.NotFound || (err == nil && !in[u.OrgID]) {
		return nil, errs.Field("username", "error.unknown_user", username)
	}
	return u, err
}

// scopedOrg loads an organisation the administrator may manage.
func scopedOrg(tree *org.Tree, in map[int64]bool, id int64) (*user.Org, error) {
	o := tree.Org(id)
	if o == nil || !in[id] {
		return nil, errs.New(errs.NotFound, "error.org_not_found")
	}
	return o, nil
}

// adminTarget loads the account an administrator holding role acts on: it
// must be in the organisations he oversees (else unknown, scopedUser) and,
// when notSelf, not his own.
func adminTarget(q *store.Q, actor *user.User, role, username string, notSelf bool) (*user.User, error) {
	_, in, err := AdminScope(q, actor, role)
	if err != nil {
		return nil, err
	}
	u, err := scopedUser(q, in, username)
	if err != nil {
		return nil, err
	}
	if notSelf && !actor.IsSystem() && actor.ID == u.ID {
		return nil, errs.New(errs.Forbidden, "error.not_yourself")
	}
	return u, nil
}

// SetUserDisabled disables or enables an account (the system
// administrator's work). A disabled user cannot log in, and his sessions and
// tokens stop working at once. Accounts are never deleted: the audit log and
// the timelines name them.
func (s *Service) SetUserDisabled(ctx context.Context, actor *user.User, username string, disabled bool) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := adminTarget(&tx.Q, actor, user.RoleSystemAdmin, username, true)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		if err := tx.SetUserDisabled(u.ID, disabled); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return tx.Audit(core.AuditEntry(actor, action, "user", u.ID, u.OrgID, map[string]string{"username": u.Username}))
	})
}

// CheckRoles trims and checks roles against the known ones: the first
// release's "admin" is no longer granted, and an administrator's role is
// held alone (the three are kept apart and take no part in handling
// incidents).
func CheckRoles(known map[string]bool, roles []string) ([]string, error) {
	var out []string
	admins := 0
	for _, r := range roles {
		r = strings.TrimSpace(r)
		if r == "" || slices.Contains(out, r) {
			continue
		}
		if !known[r] {
			return nil, errs.Field("roles", "error.bad_role", r)
		}
		if slices.Contains(user.AdminRoles, r) {
			admins++
		}
		out = append(out, r)
	}
	if admins > 0 && len(out) > 1 {
		return nil, errs.Field("roles", "error.admin_role_alone")
	}
	return out, nil
}

// SetUserRoles replaces an account's roles (the security administrator's
// work). Nobody changes his own roles.
func (s *Service) SetUserRoles(ctx context.Context, actor *user.User, username string, roles []string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := adminTarget(&tx.Q, actor, user.RoleSecurityAdmin, username, true)
		if err != nil {
			return err
		}
		known, err := s.KnownRoles(&tx.Q)
		if err != nil {
			return err
		}
		roles, err := CheckRoles(known, roles)
		if err != nil {
			return err
		}
		if slices.Equal(roles, u.Roles) {
			return nil
		}
		if err := tx.SetUserRoles(u.ID, roles); err != nil {
			return err
		}
		if roles == nil {
			roles = []string{}
		}
		return tx.Audit(core.AuditEntry(actor, "user.roles", "user", u.ID, u.OrgID, map[string]any{"username": u.Username, "from": u.Roles, "to": roles}))
	})
}

// UnlockUser lifts a lockout after wrong passwords (the security
// administrator's work).
func (s *Service) UnlockUser(ctx context.Context, actor *user.User, username string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := adminTarget(&tx.Q, actor, user.RoleSecurityAdmin, username, false)
		if err != nil {
			return err
		}
		if u.FailedLogins == 0 && !u.LockedUntil.After(tx.Now) {
			return nil
		}
		if err := tx.SetLoginFailures(u.ID, 0, 0); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "user.unlock", "user", u.ID, u.OrgID, map[string]string{"username": u.Username}))
	})
}
