// Package storetest opens a real, migrated, otherwise empty store on each
// database kind, with the smallest world a store test needs (one
// organisation, its plan and one user), without the use cases or the demo
// data: what the store promises is tested on the store alone.
package storetest

import (
	"context"
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/store/pgtest"
	"yingji/internal/user"
)

// Kinds are the database kinds every contract test runs against.
var Kinds = []string{"sqlite", "postgres"}

// Start is where a World's clock stands: 2026-11-28 09:00 Asia/Shanghai.
var Start = time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)

// OpenDB opens a fresh database of the given kind, migrated to the newest
// version, closed when the test ends. url is "" for SQLite, dir its data
// directory.
func OpenDB(t testing.TB, kind string) (db *store.DB, url, dir string) {
	t.Helper()
	dir = t.TempDir()
	if kind == "postgres" {
		url = pgtest.New(t)
	}
	db, err := store.Open(context.Background(), url, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, url, dir
}

// World is a bare store with one organisation (with one department), the
// plan it runs and one user in it.
type World struct {
	Kind string
	DB   *store.DB
	Org  *user.Org
	User *user.User
	Plan *store.PlanRow
	Ctx  context.Context
}

// Open returns a World on a fresh database of the given kind; its clock
// stands still at Start.
func Open(t testing.TB, kind string) *World {
	t.Helper()
	db, _, _ := OpenDB(t, kind)
	db.Now = func() time.Time { return Start }
	w := &World{Kind: kind, DB: db, Ctx: context.Background()}
	w.Write(t, func(tx *store.Tx) error {
		w.Plan = &store.PlanRow{Key: "county", Version: "1", SHA256: "0000", Title: "县级预案", Source: []byte("key: county")}
		if _, err := tx.PutPlan(w.Plan); err != nil {
			return err
		}
		w.Org = &user.Org{Name: "某县公安局", Code: "QS", PlanKey: "county"}
		if err := tx.CreateOrg(w.Org); err != nil {
			return err
		}
		if err := tx.CreateDepartment(&user.Department{OrgID: w.Org.ID, Key: "cyber", Name: "网安大队"}); err != nil {
			return err
		}
		w.User = &user.User{OrgID: w.Org.ID, Department: "cyber", Username: "duty", DisplayName: "值班员", Roles: []string{"duty_officer"}, PasswordHash: "x"}
		return tx.CreateUser(w.User)
	})
	return w
}

// Each runs f as a subtest on a fresh World of every kind.
func Each(t *testing.T, f func(t *testing.T, w *World)) {
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) { f(t, Open(t, kind)) })
	}
}

// Write runs fn in one write transaction and fails the test on an error.
func (w *World) Write(t testing.TB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := w.DB.Write(w.Ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// Read runs fn in one read transaction and fails the test on an error.
func (w *World) Read(t testing.TB, fn func(q *store.Q) error) {
	t.Helper()
	if err := w.DB.Read(w.Ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// NewIncident writes a reported incident of the World's organisation in tx.
func (w *World) NewIncident(tx *store.Tx, title string) (*incident.Incident, error) {
	year := tx.Now.Year()
	seq, err := tx.NextIncidentSeq(w.Org.ID, year)
	if err != nil {
		return nil, err
	}
	in := &incident.Incident{OrgID: w.Org.ID, PlanID: w.Plan.ID, Year: year, Seq: seq, Number: incident.FormatNumber(w.Org.Code, year, seq),
		Title: title, Category: "network_attack", GBClass: "NAI", Level: 3, Status: incident.Reported,
		DiscoveredAt: tx.Now.Add(-10 * time.Minute), DiscoveryMethod: "网站监测告警", Description: "访问中断", ReporterID: w.User.ID}
	return in, tx.CreateIncident(in)
}
