package accounts

import (
	"context"
	"slices"
	"sort"
	"strings"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
)

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
		tree, in, err := AdminScope(&tx.Q, actor, user.RoleSystemAdmin)
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
		if no.ParentID == 0 && !actor.IsSystem() {
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
		tree, in, err := AdminScope(&tx.Q, actor, user.RoleSystemAdmin)
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
		tree, in, err := AdminScope(&tx.Q, actor, user.RoleSystemAdmin)
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
// manages, with their departments; the system actor: all.
func (s *Service) ManagedOrgs(ctx context.Context, actor *user.User) ([]*OrgInfo, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if !actor.IsSystem() && !actor.IsAdministrator() {
		return nil, errs.New(errs.Forbidden, "error.admin_only")
	}
	var out []*OrgInfo
	err := s.DB.Read(ctx, func(q *store.Q) error {
		role := user.RoleSystemAdmin
		if !actor.IsSystem() {
			role = actor.Roles[slices.IndexFunc(actor.Roles, func(r string) bool { return slices.Contains(user.AdminRoles, r) })]
		}
		tree, in, err := AdminScope(q, actor, role)
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
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if !actor.IsSystem() && !actor.HasRole(user.RoleSystemAdmin, user.RoleSecurityAdmin) {
		return nil, errs.New(errs.Forbidden, "error.admin_only")
	}
	var out []*user.User
	err := s.DB.Read(ctx, func(q *store.Q) error {
		role := user.RoleSystemAdmin
		if !actor.IsSystem() && !actor.HasRole(role) {
			role = user.RoleSecurityAdmin
		}
		_, in, err := AdminScope(q, actor, role)
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
