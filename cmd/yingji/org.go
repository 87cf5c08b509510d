package main

import (
	"context"
	"fmt"
	"strings"

	"yingji/internal/accounts"
	"yingji/internal/app"
	"yingji/internal/user"
)

// orgCmd manages organisations and departments from the server's command
// line, as the operator (the console and API do the same as the system
// administrator): a city with several counties needs no SQL.
func orgCmd(ctx context.Context, args []string) error {
	fs, d, err := subFlags("org", args)
	if err != nil {
		return err
	}
	name := fs.String("name", "", "organisation (or department) name, e.g. 丹棱县公安局")
	code := fs.String("code", "", "organisation code, the incident number prefix, e.g. DL")
	parent := fs.String("parent", "", "superior organisation's name, e.g. 眉山市公安局")
	planKey := fs.String("plan", "", "key of a loaded plan (default: the shipped plan)")
	noPlan := fs.Bool("no-plan", false, "a superior bureau that runs no plan of its own")
	pos, a, err := d.parseOpen(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer a.Core.DB.Close()
	find := func(n string) (int64, error) { return orgNamed(ctx, a, n) }
	switch args[0] {
	case "add":
		o, err := a.Accounts.CreateOrg(ctx, user.System(), accounts.NewOrg{Name: *name, Code: *code, ParentName: *parent, Plan: *planKey, NoPlan: *noPlan})
		if err != nil {
			return err
		}
		fmt.Printf("已创建单位 %s (id %d，代码 %s，预案 %s)\n", o.Name, o.ID, o.Code, orDash(o.PlanKey))
		return nil
	case "list":
		orgs, err := a.Accounts.ManagedOrgs(ctx, user.System())
		if err != nil {
			return err
		}
		names := map[int64]string{}
		for _, o := range orgs {
			names[o.ID] = o.Name
		}
		for _, o := range orgs {
			var deps []string
			for _, dp := range o.Departments {
				deps = append(deps, dp.Key)
			}
			fmt.Printf("%-4d %-6s %s\t上级 %s\t预案 %s\t部门 %s\n", o.ID, o.Code, o.Name, orDash(names[o.ParentID]), orDash(o.PlanKey), orDash(strings.Join(deps, ",")))
		}
		return nil
	case "rename":
		if len(pos) != 1 || *name == "" {
			return fmt.Errorf("usage: yingji org rename ORG --name NEW")
		}
		id, err := find(pos[0])
		if err != nil {
			return err
		}
		if err := a.Accounts.RenameOrg(ctx, user.System(), id, *name); err != nil {
			return err
		}
		fmt.Printf("已将 %s 改名为 %s\n", pos[0], *name)
		return nil
	case "department", "dept":
		if len(pos) != 2 || *name == "" {
			return fmt.Errorf("usage: yingji org department ORG KEY --name NAME   (creates it, or renames it if KEY exists)")
		}
		id, err := find(pos[0])
		if err != nil {
			return err
		}
		created, err := a.Accounts.SaveDepartment(ctx, user.System(), id, pos[1], *name)
		if err != nil {
			return err
		}
		verb := "已更名"
		if created {
			verb = "已创建"
		}
		fmt.Printf("%s部门 %s %s（%s）\n", verb, pos[1], *name, pos[0])
		return nil
	}
	return fmt.Errorf("unknown org command %q", args[0])
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// userAdminCmd disables, enables, unlocks an account or sets its roles, as
// the operator. It is how the first security and audit administrators are
// named after migration 008 made the first release's admin the system
// administrator.
func userAdminCmd(ctx context.Context, a *app.App, cmd string, pos []string, roles string) error {
	if len(pos) != 1 {
		return fmt.Errorf("usage: yingji user %s USERNAME", cmd)
	}
	var err error
	switch cmd {
	case "disable", "enable":
		err = a.Accounts.SetUserDisabled(ctx, user.System(), pos[0], cmd == "disable")
	case "unlock":
		err = a.Accounts.UnlockUser(ctx, user.System(), pos[0])
	case "roles":
		err = a.Accounts.SetUserRoles(ctx, user.System(), pos[0], strings.Split(roles, ","))
	}
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s 完成\n", pos[0], cmd)
	return nil
}
