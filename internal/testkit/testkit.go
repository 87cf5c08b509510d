// Package testkit sets up a real database with the demo world for tests:
// a SQLite file in a temporary directory, or a fresh PostgreSQL database.
package testkit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"yingji/internal/app"
	"yingji/internal/demo"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/store/storetest"
	"yingji/internal/user"
	"yingji/plans"
)

// Password is every demo user's password in tests.
const Password = "test-password-1"

// Kinds are the database kinds every contract test runs against.
var Kinds = storetest.Kinds

// Clock is a controllable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the current fake time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Env is a ready service with the demo world.
type Env struct {
	App   *app.App
	DB    *store.DB
	Plan  *plan.Plan
	Clock *Clock
	Users map[string]*user.User
	URL   string // the database URL ("" for SQLite)
	Dir   string // the SQLite data directory
}

// DefaultPlan parses the shipped plan.
func DefaultPlan(t testing.TB) (*plan.Plan, []byte) {
	t.Helper()
	data, err := plans.FS.ReadFile(plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Parse("plans/"+plans.Default, data)
	if err != nil {
		t.Fatal(err)
	}
	return p, data
}

// Open returns an Env on a fresh database of the given kind; the clock starts
// at 2026-11-28 09:00 Asia/Shanghai.
func Open(t testing.TB, kind string) *Env {
	t.Helper()
	user.BcryptCost = 4 // the minimum: tests create many accounts
	ctx := context.Background()
	db, url, dir := storetest.OpenDB(t, kind)
	env := &Env{URL: url, Dir: dir}
	env.Clock = NewClock(storetest.Start)
	db.Now = env.Clock.Now
	env.DB = db
	env.App = app.New(db, nil)
	var data []byte
	env.Plan, data = DefaultPlan(t)
	if _, _, err := env.App.Plans.InstallPlan(ctx, user.System(), "plans/"+plans.Default, data); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Ensure(ctx, env.App, env.Plan, Password); err != nil {
		t.Fatal(err)
	}
	env.Users = map[string]*user.User{}
	err := db.Read(ctx, func(q *store.Q) error {
		for _, a := range demo.Accounts {
			u, err := q.UserByName(a.Username)
			if err != nil {
				return err
			}
			env.Users[a.Username] = u
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	EnrolRequiredTOTP(t, env)
	return env
}

// TOTPSecret is the second-factor secret of the demo users who must have
// one (admin, leaders, approvers), in tests: a browser test computes their
// codes from it.
const TOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// EnrolRequiredTOTP enrols every demo user whom the rules require to have a
// second factor, with TOTPSecret, as each would have on first login. The
// rule itself is not relaxed: logging in as them still needs a code
// (TOTPCode).
func EnrolRequiredTOTP(t testing.TB, env *Env) {
	t.Helper()
	for _, a := range demo.Accounts {
		AddUser(t, env, a.Username)
	}
}

// AddUser makes an account a test created known to env (env.Users) and,
// when the rules require it a second factor, enrols it with TOTPSecret.
func AddUser(t testing.TB, env *Env, username string) *user.User {
	t.Helper()
	err := env.DB.Write(context.Background(), func(tx *store.Tx) error {
		u, err := tx.UserByName(username)
		if err != nil {
			return err
		}
		env.Users[username] = u
		req, err := env.App.Accounts.TOTPRequired(&tx.Q, u)
		if err != nil || !req {
			return err
		}
		if err := tx.StartTOTP(u.ID, TOTPSecret); err != nil {
			return err
		}
		_, err = tx.UseTOTPStep(u.ID, 1, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return env.Users[username]
}

// TOTPCode returns the code of username's authenticator at the test
// clock's time. The clock of a test stands still, while a code is accepted
// only once: so it first forgets the step last used, as if the next 30
// seconds had passed.
func TOTPCode(t testing.TB, env *Env, username string) string {
	t.Helper()
	u := env.Users[username]
	if u == nil {
		t.Fatalf("no demo user %q", username)
	}
	if err := env.DB.Raw(context.Background(), `UPDATE totp SET last_step = 0 WHERE user_id = ?`, u.ID); err != nil {
		t.Fatal(err)
	}
	key, err := user.DecodeTOTPSecret(TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	return user.TOTPCode(key, env.Clock.Now())
}

// Each runs f as a subtest against every database kind.
func Each(t *testing.T, f func(t *testing.T, env *Env)) {
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) { f(t, Open(t, kind)) })
	}
}

// EachB runs f as a sub-benchmark against every database kind.
func EachB(b *testing.B, f func(b *testing.B, env *Env)) {
	for _, kind := range Kinds {
		b.Run(kind, func(b *testing.B) { f(b, Open(b, kind)) })
	}
}

// Golden compares got with the golden file at path and fails naming the
// first line that differs; with update it first rewrites the file. A golden
// file is rewritten only for a change one means, and the diff is reviewed.
func Golden(t testing.TB, path, got string, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			t.Errorf("%s differs at line %d (after a deliberate change: -update, and review the diff)\nwant: %s\ngot:  %s", path, i+1, wl, gl)
			return
		}
	}
}

// CloseOpenTasks closes every task that stands in the way of a termination
// request as not applicable (不适用), with reason, as actor: tests that are
// about something other than the tasks reach termination this way.
func CloseOpenTasks(t testing.TB, env *Env, actor *user.User, incidentID int64, reason string) {
	t.Helper()
	ctx := context.Background()
	open, err := env.App.Incidents.OpenTasksBeforeTermination(ctx, actor, incidentID)
	if err != nil {
		t.Fatal(err)
	}
	na := string(incident.TaskNA)
	for _, tk := range open {
		if _, err := env.App.Incidents.UpdateTask(ctx, actor, incidentID, tk.ID, incidents.TaskPatch{Status: &na, Reason: &reason}); err != nil {
			t.Fatalf("closing task %q as not applicable: %v", tk.Title, err)
		}
	}
}

// SubmitSummary files the 处置工作总结 of a terminated incident as the duty
// officer, has the 组长 sign it and submits it, which closes the incident.
func SubmitSummary(t testing.TB, env *Env, incidentID int64) {
	t.Helper()
	ctx, duty := context.Background(), env.Users["duty"]
	sum, err := env.App.Reports.FileSummary(ctx, duty, incidentID, "", "处置工作总结正文")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Reports.SignReport(ctx, env.Users["chief"], sum.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Reports.SubmitReport(ctx, duty, sum.ID); err != nil {
		t.Fatal(err)
	}
}
