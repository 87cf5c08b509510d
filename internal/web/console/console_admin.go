package console

import (
	"net/http"
	"strconv"

	"yingji/internal/accounts"
	"yingji/internal/dashboard"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/user"
)

// adminView is the administration page: each of the three administrators
// sees the sections and buttons of his own work only.
type adminView struct {
	*dashboard.Admin
	System, Security, AuditAdmin bool
	RoleNames                    map[string]string
}

// DepartmentName names a user's department as people say it, not by key.
func (v *adminView) DepartmentName(org int64, key string) string {
	for _, o := range v.Tree {
		if o.ID != org {
			continue
		}
		for _, d := range o.Departments {
			if d.Key == key {
				return d.Name
			}
		}
	}
	return key
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, c *req) error {
	a, err := s.App.Dashboard.AdminOverview(r.Context(), c.u)
	if err != nil {
		return err
	}
	v := &adminView{Admin: a, System: c.u.HasRole(user.RoleSystemAdmin), Security: c.u.HasRole(user.RoleSecurityAdmin),
		AuditAdmin: c.u.HasRole(user.RoleAuditAdmin), RoleNames: map[string]string{}}
	if pl, err := s.App.Dashboard.PlanFor(r.Context(), c.u); err == nil {
		for _, r := range pl.Roles {
			v.RoleNames[r.Key] = r.Name
		}
	}
	for _, r := range user.AdminRoles {
		v.RoleNames[r] = i18n.T(c.l, "role."+r)
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "admin.title"), "admin")
	p.Data = v
	s.render(w, http.StatusOK, "admin", p)
	return nil
}

// adminDone finishes an administration form, naming the field in the error
// (the console's own label map does not know these fields).
func adminDone(w http.ResponseWriter, r *http.Request, c *req, err error, ok string) error {
	if e := errs.As(err); err != nil && e.Field != "" && (e.Code == errs.Invalid || e.Code == errs.Conflict) {
		if k := "adm.field." + e.Field; i18n.Has(k) {
			return back(w, r, "/admin", "error", i18n.T(c.l, "error.field_in", i18n.T(c.l, k), i18n.T(c.l, e.Key, e.Args...)))
		}
	}
	return done(w, r, c, "/admin", err, ok)
}

func (s *Server) adminCreateOrg(w http.ResponseWriter, r *http.Request, c *req) error {
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	o, err := s.App.Accounts.CreateOrg(r.Context(), c.u, accounts.NewOrg{Name: r.PostFormValue("name"), Code: r.PostFormValue("code"),
		ParentID: parent, Plan: r.PostFormValue("plan")})
	ok := ""
	if err == nil {
		ok = i18n.T(c.l, "adm.org_created", o.Name, o.Code)
	}
	return adminDone(w, r, c, err, ok)
}

func (s *Server) adminRenameOrg(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.App.Accounts.RenameOrg(r.Context(), c.u, id, r.PostFormValue("name"))
	return adminDone(w, r, c, err, i18n.T(c.l, "adm.org_renamed"))
}

func (s *Server) adminSaveDepartment(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.App.Accounts.SaveDepartment(r.Context(), c.u, id, r.PostFormValue("key"), r.PostFormValue("name"))
	return adminDone(w, r, c, err, i18n.T(c.l, "adm.department_saved"))
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request, c *req) error {
	u, err := s.App.Accounts.CreateUser(r.Context(), c.u, accounts.NewUser{Org: r.PostFormValue("org"), Department: r.PostFormValue("department"),
		Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"), Title: r.PostFormValue("title"),
		Password: r.PostFormValue("password")})
	ok := ""
	if err == nil {
		ok = i18n.T(c.l, "adm.user_created", u.Username)
	}
	return adminDone(w, r, c, err, ok)
}

func (s *Server) adminUserState(disabled bool) consoleHandler {
	return func(w http.ResponseWriter, r *http.Request, c *req) error {
		name := r.PathValue("username")
		err := s.App.Accounts.SetUserDisabled(r.Context(), c.u, name, disabled)
		key := "adm.user_enabled"
		if disabled {
			key = "adm.user_disabled"
		}
		return adminDone(w, r, c, err, i18n.T(c.l, key, name))
	}
}

func (s *Server) adminSetRoles(w http.ResponseWriter, r *http.Request, c *req) error {
	name := r.PathValue("username")
	// the CSRF check has parsed the form already
	err := s.App.Accounts.SetUserRoles(r.Context(), c.u, name, r.PostForm["roles"])
	return adminDone(w, r, c, err, i18n.T(c.l, "adm.roles_saved", name))
}

func (s *Server) adminUnlock(w http.ResponseWriter, r *http.Request, c *req) error {
	name := r.PathValue("username")
	err := s.App.Accounts.UnlockUser(r.Context(), c.u, name)
	return adminDone(w, r, c, err, i18n.T(c.l, "adm.unlocked", name))
}
