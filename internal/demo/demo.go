// Package demo creates, idempotently, the demo world from the seed plan: the
// 眉山市公安局 above the 青神县公安局, the county's departments and leading
// group, and one account for each kind of user.
package demo

import (
	"context"
	"maps"
	"slices"

	"yingji/internal/accounts"
	"yingji/internal/app"
	"yingji/internal/plan"
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

// Ensure creates whatever part of the demo world is missing, through the
// same use cases as the operator's CLI (as the system actor). It returns the usernames
// it created (their password is password). p is the plan in force, already
// stored: the county runs it and gets the departments it names.
func Ensure(ctx context.Context, a *app.App, p *plan.Plan, password string) ([]string, error) {
	orgs := []accounts.NewOrg{
		{Name: City, Code: "MS", NoPlan: true},
		{Name: County, Code: "QS", ParentName: City, Plan: p.Key},
	}
	have, err := a.Accounts.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if slices.Contains(slices.Collect(maps.Values(have)), o.Name) {
			continue
		}
		if _, err := a.Accounts.CreateOrg(ctx, user.System(), o); err != nil {
			return nil, err
		}
	}
	users, err := a.Accounts.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var created []string
	for _, u := range Accounts {
		if slices.ContainsFunc(users, func(x *user.User) bool { return x.Username == u.Username }) {
			continue
		}
		if _, err := a.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: u.Org, Department: u.Department, Username: u.Username,
			DisplayName: u.DisplayName, Title: u.Title, Roles: u.Roles, Password: password}); err != nil {
			return created, err
		}
		created = append(created, u.Username)
	}
	return created, nil
}
