package main

import (
	"context"
	"flag"
	"fmt"

	"yingji/internal/app"
	"yingji/internal/user"
)

// parseOpen parses an operator command's flags from args (they may follow
// its words) and opens the database: the words and the app, which the
// caller closes (a.Core.DB.Close).
func (d *dbFlags) parseOpen(ctx context.Context, fs *flag.FlagSet, args []string) ([]string, *app.App, error) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, exitError(2)
	}
	a, _, err := d.open(ctx, quietLog())
	if err != nil {
		return nil, nil, err
	}
	return pos, a, nil
}

// orgNamed is the id of the organisation the operator names.
func orgNamed(ctx context.Context, a *app.App, name string) (int64, error) {
	orgs, err := a.Accounts.ManagedOrgs(ctx, user.System())
	if err != nil {
		return 0, err
	}
	for _, o := range orgs {
		if o.Name == name {
			return o.ID, nil
		}
	}
	return 0, fmt.Errorf("no organisation named %q (单位不存在)", name)
}
