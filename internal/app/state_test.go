package app_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"yingji/internal/audit"
	"yingji/internal/duty"
	"yingji/internal/evidence"
	"yingji/internal/exhibits"
	"yingji/internal/incidents"
	"yingji/internal/monitors"
	"yingji/internal/registry"
	"yingji/internal/rota"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/unitreport"
	"yingji/internal/warnings"
)

// stateWorld writes a row into every covered table through the service, as
// people would: roster, swap, handover, sensitive period, duty log turned
// into an incident, activation, tasks, notes, a reminder, a daily report
// drafted, signed and submitted, termination, and the registry by hand and
// by import.
func stateWorld(t *testing.T, env *testkit.Env) {
	t.Helper()
	dutyU, chief, deputy, xing, city := env.Users["duty"], env.Users["chief"], env.Users["deputy"], env.Users["xingjing"], env.Users["citydeputy"]
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	env.Clock.Set(at(28, 7, 0))
	shifts, err := env.App.Rota.CreateRotation(ctx, dutyU, shanghai, rota.RotationInput{Kind: "day_night", First: at(28, 0, 0), Days: 2,
		DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Leaders: []int64{chief.ID, deputy.ID}, Officers: []int64{dutyU.ID, xing.ID}, PerShift: 1})
	must(err)
	night := shifts[1]
	c, err := env.App.Rota.RequestChange(ctx, xing, night.ID, rota.ChangeInput{Role: "officer", FromUserID: night.OfficerIDs[0], ToUserID: dutyU.ID, Reason: "家中有事"})
	must(err)
	_, err = env.App.Rota.DecideChange(ctx, chief, c.ID, true)
	must(err)
	h, err := env.App.Rota.HandOver(ctx, chief, shifts[0].ID, "白班接报2起，均已处置。", []string{"县政府网站异常访问待复核"})
	must(err)
	_, err = env.App.Rota.ConfirmHandover(ctx, dutyU, h.ID)
	must(err)
	must(env.App.Rota.DeclarePeriod(ctx, dutyU, &duty.Period{Name: "县人代会", Start: at(28, 0, 0), End: at(29, 0, 0), Level: "一级", MinLeaders: 1, MinOfficers: 1}))
	extra, err := env.App.Rota.CreateShift(ctx, dutyU, rota.ShiftInput{Kind: "24h", Start: at(5, 8, 0).AddDate(0, 1, 0), End: at(6, 8, 0).AddDate(0, 1, 0), LeaderID: chief.ID})
	must(err)
	must(env.App.Rota.DeleteShift(ctx, dutyU, extra.ID)) // a deletion the chain records as such

	env.Clock.Set(at(28, 9, 0))
	e, _, err := env.App.Rota.AddLog(ctx, dutyU, rota.LogInput{LogFields: duty.LogFields{At: at(28, 8, 55), Place: "青神县", What: "县教育局网站首页被篡改",
		ReporterUnit: "县教育局", ReporterName: "张三", ReporterPhone: "028-38800000"}})
	must(err)
	in, err := env.App.Rota.LogToIncident(ctx, dutyU, e.ID, incidents.NewIncident{Title: "县教育局网站被篡改", Category: env.Plan.Categories[0].Key, Level: 4})
	must(err)
	a, err := env.App.Incidents.RequestActivation(ctx, dutyU, in.ID, "影响扩大")
	must(err)
	env.Clock.Set(at(28, 9, 20))
	_, err = env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意启动预案。"})
	must(err)
	v, err := env.App.Incidents.GetIncident(ctx, dutyU, in.ID)
	must(err)
	doing, done, note := "doing", "done", "已赶赴现场"
	_, err = env.App.Incidents.UpdateTask(ctx, dutyU, in.ID, v.Tasks[0].ID, incidents.TaskPatch{Status: &doing})
	must(err)
	_, err = env.App.Incidents.UpdateTask(ctx, dutyU, in.ID, v.Tasks[0].ID, incidents.TaskPatch{Status: &done, Note: &note})
	must(err)
	_, err = env.App.Incidents.AddNote(ctx, dutyU, in.ID, "已通知网站断网")
	must(err)
	lvl := 3
	_, err = env.App.Incidents.CorrectIncident(ctx, dutyU, in.ID, incidents.Correction{Level: &lvl, Reason: "影响扩大"})
	must(err)
	ins, err := env.App.Incidents.PostInstruction(ctx, city, in.ID, incidents.NewInstruction{Text: "请网监科立即处置。", Departments: []string{"wangjian"}})
	must(err)
	_, err = env.App.Incidents.AckInstruction(ctx, dutyU, ins.ID)
	must(err)
	_, err = env.App.Incidents.DoneInstruction(ctx, dutyU, ins.ID, "已处置完毕。")
	must(err)

	u := testkit.Unit(1, "青神县人民医院")
	must(env.App.Units.CreateUnit(ctx, dutyU, 0, u))
	must(env.App.Units.UpdateUnit(ctx, dutyU, u.ID, testkit.Unit(1, "青神县人民医院（改）")))
	site := &registry.Website{UnitID: u.ID, Name: "医院官网", Domain: "www.qsyy.cn"}
	must(env.App.Units.SaveWebsite(ctx, dutyU, 0, site))
	must(env.App.Units.SaveWebsite(ctx, dutyU, 0, &registry.Website{UnitID: u.ID, Name: "旧站", Domain: "old.qsyy.cn"}))
	must(env.App.Units.SaveContact(ctx, dutyU, 0, 0, &registry.Contact{UnitID: u.ID, Name: "王五", Role: "网管", Phone: "13800000002"}))
	must(env.App.Units.SaveExpert(ctx, dutyU, 0, 0, &registry.Expert{Name: "赵六", Expertise: "取证", Phone: "13800000003", Available: true}))
	eq := &registry.Equipment{Name: "川Z-12345 应急通信车", Kind: "车辆", Status: "在用"}
	must(env.App.Units.SaveEquipment(ctx, dutyU, 0, 0, eq))
	eq.Location = "县局车库"
	must(env.App.Units.SaveEquipment(ctx, dutyU, 0, eq.ID, eq))
	// Resources: a unit and its site named, an expert consulted, the vehicle
	// sent and back, a unit named in error and removed.
	var exp []*registry.Expert
	exp, err = env.App.Units.ListExperts(ctx, dutyU, registry.Filter{}, 0)
	must(err)
	for _, nr := range []incidents.NewResource{{Kind: "unit", RefID: u.ID}, {Kind: "website", RefID: site.ID}, {Kind: "expert", RefID: exp[0].ID}} {
		_, err = env.App.Incidents.AddResource(ctx, dutyU, in.ID, nr)
		must(err)
	}
	sent, err := env.App.Incidents.AddResource(ctx, dutyU, in.ID, incidents.NewResource{Kind: "equipment", RefID: eq.ID, Note: "赴现场取证"})
	must(err)
	_, err = env.App.Incidents.ReturnResource(ctx, dutyU, in.ID, sent.ID)
	must(err)
	// Issue 13: an evidence item with a file.
	ev, err := env.App.Evidence.Register(ctx, dutyU, in.ID, evidence.New{Kind: evidence.LogPart, Description: "防火墙日志", CollectedAt: env.Clock.Now(), CollectedBy: "张值班"})
	must(err)
	_, err = env.App.Evidence.AddFile(ctx, dutyU, ev.ID, exhibits.Upload{Name: "fw.log", Size: 4, Body: strings.NewReader("log\n")})
	must(err)
	gone := testkit.Unit(7, "已撤销单位")
	must(env.App.Units.CreateUnit(ctx, dutyU, 0, gone))
	must(env.App.Units.SaveWebsite(ctx, dutyU, 0, &registry.Website{UnitID: gone.ID, Name: "撤销站", Domain: "gone.example.cn"}))
	_, err = env.App.Incidents.SetTaskUnit(ctx, dutyU, in.ID, v.Tasks[0].ID, gone.ID)
	must(err)
	must(env.App.Units.DeleteUnit(ctx, dutyU, gone.ID)) // deletes its website, unlinks the task
	ledger := testkit.UnitsHead + "1,甲公司,企业," + registry.CreditCodeFor(2) + ",青神县,,,,,028-38800001,,\n" +
		"2,乙学校,学校," + registry.CreditCodeFor(3) + ",青神县,,,,,13800000001,,\n"
	_, err = env.App.Units.ImportLedger(ctx, dutyU, 0, "a.csv", testkit.CSVTable(t, ledger), nil, false)
	must(err)
	// Issue 14: a public warning drafted, approved and released.
	w, err := env.App.Warnings.Draft(ctx, dutyU, warnings.Input{IncidentID: in.ID, Level: "yellow", Headline: "网站篡改预警", Description: "多家单位网站被篡改。",
		Instruction: "请核查网站。", Area: "青神县", Expires: at(28, 9, 0).Add(48 * time.Hour)})
	must(err)
	_, err = env.App.Warnings.Approve(ctx, chief, w.ID, "")
	must(err)
	_, err = env.App.Warnings.Release(ctx, dutyU, w.ID)
	must(err)
	// Issue 12: a key website monitored, its settings changed; a unit's
	// link and its report.
	key := &registry.Website{UnitID: u.ID, Name: "预约挂号", Domain: "guahao.qsyy.cn", URL: "http://127.0.0.1:9/", KeySite: true}
	must(env.App.Units.SaveWebsite(ctx, dutyU, 0, key))
	mon, err := env.App.Monitors.Create(ctx, dutyU, key.ID, monitors.Settings{})
	must(err)
	_, err = env.App.Monitors.Update(ctx, dutyU, mon.ID, monitors.Settings{Interval: 10 * time.Minute})
	must(err)
	_, tok, err := env.App.UnitReports.IssueLink(ctx, dutyU, u.ID, 0)
	must(err)
	_, err = env.App.UnitReports.Submit(ctx, tok, &unitreport.Report{What: "挂号系统异常", System: "预约挂号", HappenedAt: at(28, 8, 0),
		ContactName: "王五", ContactPhone: "13800000002"})
	must(err)
	bulletinState(t, env, in.ID, u.ID) // issue 14: bulletin_state_test.go

	// A daily report drafted before the 16:00 reminder, then signed and submitted.
	env.Clock.Set(at(28, 15, 30))
	r, err := env.App.Reports.CreateReport(ctx, dutyU, in.ID, "daily")
	must(err)
	env.Clock.Set(at(28, 16, 0))
	if _, err := env.App.Reports.SchedulerTick(ctx, "node-a"); err != nil {
		t.Fatal(err)
	}
	// Issue 10: the roll-call is still open: escalation pages it again.
	if r, err := env.App.Escalation.Tick(ctx, "node-a"); err != nil || r.Taken == 0 {
		t.Fatalf("escalation: %+v %v", r, err)
	}
	_, err = env.App.Reports.SignReport(ctx, chief, r.ID)
	must(err)
	env.Clock.Set(at(28, 16, 30))
	_, err = env.App.Reports.SubmitReport(ctx, dutyU, r.ID)
	must(err)
	testkit.CloseOpenTasks(t, env, dutyU, in.ID, "本次事件不涉及")
	a2, err := env.App.Incidents.RequestTermination(ctx, dutyU, in.ID, "网站已恢复")
	must(err)
	_, err = env.App.Incidents.Decide(ctx, city, a2.ID, incidents.Decision{Approve: true, Opinion: "同意终止。"})
	must(err)
}

// tamperDB opens the database behind yingji's back, as someone with the
// file or a database login would, with foreign keys not enforced.
func tamperDB(t *testing.T, env *testkit.Env) (*sql.Conn, func()) {
	t.Helper()
	var db *sql.DB
	var err error
	if env.URL != "" {
		db, err = sql.Open("pgx", env.URL)
	} else {
		db, err = sql.Open("sqlite", "file:"+filepath.Join(env.Dir, "yingji.db")+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if env.URL != "" {
		if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err != nil {
			t.Fatal(err)
		}
	}
	return conn, func() { conn.Close(); db.Close() }
}

func maxID(t *testing.T, c *sql.Conn, table string) int64 {
	t.Helper()
	var id int64
	if err := c.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM `+table).Scan(&id); err != nil || id == 0 {
		t.Fatalf("%s: no rows (%v)", table, err)
	}
	return id
}

func deepVerify(t *testing.T, env *testkit.Env) map[string]audit.RowProblem {
	t.Helper()
	res, err := env.App.AuditLog.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]audit.RowProblem{}
	if res.Err == nil {
		return got
	}
	var se *audit.StateError
	if !errors.As(res.Err, &se) {
		t.Fatalf("chain itself broken: %v", res.Err)
	}
	for _, p := range se.Rows {
		got[fmt.Sprintf("%s %d", p.Table, p.ID)] = p
	}
	if se.Count != len(se.Rows) {
		t.Fatalf("count %d, listed %d", se.Count, len(se.Rows))
	}
	return got
}

// A change through the service never trips the state check, on either database.
func TestNormalUseKeepsStateCovered(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		stateWorld(t, env)
		res, err := env.App.AuditLog.VerifyAudit(ctx)
		if err != nil || res.Err != nil {
			t.Fatalf("verify after normal use: %v %v", err, res.Err)
		}
		c, done := tamperDB(t, env)
		defer done()
		for _, table := range store.CoveredTables {
			maxID(t, c, table) // every covered table has rows, so the check above means something
		}
		if res.Rows == 0 {
			t.Fatal("no rows checked")
		}
	})
}

var tamperColumn = map[string]string{
	"incidents": "level = 1, title = '已篡改'", "tasks": "title = title || '#'", "approvals": "reason = reason || '#'",
	"timeline": "data = data || ' '", "reports": "title = title || '#'", "report_submissions": "recipient_name = recipient_name || '#'",
	"reminders_sent": "stage = stage || '#'", "units": "name = name || '#'", "websites": "name = name || '#'",
	"contacts": "name = name || '#'", "experts": "name = name || '#'", "equipment": "name = name || '#'",
	"duty_shifts": "note = note || '#'", "duty_changes": "reason = reason || '#'", "duty_handovers": "notes = notes || '#'",
	"duty_log": "what = what || '#'", "duty_periods": "name = name || '#'",
	"instructions": "text = text || '#'", "instruction_to": "department = department || '#'",
	"incident_resources": "note = note || '#'",
	"roll_calls":         "role = role || '#'",         // issue 10
	"escalations":        "rule = rule || '#'",         // issue 10
	"warnings":           "headline = headline || '#'", // issue 14
	"monitors":           "url = url || '#'",           // issue 12
	"unit_links":         "expires_at = expires_at + 1",
	"unit_reports":       "what = what || '#'",
	// issue 13
	"evidence_items":   "description = description || '#'",
	"evidence_files":   "name = name || '#'",
	"evidence_custody": "reason = reason || '#'",
}

// Copying a row needs new values for its unique columns.
var copyOverride = map[string]map[string]string{
	"incidents":          {"seq": "seq + 1000"},
	"approvals":          {"status": "'rejected'"},
	"reports":            {"supersedes": "NULL"},
	"report_submissions": {"recipient_key": "recipient_key || 'x'"},
	"reminders_sent":     {"key": "key || 'x'"},
	"units":              {"credit_code": "credit_code || 'x'"},
	"websites":           {"domain": "'x' || domain"},
	"duty_handovers":     {"from_shift_id": "from_shift_id + 1000000"},
	"incident_resources": {"ref_id": "ref_id + 1000000"},
	"roll_calls":         {"outbox_id": "outbox_id + 1000000"}, // issue 10
	"escalations":        {"key": "key || 'x'"},                // issue 10
	"warnings":           {"uuid": "uuid || 'x'"},              // issue 14
	// issue 12
	"monitors":     {"website_id": "website_id + 1000000"},
	"unit_links":   {"token_hash": "token_hash || 'x'"},
	"unit_reports": {"link_id": "link_id + 1000000", "receipt": "receipt || 'x'"},
	// issue 13
	"evidence_items": {"seq": "seq + 1000"},
}

// Every covered table, tampered by UPDATE, DELETE or INSERT behind
// yingji's back, is named by verify with its id and the last covering
// record; nothing else is.
func TestStateTamperDetected(t *testing.T) {
	for _, kind := range testkit.Kinds {
		for _, op := range []string{"update", "delete", "insert"} {
			t.Run(kind+"/"+op, func(t *testing.T) {
				env := testkit.Open(t, kind)
				stateWorld(t, env)
				if got := deepVerify(t, env); len(got) != 0 {
					t.Fatalf("before tampering: %v", got)
				}
				c, done := tamperDB(t, env)
				want := map[string]string{}
				for _, table := range store.CoveredTables {
					id := maxID(t, c, table)
					var q, reason string
					switch op {
					case "update":
						q, reason = fmt.Sprintf(`UPDATE %s SET %s WHERE id = %d`, table, tamperColumn[table], id), audit.RowChanged
					case "delete":
						q, reason = fmt.Sprintf(`DELETE FROM %s WHERE id = %d`, table, id), audit.RowMissing
					case "insert":
						rows, err := c.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
						if err != nil {
							t.Fatal(err)
						}
						cols, _ := rows.Columns()
						rows.Close()
						var names, exprs []string
						for _, col := range cols {
							if col == "id" {
								continue
							}
							e := col
							if o, ok := copyOverride[table][col]; ok {
								e = o
							}
							names, exprs = append(names, col), append(exprs, e)
						}
						q = fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s WHERE id = %d`, table, strings.Join(names, ", "), strings.Join(exprs, ", "), table, id)
						reason, id = audit.RowUncovered, 0
					}
					if _, err := c.ExecContext(ctx, q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
					if id == 0 {
						id = maxID(t, c, table)
					}
					want[fmt.Sprintf("%s %d", table, id)] = reason
				}
				done()
				got := deepVerify(t, env)
				var missing, extra []string
				for k, reason := range want {
					// SQLite hands a deleted row's id to the next insert: the copy then
					// takes the place of a row the chain says was deleted.
					if p, ok := got[k]; !ok || (p.Reason != reason && !(reason == audit.RowUncovered && p.Reason == audit.RowReappeared)) {
						missing = append(missing, k+" "+reason)
					}
				}
				for k, p := range got {
					if want[k] == "" {
						extra = append(extra, k+" "+p.Reason)
					}
					if (p.Reason == audit.RowUncovered) != (p.Seq == 0) {
						t.Errorf("%s: last covering record %d", k, p.Seq)
					}
				}
				sort.Strings(missing)
				sort.Strings(extra)
				if len(missing) > 0 || len(extra) > 0 {
					t.Fatalf("not named: %v; named wrongly: %v", missing, extra)
				}
			})
		}
	}
}
