package service

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"

	"yingji/internal/audit"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

// The three administrators (三员分立, GB/T 22239-2019 三级): each use case
// below names the one role that may do it, and every administrator acts only
// on his own organisation and those below it (a city's administrator on its
// counties, a county's on itself). actor nil is the operator at the server's
// command line, who is trusted.

var (
	orgCodeRe  = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,7}$`)
	deptKeyRe  = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)
	forbidKeys = map[string]string{
		user.RoleSystemAdmin:   "error.system_admin_only",
		user.RoleSecurityAdmin: "error.security_admin_only",
		user.RoleAuditAdmin:    "error.audit_admin_only",
	}
)

// adminScope checks that actor holds role and returns the organisations he
// administers. A nil actor (the operator) administers every organisation.
func adminScope(q *store.Q, actor *user.User, role string) (*org.Tree, map[int64]bool, error) {
	if actor != nil && !actor.HasRole(role) {
		return nil, nil, errs.New(errs.Forbidden, forbidKeys[role])
	}
	tree, err := core.LoadTree(q)
	if err != nil {
		return nil, nil, err
	}
	in := map[int64]bool{}
	if actor == nil {
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

// NewOrg is an organisation to create. Parent is its superior (by id, or by
// name for the command line); Plan is the key of a stored plan, the shipped
// plan when empty, and NoPlan makes a superior bureau that runs none.
type NewOrg struct {
	Name       string
	Code       string // prefix of its incident numbers, e.g. QS for QS-2026-003
	ParentID   int64
	ParentName string
	Plan       string
	NoPlan     bool
}

// CreateOrg creates an organisation below one the system administrator
// manages, with the departments its plan names. Only the operator may create
// a top-level organisation.
func (s *Service) CreateOrg(ctx context.Context, actor *user.User, no NewOrg) (*user.Org, error) {
	no.Name, no.Code = strings.TrimSpace(no.Name), strings.TrimSpace(no.Code)
	if err := core.CheckText("name", no.Name, true, 100); err != nil {
		return nil, err
	}
	if !orgCodeRe.MatchString(no.Code) {
		return nil, errs.Field("code", "error.bad_org_code")
	}
	var out *user.Org
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		tree, in, err := adminScope(&tx.Q, actor, user.RoleSystemAdmin)
		if err != nil {
			return err
		}
		if no.ParentName != "" {
			p, err := tx.OrgByName(strings.TrimSpace(no.ParentName))
			if err != nil {
				return errs.Field("parent", "error.unknown_org", no.ParentName)
			}
			no.ParentID = p.ID
		}
		if no.ParentID == 0 && actor != nil {
			return errs.Field("parent", "error.required")
		}
		if no.ParentID != 0 && !in[no.ParentID] {
			return errs.Field("parent", "error.org_not_found")
		}
		org := &user.Org{Name: no.Name, Code: no.Code, ParentID: no.ParentID}
		var p *plan.Plan
		if !no.NoPlan {
			key := strings.TrimSpace(no.Plan)
			if key == "" {
				def, err := plan.LoadDefault()
				if err != nil {
					return err
				}
				key = def.Key
			}
			row, err := tx.LatestPlan(key)
			if errs.CodeOf(err) == errs.NotFound {
				return errs.Field("plan", "error.unknown_plan", key)
			}
			if err != nil {
				return err
			}
			if p, err = s.PlanByID(&tx.Q, row.ID); err != nil {
				return err
			}
			org.PlanKey = key
		}
		for _, o := range tree.Orgs() {
			if o.Name == org.Name {
				return errs.Field("name", "error.org_name_taken", org.Name)
			}
			if o.Code == org.Code {
				return errs.Field("code", "error.org_code_taken", org.Code)
			}
		}
		if err := tx.CreateOrg(org); err != nil {
			return err
		}
		var deps []string
		if p != nil {
			for _, d := range p.Departments {
				if err := tx.CreateDepartment(&user.Department{OrgID: org.ID, Key: d.Key, Name: d.Name}); err != nil {
					return err
				}
				deps = append(deps, d.Key)
			}
		}
		out = org
		return tx.Audit(core.AuditEntry(actor, "org.create", "org", org.ID, org.ID, map[string]any{
			"name": org.Name, "code": org.Code, "parent_id": org.ParentID, "plan": org.PlanKey, "departments": deps}))
	})
	return out, err
}

// RenameOrg renames an organisation the system administrator manages. Its
// code stays: numbers already issued carry it.
func (s *Service) RenameOrg(ctx context.Context, actor *user.User, id int64, name string) error {
	name = strings.TrimSpace(name)
	if err := core.CheckText("name", name, true, 100); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		tree, in, err := adminScope(&tx.Q, actor, user.RoleSystemAdmin)
		if err != nil {
			return err
		}
		o, err := scopedOrg(tree, in, id)
		if err != nil {
			return err
		}
		if o.Name == name {
			return nil
		}
		for _, other := range tree.Orgs() {
			if other.Name == name {
				return errs.Field("name", "error.org_name_taken", name)
			}
		}
		if err := tx.RenameOrg(id, name); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "org.rename", "org", id, id, map[string]string{"from": o.Name, "to": name}))
	})
}

// SaveDepartment creates a department of an organisation, or renames it if
// the key exists. The key is what users and tasks refer to and never changes.
func (s *Service) SaveDepartment(ctx context.Context, actor *user.User, orgID int64, key, name string) (created bool, err error) {
	key, name = strings.TrimSpace(key), strings.TrimSpace(name)
	if !deptKeyRe.MatchString(key) {
		return false, errs.Field("key", "error.bad_department_key")
	}
	if err := core.CheckText("name", name, true, 100); err != nil {
		return false, err
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		tree, in, err := adminScope(&tx.Q, actor, user.RoleSystemAdmin)
		if err != nil {
			return err
		}
		if _, err := scopedOrg(tree, in, orgID); err != nil {
			return err
		}
		deps, err := tx.Departments(orgID)
		if err != nil {
			return err
		}
		for _, d := range deps {
			if d.Key == key {
				if d.Name == name {
					return nil
				}
				if err := tx.RenameDepartment(orgID, key, name); err != nil {
					return err
				}
				return tx.Audit(core.AuditEntry(actor, "department.rename", "org", orgID, orgID, map[string]string{"key": key, "from": d.Name, "to": name}))
			}
		}
		if err := tx.CreateDepartment(&user.Department{OrgID: orgID, Key: key, Name: name}); err != nil {
			return err
		}
		created = true
		return tx.Audit(core.AuditEntry(actor, "department.create", "org", orgID, orgID, map[string]string{"key": key, "name": name}))
	})
	return created, err
}

// OrgInfo is an organisation with its departments.
type OrgInfo struct {
	*user.Org
	Departments []*user.Department
}

// ManagedOrgs lists the organisations an administrator (any of the three)
// manages, with their departments; nil actor: all.
func (s *Service) ManagedOrgs(ctx context.Context, actor *user.User) ([]*OrgInfo, error) {
	if actor != nil && !actor.IsAdministrator() {
		return nil, errs.New(errs.Forbidden, "error.admin_only")
	}
	var out []*OrgInfo
	err := s.DB.Read(ctx, func(q *store.Q) error {
		role := user.RoleSystemAdmin
		if actor != nil {
			role = actor.Roles[slices.IndexFunc(actor.Roles, func(r string) bool { return slices.Contains(user.AdminRoles, r) })]
		}
		tree, in, err := adminScope(q, actor, role)
		if err != nil {
			return err
		}
		for id := range in {
			deps, err := q.Departments(id)
			if err != nil {
				return err
			}
			out = append(out, &OrgInfo{Org: tree.Org(id), Departments: deps})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return nil
	})
	return out, err
}

// ManagedUsers lists the accounts of the organisations the system or
// security administrator manages. The audit administrator reads the audit
// log only.
func (s *Service) ManagedUsers(ctx context.Context, actor *user.User) ([]*user.User, error) {
	if actor != nil && !actor.HasRole(user.RoleSystemAdmin, user.RoleSecurityAdmin) {
		return nil, errs.New(errs.Forbidden, "error.admin_only")
	}
	var out []*user.User
	err := s.DB.Read(ctx, func(q *store.Q) error {
		role := user.RoleSystemAdmin
		if actor != nil && !actor.HasRole(role) {
			role = user.RoleSecurityAdmin
		}
		_, in, err := adminScope(q, actor, role)
		if err != nil {
			return err
		}
		all, err := q.Users(0)
		for _, u := range all {
			if in[u.OrgID] {
				out = append(out, u)
			}
		}
		return err
	})
	return out, err
}

// adminTarget loads the account an administrator holding role acts on: it
// must be in the organisations he oversees (else unknown, scopedUser) and,
// when notSelf, not his own.
func adminTarget(q *store.Q, actor *user.User, role, username string, notSelf bool) (*user.User, error) {
	_, in, err := adminScope(q, actor, role)
	if err != nil {
		return nil, err
	}
	u, err := scopedUser(q, in, username)
	if err != nil {
		return nil, err
	}
	if notSelf && actor != nil && actor.ID == u.ID {
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

// checkRoles trims and checks roles against the known ones: the first
// release's "admin" is no longer granted, and an administrator's role is
// held alone (the three are kept apart and take no part in handling
// incidents).
func checkRoles(known map[string]bool, roles []string) ([]string, error) {
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
		known, err := s.knownRoles(&tx.Q)
		if err != nil {
			return err
		}
		roles, err := checkRoles(known, roles)
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

// AuditRecords lists audit records for the audit administrator to read and
// check: those of his organisation and the ones below it; records that
// belong to no organisation (plan installs, logins with unknown names) only
// for the audit administrator of a top-level organisation.
func (s *Service) AuditRecords(ctx context.Context, actor *user.User, after int64, limit int) ([]*audit.Record, error) {
	var out []*audit.Record
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, in, err := adminScope(q, actor, user.RoleAuditAdmin)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(in))
		for id := range in {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		top := actor == nil || tree.Parent(actor.OrgID) == 0
		out, err = q.AuditRecordsIn(ids, top, after, limit)
		return err
	})
	return out, err
}
