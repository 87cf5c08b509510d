package store_test

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"yingji/internal/audit"
	"yingji/internal/duty"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/registry"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/store/storetest"
	"yingji/internal/user"
)

// The store contract, the same on SQLite and PostgreSQL: per noun, what a
// write transaction (Tx) stores is what a read (Q) returns; a transaction
// that fails in the middle leaves nothing behind; constraint violations
// come back as the same errs code on both; and the audit chain covers the
// state rows it should.

// A contract case writes one thing of its noun and reads it back by the id
// the write returned. read answers NotFound when the thing is not there.
type contractCase struct {
	noun  string
	table string // the covered table the thing's row is in, "" when not covered
	write func(tx *store.Tx, w *storetest.World) (int64, error)
	read  func(q *store.Q, w *storetest.World, id int64) error
}

// same compares what was read with what was written.
func same(what string, got, want any) error {
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s read back\n got %+v\nwant %+v", what, got, want)
	}
	return nil
}

// match compares what a read returned with what was written.
func match[T any](what string, want T) func(T, error) error {
	return func(got T, err error) error {
		if err != nil {
			return err
		}
		return same(what, got, want)
	}
}

var errAbsent = errs.New(errs.NotFound, "test.absent")

var contractCases = func() []contractCase {
	// Each case keeps what it wrote here, to compare the read with.
	var (
		in   *incident.Incident
		ent  *incident.Entry
		ap   *incident.Approval
		task *incident.Task
		rep  *report.Report
		sh   *duty.Shift
		le   *duty.LogEntry
		unit *registry.Unit
		site *registry.Website
		usr  *user.User
		msg  *store.Message
	)
	due := storetest.Start.Add(2 * time.Hour)
	return []contractCase{
		{"incident", "incidents",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				var err error
				in, err = w.NewIncident(tx, "县政府门户网站遭受DDoS攻击")
				return in.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("incident", in)(q.Incident(id))
			}},
		{"timeline entry", "timeline",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				in, err := w.NewIncident(tx, "门户网站被篡改")
				if err != nil {
					return 0, err
				}
				// Escapes and quotes take decodeFlat's slow path; plain text its fast one.
				ent = &incident.Entry{IncidentID: in.ID, ActorID: w.User.ID, Kind: incident.EntryKind("note"),
					Data: map[string]string{"text": "已启用流量清洗", "note": `带"引号"的\说明`}}
				err = tx.AddEntry(ent)
				ent.Actor = w.User.DisplayName // read joins the actor's name
				return ent.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				list, err := q.Timeline(ent.IncidentID, 0, 0)
				if err != nil {
					return err
				}
				for _, e := range list {
					if e.ID == id {
						return same("entry", e, ent)
					}
				}
				return errAbsent
			}},
		{"approval", "approvals",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				in, err := w.NewIncident(tx, "勒索病毒感染")
				if err != nil {
					return 0, err
				}
				ap = &incident.Approval{IncidentID: in.ID, Kind: incident.KindActivation, FromStatus: incident.Reported, Reason: "影响政务服务", RequestedBy: w.User.ID}
				return ap.ID, tx.CreateApproval(ap)
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("approval", ap)(q.Approval(id))
			}},
		{"task", "tasks",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				in, err := w.NewIncident(tx, "数据泄露")
				if err != nil {
					return 0, err
				}
				task = &incident.Task{IncidentID: in.ID, Phase: "response", TemplateKey: "isolate", Title: "隔离受感染主机",
					Department: "cyber", AssigneeID: w.User.ID, DueAt: &due, Status: incident.TaskTodo}
				err = tx.CreateTask(task)
				return task.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("task", task)(q.Task(task.IncidentID, id))
			}},
		{"report", "reports",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				in, err := w.NewIncident(tx, "网站遭受攻击")
				if err != nil {
					return 0, err
				}
				rep = &report.Report{Report: incident.Report{IncidentID: in.ID, Kind: "initial", Seq: 1, Title: "首报", Body: "经初步核查……",
					AuthorID: w.User.ID, Status: "draft", DueAt: &due}, Sources: []int64{3, 5}, LastEntryID: 5, Recipients: []string{"市局网安支队"}}
				err = tx.CreateReport(rep)
				return rep.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				got, err := q.Report(id)
				if err != nil {
					return err
				}
				if got.Title != rep.Title || got.Body != rep.Body || got.Status != rep.Status || got.Version != 1 ||
					!reflect.DeepEqual(got.Sources, rep.Sources) || !reflect.DeepEqual(got.Recipients, rep.Recipients) ||
					got.DueAt == nil || !got.DueAt.Equal(due) || !got.CreatedAt.Equal(rep.CreatedAt) {
					return same("report", got, rep)
				}
				return nil
			}},
		{"duty shift", "duty_shifts",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				sh = &duty.Shift{OrgID: w.Org.ID, Kind: duty.FullDay, Start: storetest.Start, End: storetest.Start.Add(24 * time.Hour),
					LeaderID: w.User.ID, OfficerIDs: []int64{w.User.ID}, Note: "节日加强值守"}
				err := tx.CreateShift(sh)
				return sh.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("shift", sh)(q.Shift(id))
			}},
		{"duty log entry", "duty_log",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				le = &duty.LogEntry{OrgID: w.Org.ID, LogFields: duty.LogFields{At: storetest.Start.Add(-time.Hour), Place: "指挥中心", What: "接报网站异常",
					ReporterUnit: "县政务服务中心", ReporterName: "李某", ReporterPhone: "13800000000"}, RecorderID: w.User.ID}
				err := tx.CreateLogEntry(le)
				return le.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("log entry", le)(q.LogEntry(id))
			}},
		{"registry unit", "units",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				unit = &registry.Unit{OrgID: w.Org.ID, Name: "县人民医院", Kind: "medical", CreditCode: "12330000000000000X",
					Region: "城关镇", ContactName: "王某", ContactPhone: "13900000000"}
				err := tx.CreateUnit(unit)
				return unit.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("unit", unit)(q.Unit(id))
			}},
		{"registry website", "websites",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				u := &registry.Unit{OrgID: w.Org.ID, Name: "县教育局", Kind: "government", CreditCode: "11330000000000000Y"}
				if err := tx.CreateUnit(u); err != nil {
					return 0, err
				}
				site = &registry.Website{OrgID: w.Org.ID, UnitID: u.ID, Name: "县教育局门户", Domain: "jyj.example.gov.cn", URL: "https://jyj.example.gov.cn/",
					IPs: []netip.Addr{netip.MustParseAddr("203.0.113.10")}}
				err := tx.CreateWebsite(site)
				site.UnitCode, site.UnitName = u.CreditCode, u.Name // read joins the unit
				return site.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("website", site)(q.Website(id))
			}},
		{"user", "",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				usr = &user.User{OrgID: w.Org.ID, Department: "cyber", Username: "leader", DisplayName: "带班领导", Roles: []string{"leader"}, PasswordHash: "h"}
				err := tx.CreateUser(usr)
				return usr.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				return match("user", usr)(q.User(id))
			}},
		{"session", "",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				s, err := tx.CreateSession(w.User.ID, "token-hash", "csrf", "", storetest.Start.Add(time.Hour))
				if err != nil {
					return 0, err
				}
				return s.ID, nil
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				s, u, err := q.SessionUser("token-hash", storetest.Start.Add(-time.Minute))
				if errs.CodeOf(err) == errs.Unauthorized {
					return errAbsent
				}
				if err != nil {
					return err
				}
				if s.ID != id || u.ID != w.User.ID || s.CSRF != "csrf" {
					return fmt.Errorf("session %+v of user %d", s, u.ID)
				}
				return nil
			}},
		{"outbox message", "",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				msg = &store.Message{Channel: "inapp", RecipientID: w.User.ID, Kind: "incident.reported", Body: `{"key":"notice.reported"}`}
				err := tx.Enqueue(msg)
				return msg.ID, err
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				box, err := q.Inbox(w.User.ID, 10)
				if err != nil {
					return err
				}
				for _, m := range box {
					if m.ID == id {
						return same("message", m, msg)
					}
				}
				return errAbsent
			}},
		{"audit record", "",
			func(tx *store.Tx, w *storetest.World) (int64, error) {
				return 0, tx.Audit(store.AuditEntry{ActorID: w.User.ID, Actor: w.User.Username, Action: "contract.test",
					ObjectType: "org", ObjectID: w.Org.ID, OrgID: w.Org.ID, Detail: map[string]string{"text": "核对"}})
			},
			func(q *store.Q, w *storetest.World, id int64) error {
				recs, err := q.AuditRecords(0, 1000)
				if err != nil {
					return err
				}
				for _, r := range recs {
					if r.Action == "contract.test" {
						if r.Actor != w.User.Username || r.ObjectID != w.Org.ID || r.Detail != `{"text":"核对"}` {
							return fmt.Errorf("audit record %+v", r)
						}
						return nil
					}
				}
				return errAbsent
			}},
	}
}()

// What a Tx writes, a Q reads back the same; the chain covers the state
// rows written, and deleting them behind the store's back names each one.
func TestContractRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, w *storetest.World) {
		var covered []audit.RowProblem
		for _, c := range contractCases {
			var id int64
			w.Write(t, func(tx *store.Tx) error {
				var err error
				id, err = c.write(tx, w)
				return err
			})
			if err := w.DB.Read(w.Ctx, func(q *store.Q) error { return c.read(q, w, id) }); err != nil {
				t.Errorf("%s: %v", c.noun, err)
			}
			if c.table != "" {
				covered = append(covered, audit.RowProblem{Table: c.table, ID: id, Reason: audit.RowMissing})
			}
		}
		res, err := w.DB.VerifyAudit(w.Ctx)
		if err != nil || res.Err != nil || res.Rows < int64(len(covered)) {
			t.Fatalf("chain after the writes: %+v %v", res, err)
		}
		for i := len(covered) - 1; i >= 0; i-- {
			if err := w.DB.Raw(w.Ctx, `DELETE FROM `+covered[i].Table+` WHERE id = ?`, covered[i].ID); err != nil {
				t.Fatalf("%s: %v", covered[i].Table, err)
			}
		}
		res, _ = w.DB.VerifyAudit(w.Ctx)
		var se *audit.StateError
		if !errors.As(res.Err, &se) {
			t.Fatalf("deleted rows not found: %v", res.Err)
		}
		named := map[string]bool{}
		for _, r := range se.Rows {
			named[fmt.Sprintf("%s %d %s", r.Table, r.ID, r.Reason)] = true
		}
		for _, r := range covered {
			if !named[fmt.Sprintf("%s %d %s", r.Table, r.ID, r.Reason)] {
				t.Errorf("deleting %s %d behind the store's back was not named (%v)", r.Table, r.ID, res.Err)
			}
		}
		if len(se.Rows) != len(covered) {
			t.Errorf("%d rows named, %d deleted: %v", len(se.Rows), len(covered), res.Err)
		}
	})
}

var errMidway = errors.New("midway")

// A transaction that fails after writing leaves every table, and the audit
// head, as it found them.
func TestContractRollback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, w *storetest.World) {
		for _, c := range contractCases {
			before, err := w.DB.RowCounts(w.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			err = w.DB.Write(w.Ctx, func(tx *store.Tx) error {
				if id, err = c.write(tx, w); err != nil {
					return err
				}
				return errMidway
			})
			if !errors.Is(err, errMidway) {
				t.Fatalf("%s: %v", c.noun, err)
			}
			after, err := w.DB.RowCounts(w.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("%s: a failed transaction left rows behind:\nbefore %v\nafter  %v", c.noun, before, after)
			}
			if err := w.DB.Read(w.Ctx, func(q *store.Q) error { return c.read(q, w, id) }); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s: read after rollback: %v, want not found", c.noun, err)
			}
		}
	})
}

// Constraint violations come back as the same errs code on both databases,
// and the failed transaction leaves nothing: a duplicate is a Conflict (the
// user can act on it); a broken reference or check is Internal (the use
// case should have refused the input before the database saw it).
func TestContractConstraints(t *testing.T) {
	cases := []struct {
		name string
		want errs.Code
		fn   func(tx *store.Tx, w *storetest.World) error
	}{
		{"duplicate username", errs.Conflict, func(tx *store.Tx, w *storetest.World) error {
			return tx.CreateUser(&user.User{OrgID: w.Org.ID, Username: w.User.Username, PasswordHash: "h"})
		}},
		{"duplicate organisation name", errs.Conflict, func(tx *store.Tx, w *storetest.World) error {
			return tx.CreateOrg(&user.Org{Name: w.Org.Name, Code: "QX", PlanKey: "county"})
		}},
		{"renaming onto another organisation's name", errs.Conflict, func(tx *store.Tx, w *storetest.World) error {
			o := &user.Org{Name: "某县公安局网安大队", Code: "WA", PlanKey: "county", ParentID: w.Org.ID}
			if err := tx.CreateOrg(o); err != nil {
				return err
			}
			return tx.RenameOrg(o.ID, w.Org.Name)
		}},
		{"second pending approval", errs.Conflict, func(tx *store.Tx, w *storetest.World) error {
			in, err := w.NewIncident(tx, "重复申请")
			if err != nil {
				return err
			}
			for range 2 {
				if err := tx.CreateApproval(&incident.Approval{IncidentID: in.ID, Kind: incident.KindActivation, FromStatus: incident.Reported, RequestedBy: w.User.ID}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"duplicate credit code", errs.Conflict, func(tx *store.Tx, w *storetest.World) error {
			for _, name := range []string{"甲单位", "乙单位"} {
				if err := tx.CreateUnit(&registry.Unit{OrgID: w.Org.ID, Name: name, Kind: "other", CreditCode: "91330000000000000Z"}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"updating onto another unit's credit code", errs.Conflict, func(tx *store.Tx, w *storetest.World) error {
			a := &registry.Unit{OrgID: w.Org.ID, Name: "甲单位", Kind: "other", CreditCode: "A1"}
			b := &registry.Unit{OrgID: w.Org.ID, Name: "乙单位", Kind: "other", CreditCode: "B1"}
			if err := tx.CreateUnit(a); err != nil {
				return err
			}
			if err := tx.CreateUnit(b); err != nil {
				return err
			}
			b.CreditCode = "A1"
			return tx.UpdateUnit(b)
		}},
		{"duplicate session token", errs.Conflict, func(tx *store.Tx, w *storetest.World) error {
			for range 2 {
				if _, err := tx.CreateSession(w.User.ID, "same-hash", "c", "", storetest.Start.Add(time.Hour)); err != nil {
					return err
				}
			}
			return nil
		}},
		{"task of no incident", errs.Internal, func(tx *store.Tx, w *storetest.World) error {
			return tx.CreateTask(&incident.Task{IncidentID: 999999, Title: "无主任务", Status: incident.TaskTodo})
		}},
		{"incident level out of range", errs.Internal, func(tx *store.Tx, w *storetest.World) error {
			in, err := w.NewIncident(tx, "级别错误")
			if err != nil {
				return err
			}
			in.Level = 5
			return tx.UpdateIncident(in)
		}},
		{"shift ending before it starts", errs.Internal, func(tx *store.Tx, w *storetest.World) error {
			return tx.CreateShift(&duty.Shift{OrgID: w.Org.ID, Kind: duty.FullDay, Start: storetest.Start, End: storetest.Start.Add(-time.Hour)})
		}},
	}
	storetest.Each(t, func(t *testing.T, w *storetest.World) {
		for _, c := range cases {
			before, err := w.DB.RowCounts(w.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = w.DB.Write(w.Ctx, func(tx *store.Tx) error { return c.fn(tx, w) })
			if err == nil || errs.CodeOf(err) != c.want {
				t.Errorf("%s: %v (code %s), want %s", c.name, err, errs.CodeOf(err), c.want)
			}
			if after, _ := w.DB.RowCounts(w.Ctx); !reflect.DeepEqual(before, after) {
				t.Errorf("%s: the failed transaction left rows behind", c.name)
			}
		}
	})
}
