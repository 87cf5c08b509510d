package accounts_test

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/app"
	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

func userNamed(t *testing.T, env *testkit.Env, name string) *user.User {
	t.Helper()
	var u *user.User
	if err := env.DB.Read(ctx, func(q *store.Q) error { var err error; u, err = q.UserByName(name); return err }); err != nil {
		t.Fatal(err)
	}
	return u
}

// secondCounty adds 丹棱县公安局 under the city, with one of each administrator.
func secondCounty(t *testing.T, env *testkit.Env) {
	t.Helper()
	if _, err := env.App.Accounts.CreateOrg(ctx, user.System(), accounts.NewOrg{Name: "丹棱县公安局", Code: "DL", ParentName: "眉山市公安局"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct{ name, role string }{{"dlsys", user.RoleSystemAdmin}, {"dlsec", user.RoleSecurityAdmin},
		{"dlaudit", user.RoleAuditAdmin}, {"dlduty", user.RoleDutyOfficer}} {
		if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "丹棱县公安局", Username: a.name, DisplayName: "丹棱" + a.name,
			Roles: []string{a.role}, Password: testkit.Password}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAdminScope is finding 7: another county's administrator read 青神's
// incident titles, descriptions and users through the audit records and the
// admin page. Administrators now see their organisation and those below it.
func TestAdminScope(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		secondCounty(t, env)
		in := testkit.NewIncident(t, env, "network_attack")
		qs := in.OrgID

		recs, err := env.App.AuditLog.AuditRecords(ctx, userNamed(t, env, "dlaudit"), 0, 1000)
		if err != nil || len(recs) == 0 {
			t.Fatalf("county auditor: %d records, %v", len(recs), err)
		}
		for _, r := range recs {
			if r.OrgID == qs || r.OrgID == 0 || strings.Contains(r.Detail, in.Title) || strings.Contains(r.Detail, in.Description) {
				t.Fatalf("丹棱's auditor reads %+v", r)
			}
		}
		recs, err = env.App.AuditLog.AuditRecords(ctx, env.Users["auditor"], 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var sawQS, sawDL, sawNone bool
		for _, r := range recs {
			sawQS = sawQS || strings.Contains(r.Detail, in.Title)
			sawDL = sawDL || strings.Contains(r.Detail, "dlsys")
			sawNone = sawNone || r.OrgID == 0
		}
		if !sawQS || !sawDL || !sawNone {
			t.Fatalf("the city's auditor sees 青神 %v, 丹棱 %v, unowned %v", sawQS, sawDL, sawNone)
		}

		for _, name := range []string{"dlsys", "dlsec"} {
			users, err := env.App.Accounts.ManagedUsers(ctx, userNamed(t, env, name))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range users {
				if u.OrgID == qs || u.Username == "citydeputy" {
					t.Fatalf("%s sees %s", name, u.Username)
				}
			}
			orgs, err := env.App.Accounts.ManagedOrgs(ctx, userNamed(t, env, name))
			if err != nil || len(orgs) != 1 || orgs[0].Name != "丹棱县公安局" {
				t.Fatalf("%s manages %v %v", name, orgs, err)
			}
			a, err := env.App.Dashboard.AdminOverview(ctx, userNamed(t, env, name))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range a.Users {
				if u.OrgID == qs {
					t.Fatalf("%s's overview lists %s", name, u.Username)
				}
			}
		}
		if users, _ := env.App.Accounts.ManagedUsers(ctx, env.Users["admin"]); len(users) < 10 {
			t.Fatalf("the city's system administrator sees %d users", len(users))
		}

		// Acting across counties is refused as if the account did not exist, and writes nothing.
		n := testkit.AuditCount(t, env)
		testkit.WantCode(t, env.App.Accounts.SetUserDisabled(ctx, userNamed(t, env, "dlsys"), "duty", true), errs.Invalid)
		testkit.WantCode(t, env.App.Accounts.SetUserRoles(ctx, userNamed(t, env, "dlsec"), "duty", []string{"group_leader"}), errs.Invalid)
		testkit.WantCode(t, env.App.Accounts.UnlockUser(ctx, userNamed(t, env, "dlsec"), "duty"), errs.Invalid)
		testkit.WantCode(t, env.App.Accounts.RenameOrg(ctx, userNamed(t, env, "dlsys"), qs, "改名"), errs.NotFound)
		_, err = env.App.Accounts.CreateUser(ctx, userNamed(t, env, "dlsys"), accounts.NewUser{Org: "青神县公安局", Username: "sneaky", DisplayName: "x", Password: "long-enough-1"})
		testkit.WantCode(t, err, errs.Invalid)
		// A county's administrator cannot create a sibling county under the city.
		city := userNamed(t, env, "citydeputy").OrgID
		_, err = env.App.Accounts.CreateOrg(ctx, userNamed(t, env, "dlsys"), accounts.NewOrg{Name: "洪雅县公安局", Code: "HY", ParentID: city})
		testkit.WantCode(t, err, errs.Invalid)
		if testkit.AuditCount(t, env) != n {
			t.Fatal("a refused request wrote to the audit log")
		}
	})
}

// TestThreeAdministrators: the system, security and audit administrators
// each do their own work and none can do another's (三员分立); nobody else
// does any of it.
func TestThreeAdministrators(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		qs := env.Users["duty"].OrgID
		env.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetLoginFailures(env.Users["xingjing"].ID, 3, 0) })
		station, err := env.App.Accounts.CreateOrg(ctx, user.System(), accounts.NewOrg{Name: "青神县公安局城区派出所", Code: "QSCQ", ParentID: qs, NoPlan: true})
		if err != nil || station.PlanKey != "" {
			t.Fatal(station, err)
		}
		actions := []struct {
			name string
			do   func(u *user.User) error
		}{
			{"create org", func(u *user.User) error {
				_, err := env.App.Accounts.CreateOrg(ctx, u, accounts.NewOrg{Name: "洪雅县公安局" + u.Username, Code: "HY" + strings.ToUpper(u.Username[:2]), ParentID: qs})
				return err
			}},
			{"rename org", func(u *user.User) error {
				return env.App.Accounts.RenameOrg(ctx, u, station.ID, "城区派出所"+u.Username)
			}},
			{"department", func(u *user.User) error {
				_, err := env.App.Accounts.SaveDepartment(ctx, u, qs, "d"+u.Username, "部门")
				return err
			}},
			{"create user", func(u *user.User) error {
				_, err := env.App.Accounts.CreateUser(ctx, u, accounts.NewUser{Org: "青神县公安局", Username: "n" + u.Username, DisplayName: "新用户", Password: "long-enough-1"})
				return err
			}},
			{"disable", func(u *user.User) error { return env.App.Accounts.SetUserDisabled(ctx, u, "jj"+u.Username, true) }},
			{"roles", func(u *user.User) error {
				return env.App.Accounts.SetUserRoles(ctx, u, "jj"+u.Username, []string{"group_member"})
			}},
			{"unlock", func(u *user.User) error { return env.App.Accounts.UnlockUser(ctx, u, "xingjing") }},
			{"list users", func(u *user.User) error { _, err := env.App.Accounts.ManagedUsers(ctx, u); return err }},
			{"read audit", func(u *user.User) error { _, err := env.App.AuditLog.AuditRecords(ctx, u, 0, 10); return err }},
		}
		allowed := map[string][]string{
			"admin":    {"create org", "rename org", "department", "create user", "disable", "list users"},
			"secadmin": {"roles", "unlock", "list users"},
			"auditor":  {"read audit"},
		}
		for _, who := range []string{"admin", "secadmin", "auditor", "duty", "chief", "citydeputy"} {
			if _, err := env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Username: "jj" + who, DisplayName: "交警", Password: "long-enough-1"}); err != nil {
				t.Fatal(err)
			}
			u := env.Users[who]
			for _, a := range actions {
				n := testkit.AuditCount(t, env)
				err := a.do(u)
				if slices.Contains(allowed[who], a.name) {
					if err != nil {
						t.Fatalf("%s may %s: %v", who, a.name, err)
					}
					continue
				}
				testkit.WantCode(t, err, errs.Forbidden)
				if testkit.AuditCount(t, env) != n {
					t.Fatalf("%s's refused %s wrote to the audit log", who, a.name)
				}
			}
		}
		if u := userNamed(t, env, "xingjing"); u.FailedLogins != 0 {
			t.Fatal("unlock did not reset the failures")
		}

		sec := env.Users["secadmin"]
		// An administrator's role is held alone; the old single "admin" is no longer given.
		for _, roles := range [][]string{{user.RoleSystemAdmin, user.RoleAuditAdmin}, {user.RoleAuditAdmin, user.RoleDutyOfficer}, {user.RoleLegacyAdmin}, {"nonsense"}} {
			err := env.App.Accounts.SetUserRoles(ctx, sec, "duty", roles)
			if e := errs.As(err); e.Code != errs.Invalid || e.Field != "roles" {
				t.Fatalf("roles %v: %v", roles, err)
			}
			_, err = env.App.Accounts.CreateUser(ctx, user.System(), accounts.NewUser{Org: "青神县公安局", Username: "mix", DisplayName: "x", Roles: roles, Password: "long-enough-1"})
			testkit.WantCode(t, err, errs.Invalid)
		}
		// Nobody changes his own roles or disables himself.
		testkit.WantCode(t, env.App.Accounts.SetUserRoles(ctx, sec, "secadmin", []string{user.RoleSystemAdmin}), errs.Forbidden)
		testkit.WantCode(t, env.App.Accounts.SetUserDisabled(ctx, env.Users["admin"], "admin", true), errs.Forbidden)
		// The system administrator creates accounts but does not grant roles.
		_, err = env.App.Accounts.CreateUser(ctx, env.Users["admin"], accounts.NewUser{Org: "青神县公安局", Username: "withrole", DisplayName: "x",
			Roles: []string{user.RoleDutyOfficer}, Password: "long-enough-1"})
		if e := errs.As(err); e.Code != errs.Invalid || e.Field != "roles" {
			t.Fatalf("system admin granting a role: %v", err)
		}
		// The security administrator grants one.
		if err := env.App.Accounts.SetUserRoles(ctx, sec, "jjduty", []string{user.RoleAuditAdmin}); err != nil {
			t.Fatal(err)
		}
		if u := userNamed(t, env, "jjduty"); !slices.Equal(u.Roles, []string{user.RoleAuditAdmin}) {
			t.Fatalf("roles %v", u.Roles)
		}
		// Administrators are not offered as assignees of incident tasks.
		in := testkit.NewIncident(t, env, "network_attack")
		pg, err := env.App.Dashboard.IncidentPage(ctx, env.Users["duty"], in.ID, 0, 0)
		if err == nil {
			for _, a := range pg.Assignees {
				if a.IsAdministrator() {
					t.Fatalf("assignee %s is an administrator", a.Username)
				}
			}
		}
		testkit.AuditCount(t, env) // verifies the chain
	})
}

// TestDisableUser: a disabled account cannot log in and its sessions and
// tokens stop at once; enabling it brings no old token back; it is audited
// and the account stays.
func TestDisableUser(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		sess, err := env.App.Accounts.Login(ctx, "duty", testkit.Password, "test")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := env.App.Accounts.IssueToken(ctx, user.System(), "duty", "t", 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.App.Accounts.SetUserDisabled(ctx, env.Users["admin"], "duty", true); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Accounts.SessionUser(ctx, sess.Token)
		testkit.WantCode(t, err, errs.Unauthorized)
		_, err = env.App.Accounts.Authenticate(ctx, tok)
		testkit.WantCode(t, err, errs.Unauthorized)
		_, err = env.App.Accounts.Login(ctx, "duty", testkit.Password, "test")
		testkit.WantCode(t, err, errs.Unauthorized)

		if err := env.App.Accounts.SetUserDisabled(ctx, env.Users["admin"], "duty", false); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Accounts.Login(ctx, "duty", testkit.Password, "test"); err != nil {
			t.Fatalf("enabled again: %v", err)
		}
		_, err = env.App.Accounts.Authenticate(ctx, tok)
		testkit.WantCode(t, err, errs.Unauthorized) // revoked, not merely suspended

		recs, err := env.App.AuditLog.AuditRecords(ctx, env.Users["auditor"], 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range recs {
			if r.Actor == "admin" {
				actions = append(actions, r.Action)
			}
		}
		if !slices.Equal(actions, []string{"user.disable", "user.enable"}) {
			t.Fatalf("audited %v", actions)
		}
	})
}

// TestCreateCounty: a city with several counties is set up without SQL. The
// city's system administrator creates a county with the shipped plan and its
// departments, an account in it; the security administrator grants a role;
// the new user registers an incident numbered with the county's code.
func TestCreateCounty(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		adm, sec := env.Users["admin"], env.Users["secadmin"]
		city := env.Users["citydeputy"].OrgID
		for _, c := range []struct {
			no    accounts.NewOrg
			field string
		}{
			{accounts.NewOrg{Name: "", Code: "HY", ParentID: city}, "name"},
			{accounts.NewOrg{Name: "洪雅县公安局", Code: "hy", ParentID: city}, "code"},
			{accounts.NewOrg{Name: "洪雅县公安局", Code: "QS", ParentID: city}, "code"},
			{accounts.NewOrg{Name: "青神县公安局", Code: "HY", ParentID: city}, "name"},
			{accounts.NewOrg{Name: "洪雅县公安局", Code: "HY"}, "parent"},
			{accounts.NewOrg{Name: "洪雅县公安局", Code: "HY", ParentID: city, Plan: "nope"}, "plan"},
			{accounts.NewOrg{Name: "洪雅\x00县", Code: "HY", ParentID: city}, "name"},
		} {
			_, err := env.App.Accounts.CreateOrg(ctx, adm, c.no)
			if e := errs.As(err); e.Code != errs.Invalid || e.Field != c.field {
				t.Fatalf("%+v: %v, want field %s", c.no, err, c.field)
			}
		}
		o, err := env.App.Accounts.CreateOrg(ctx, adm, accounts.NewOrg{Name: "洪雅县公安局", Code: "HY", ParentID: city})
		if err != nil {
			t.Fatal(err)
		}
		if o.PlanKey != env.Plan.Key || o.ParentID != city {
			t.Fatalf("org %+v", o)
		}
		orgs, _ := env.App.Accounts.ManagedOrgs(ctx, adm)
		for _, x := range orgs {
			if x.ID == o.ID && len(x.Departments) != len(env.Plan.Departments) {
				t.Fatalf("%d departments", len(x.Departments))
			}
		}
		if err := env.App.Accounts.RenameOrg(ctx, adm, o.ID, "洪雅县公安局（新）"); err != nil {
			t.Fatal(err)
		}
		if created, err := env.App.Accounts.SaveDepartment(ctx, adm, o.ID, "fanzha", "反诈中心"); err != nil || !created {
			t.Fatal(created, err)
		}
		if created, err := env.App.Accounts.SaveDepartment(ctx, adm, o.ID, "fanzha", "反电诈中心"); err != nil || created {
			t.Fatal(created, err)
		}
		_, err = env.App.Accounts.SaveDepartment(ctx, adm, o.ID, "反诈", "x")
		testkit.WantCode(t, err, errs.Invalid)

		if _, err := env.App.Accounts.CreateUser(ctx, adm, accounts.NewUser{Org: "洪雅县公安局（新）", Department: "fanzha", Username: "hyduty",
			DisplayName: "洪雅值班员", Password: "long-enough-1"}); err != nil {
			t.Fatal(err)
		}
		if err := env.App.Accounts.SetUserRoles(ctx, sec, "hyduty", []string{user.RoleDutyOfficer}); err != nil {
			t.Fatal(err)
		}
		in, err := env.App.Incidents.CreateIncident(ctx, userNamed(t, env, "hyduty"), incidents.NewIncident{Title: "洪雅县某网站被篡改", Category: "network_attack",
			Level: 4, DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if in.Number != "HY-2026-001" || in.OrgID != o.ID {
			t.Fatalf("incident %s in org %d", in.Number, in.OrgID)
		}
		// 青神's numbering is its own.
		if qs := testkit.NewIncident(t, env, "network_attack"); qs.Number != "QS-2026-001" {
			t.Fatalf("青神 number %s", qs.Number)
		}
	})
}

// TestRelease1Admin: a database from the first release opens, migration 008
// turns its "admin" into the system administrator, the chain still verifies
// against the release's anchor, and that administrator still manages users.
func TestRelease1Admin(t *testing.T) {
	dir := t.TempDir()
	src, err := os.Open(filepath.Join("..", "store", "testdata", "release-1", "yingji.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(filepath.Join(dir, "yingji.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	user.BcryptCost = 4
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := app.New(db, nil)
	anchor, _ := audit.ParseAnchor("139:acd075c103e959ba49f16e60e1d783ed537e1a33024cc0df0c1d5a51e1d019f1")
	if res, err := a.AuditLog.VerifyAudit(ctx, anchor); err != nil || res.Err != nil {
		t.Fatalf("verify: %v %v", err, res.Err)
	}
	var admin *user.User
	db.Read(ctx, func(q *store.Q) error { admin, err = q.UserByName("admin"); return err })
	if err != nil || !slices.Equal(admin.Roles, []string{user.RoleSystemAdmin}) {
		t.Fatalf("admin after migration: %v %v", admin, err)
	}
	if _, err := a.Accounts.CreateUser(ctx, admin, accounts.NewUser{Org: "青神县公安局", Username: "newbie", DisplayName: "新同志", Password: "long-enough-1"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Accounts.SetUserDisabled(ctx, admin, "jj", true); err != nil {
		t.Fatal(err)
	}
	users, err := a.Accounts.ManagedUsers(ctx, admin)
	if err != nil || len(users) < 9 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	// The documented path to the other two: the operator names them.
	if err := a.Accounts.SetUserRoles(ctx, user.System(), "newbie", []string{user.RoleSecurityAdmin}); err != nil {
		t.Fatal(err)
	}
	_, err = a.AuditLog.AuditRecords(ctx, admin, 0, 10)
	testkit.WantCode(t, err, errs.Forbidden)
	if res, err := a.AuditLog.VerifyAudit(ctx, anchor); err != nil || res.Err != nil {
		t.Fatalf("verify after: %v %v", err, res.Err)
	}
}

// TestMigration008 runs the role conversion again on both databases: "admin"
// becomes "system_admin" wherever it stands in the list, and nothing else
// changes.
func TestMigration008(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		for _, q := range []string{
			`UPDATE users SET roles = 'admin' WHERE username = 'chief'`,
			`UPDATE users SET roles = 'duty_officer,admin' WHERE username = 'duty'`,
			`UPDATE users SET roles = 'administrator' WHERE username = 'deputy'`,
			`DELETE FROM schema_migrations WHERE version = 8`,
		} {
			if err := env.DB.Raw(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		db, err := store.Open(ctx, env.URL, env.Dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for name, want := range map[string]string{"chief": "system_admin", "duty": "duty_officer,system_admin", "deputy": "administrator",
			"xingjing": "group_member", "admin": "system_admin"} {
			var u *user.User
			if err := db.Read(ctx, func(q *store.Q) error { var err error; u, err = q.UserByName(name); return err }); err != nil {
				t.Fatal(err)
			}
			if got := user.JoinRoles(u.Roles); got != want {
				t.Errorf("%s: %q, want %q", name, got, want)
			}
		}
	})
}
