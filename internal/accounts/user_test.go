package accounts_test

import (
	"testing"

	"yingji/internal/accounts"
	"yingji/internal/errs"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// A role that no plan and no part of the software knows is refused.
func TestUnknownRoleRefused(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	_, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Username: "typo", DisplayName: "x",
		Roles: []string{"duty_oficer"}, Password: testkit.Password})
	testkit.WantCode(t, err, errs.Invalid)
	u, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "眉山市公安局", Username: "ok2", DisplayName: "x",
		Roles: []string{" city_deputy"}, Password: testkit.Password})
	if err != nil || u.Roles[0] != "city_deputy" {
		t.Fatalf("trimmed plan role: %v %v", u, err)
	}
}
