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

// OrgUsers reads one organisation's accounts, a disabled one too, and
// none of another organisation; no organisation (0) reads nothing, not
// every account.
func TestOrgUsers(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		other := testkit.OtherCounty(t, env)
		duty := env.Users["duty"]
		if err := env.App.Accounts.SetUserDisabled(ctx, user.System(), "xingjing", true); err != nil {
			t.Fatal(err)
		}
		list, err := env.App.Accounts.OrgUsers(ctx, duty.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, u := range list {
			if u.OrgID != duty.OrgID {
				t.Errorf("%s of organisation %d listed", u.Username, u.OrgID)
			}
			seen[u.Username] = true
		}
		if !seen["duty"] || !seen["xingjing"] || seen[other.Username] {
			t.Errorf("listed %v", seen)
		}
		if none, err := env.App.Accounts.OrgUsers(ctx, 0); err != nil || len(none) != 0 {
			t.Errorf("no organisation: %d users, %v", len(none), err)
		}
	})
}
