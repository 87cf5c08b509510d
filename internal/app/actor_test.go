package app_test

import (
	"testing"

	"yingji/internal/accounts"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// A nil actor once meant the system and skipped the permission checks; now
// the use cases that accepted it refuse it as an internal error and change
// nothing, while user.System() does what nil did, with audit records that
// read as the system's always have (actor "system", actor id 0).
func TestNilActorRefused(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		county := env.Users["duty"].OrgID
		before := testkit.AuditCount(t, env)
		nu := accounts.NewUser{Org: "青神县公安局", Username: "sysmade", DisplayName: "系统建", Password: testkit.Password}
		refused := map[string]error{}
		_, refused["CreateUser"] = env.App.Accounts.CreateUser(ctx, nil, nu)
		_, refused["CreateOrg"] = env.App.Accounts.CreateOrg(ctx, nil, accounts.NewOrg{Name: "丹棱县公安局", Code: "DL", ParentName: "眉山市公安局"})
		_, refused["ManagedOrgs"] = env.App.Accounts.ManagedOrgs(ctx, nil)
		_, refused["ManagedUsers"] = env.App.Accounts.ManagedUsers(ctx, nil)
		refused["ResetTOTP"] = env.App.Accounts.ResetTOTP(ctx, nil, "admin")
		refused["SetUserRoles"] = env.App.Accounts.SetUserRoles(ctx, nil, "duty", []string{user.RoleDutyOfficer})
		_, refused["IssueToken"] = env.App.Accounts.IssueToken(ctx, nil, "duty", "t", 0)
		_, refused["Tokens"] = env.App.Accounts.Tokens(ctx, nil, "duty")
		refused["CreateUnit"] = env.App.Units.CreateUnit(ctx, nil, county, testkit.Unit(1, "系统单位"))
		_, refused["DutyNow"] = env.App.Rota.DutyNow(ctx, nil, county)
		for name, err := range refused {
			if errs.CodeOf(err) != errs.Internal {
				t.Errorf("%s with a nil actor: %v, want an internal error", name, err)
			}
		}
		if n := testkit.AuditCount(t, env); n != before {
			t.Fatalf("nil actors wrote %d audit records", n-before)
		}

		u, err := env.App.Accounts.CreateUser(ctx, user.System(), nu)
		if err != nil {
			t.Fatal(err)
		}
		var last []*auditRecord
		err = env.DB.Read(ctx, func(q *store.Q) error {
			recs, err := q.AuditRecords(before, 10)
			for _, r := range recs {
				last = append(last, &auditRecord{r.ActorID, r.Actor, r.Action, r.ObjectID})
			}
			return err
		})
		if err != nil || len(last) != 1 || *last[0] != (auditRecord{0, "system", "user.create", u.ID}) {
			t.Fatalf("the system's record: %v %v", last, err)
		}
	})
}

type auditRecord struct {
	ActorID  int64
	Actor    string
	Action   string
	ObjectID int64
}
