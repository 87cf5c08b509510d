package api

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/user"
)

func orgJSON(o *accounts.OrgInfo, loc *time.Location) map[string]any {
	deps := make([]map[string]any, 0, len(o.Departments))
	for _, d := range o.Departments {
		deps = append(deps, map[string]any{"key": d.Key, "name": d.Name})
	}
	return map[string]any{"id": o.ID, "parent_id": idPtr(o.ParentID), "name": o.Name, "code": o.Code, "plan": o.PlanKey,
		"created_at": ts(o.CreatedAt, loc), "departments": deps}
}

func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request, u *user.User) error {
	orgs, err := s.App.Accounts.ManagedOrgs(r.Context(), u)
	if err != nil {
		return err
	}
	writeItems(w, orgs, func(o *accounts.OrgInfo) map[string]any { return orgJSON(o, s.Loc) })
	return nil
}

type createOrgBody struct {
	Name     string `json:"name"`
	Code     string `json:"code"`
	ParentID int64  `json:"parent_id"`
	Plan     string `json:"plan"`
	NoPlan   bool   `json:"no_plan"`
}

func (s *Server) apiCreateOrg(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b createOrgBody
	if err := decode(r, &b); err != nil {
		return err
	}
	o, err := s.App.Accounts.CreateOrg(r.Context(), u, accounts.NewOrg{Name: b.Name, Code: b.Code, ParentID: b.ParentID, Plan: b.Plan, NoPlan: b.NoPlan})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/orgs/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, map[string]any{"id": o.ID, "parent_id": idPtr(o.ParentID), "name": o.Name, "code": o.Code, "plan": o.PlanKey})
	return nil
}

type nameBody struct {
	Name string `json:"name"`
}

func (s *Server) apiRenameOrg(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[nameBody](r)
	if err != nil {
		return err
	}
	if err := s.App.Accounts.RenameOrg(r.Context(), u, id, b.Name); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "name": b.Name})
	return nil
}

func (s *Server) apiSaveDepartment(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[nameBody](r)
	if err != nil {
		return err
	}
	created, err := s.App.Accounts.SaveDepartment(r.Context(), u, id, r.PathValue("key"), b.Name)
	if err != nil {
		return err
	}
	st := http.StatusOK
	if created {
		st = http.StatusCreated
	}
	writeJSON(w, st, map[string]any{"org_id": id, "key": r.PathValue("key"), "name": b.Name})
	return nil
}

func userJSON(u *user.User, loc *time.Location, now time.Time) map[string]any {
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	var locked *string
	if u.LockedUntil.After(now) {
		locked = tsPtr(&u.LockedUntil, loc)
	}
	return map[string]any{"id": u.ID, "username": u.Username, "display_name": u.DisplayName, "title": u.Title, "org_id": u.OrgID,
		"department": u.Department, "roles": roles, "disabled": u.Disabled, "locked_until": locked, "created_at": ts(u.CreatedAt, loc)}
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, u *user.User) error {
	users, err := s.App.Accounts.ManagedUsers(r.Context(), u)
	if err != nil {
		return err
	}
	now := s.App.Core.Now()
	writeItems(w, users, func(x *user.User) map[string]any { return userJSON(x, s.Loc, now) })
	return nil
}

type createUserBody struct {
	Org         string `json:"org"`
	Department  string `json:"department"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Title       string `json:"title"`
	Password    string `json:"password"`
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b createUserBody
	if err := decode(r, &b); err != nil {
		return err
	}
	nu, err := s.App.Accounts.CreateUser(r.Context(), u, accounts.NewUser{Org: b.Org, Department: b.Department, Username: b.Username,
		DisplayName: b.DisplayName, Title: b.Title, Password: b.Password})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, userJSON(nu, s.Loc, s.App.Core.Now()))
	return nil
}

func (s *Server) apiDisableUser(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.apiUserState(w, r, u, true)
}

func (s *Server) apiEnableUser(w http.ResponseWriter, r *http.Request, u *user.User) error {
	return s.apiUserState(w, r, u, false)
}

func (s *Server) apiUserState(w http.ResponseWriter, r *http.Request, u *user.User, disabled bool) error {
	name := r.PathValue("username")
	if err := s.App.Accounts.SetUserDisabled(r.Context(), u, name, disabled); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"username": name, "disabled": disabled})
	return nil
}

type rolesBody struct {
	Roles []string `json:"roles"`
}

func (s *Server) apiSetRoles(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b rolesBody
	if err := decode(r, &b); err != nil {
		return err
	}
	name := r.PathValue("username")
	if err := s.App.Accounts.SetUserRoles(r.Context(), u, name, b.Roles); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"username": name, "roles": b.Roles})
	return nil
}

func (s *Server) apiUnlockUser(w http.ResponseWriter, r *http.Request, u *user.User) error {
	name := r.PathValue("username")
	if err := s.App.Accounts.UnlockUser(r.Context(), u, name); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"username": name})
	return nil
}
