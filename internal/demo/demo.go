// Package demo creates, idempotently, the demo world from the seed plan: the
// 眉山市公安局 above the 青神县公安局, the county's departments and leading
// group, and one account for each kind of user.
package demo

import (
	"context"

	"yingji/internal/errs"
	"yingji/internal/plan"
	"yingji/internal/service"
	"yingji/internal/store"
	"yingji/internal/user"
)

// City and County are the demo organisations' names.
const (
	City   = "眉山市公安局"
	County = "青神县公安局"
)

// Account is one demo user.
type Account struct {
	Username, DisplayName, Title, Org, Department string
	Roles                                         []string
}

// Accounts are the demo users; the usernames are the ones the README uses.
var Accounts = []Account{
	{"duty", "张值班", "网监大队值班员", County, "wangjian", []string{user.RoleDutyOfficer}},
	{"chief", "李局长", "县公安局局长、领导小组组长", County, "office", []string{user.RoleLeader}},
	{"deputy", "王副局长", "分管副局长、领导小组副组长", County, "wangjian", []string{user.RoleDeputy}},
	{"xingjing", "赵大队长", "刑警大队大队长、领导小组成员", County, "xingjing", []string{user.RoleMember}},
	{"citydeputy", "陈副局长", "眉山市公安局分管副局长", City, "", []string{"city_deputy"}},
	// The three administrators (三员分立) sit at the city bureau, so that they
	// manage its counties too and can set up a new one.
	{"admin", "系统管理员", "市公安局网安支队系统管理员", City, "", []string{user.RoleSystemAdmin}},
	{"secadmin", "安全管理员", "市公安局网安支队安全管理员", City, "", []string{user.RoleSecurityAdmin}},
	{"auditor", "审计管理员", "市公安局督察支队审计管理员", City, "", []string{user.RoleAuditAdmin}},
}

// Ensure creates whatever part of the demo world is missing. It returns the
// usernames it created (their password is password).
func Ensure(ctx context.Context, svc *service.Service, p *plan.Plan, password string) ([]string, error) {
	err := svc.DB.Write(ctx, func(tx *store.Tx) error {
		city, err := tx.OrgByName(City)
		if errs.CodeOf(err) == errs.NotFound {
			city = &user.Org{Name: City, Code: "MS"}
			if err = tx.CreateOrg(city); err == nil {
				err = tx.Audit(store.AuditEntry{Action: "org.create", ObjectType: "org", ObjectID: city.ID, OrgID: city.ID, Detail: map[string]string{"name": City}})
			}
		}
		if err != nil {
			return err
		}
		county, err := tx.OrgByName(County)
		if errs.CodeOf(err) == errs.NotFound {
			county = &user.Org{Name: County, Code: "QS", ParentID: city.ID, PlanKey: p.Key}
			if err = tx.CreateOrg(county); err != nil {
				return err
			}
			for _, d := range p.Departments {
				if err := tx.CreateDepartment(&user.Department{OrgID: county.ID, Key: d.Key, Name: d.Name}); err != nil {
					return err
				}
			}
			err = tx.Audit(store.AuditEntry{Action: "org.create", ObjectType: "org", ObjectID: county.ID, OrgID: county.ID,
				Detail: map[string]any{"name": County, "parent": City, "plan": p.Key, "departments": len(p.Departments)}})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var created []string
	for _, a := range Accounts {
		err := svc.DB.Read(ctx, func(q *store.Q) error { _, err := q.UserByName(a.Username); return err })
		if err == nil {
			continue
		}
		if errs.CodeOf(err) != errs.NotFound {
			return created, err
		}
		if _, err := svc.CreateUser(ctx, nil, service.NewUser{Org: a.Org, Department: a.Department, Username: a.Username,
			DisplayName: a.DisplayName, Title: a.Title, Roles: a.Roles, Password: password}); err != nil {
			return created, err
		}
		created = append(created, a.Username)
	}
	return created, nil
}
