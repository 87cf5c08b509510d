package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"yingji/internal/event"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/web/timeline"
)

// Issue 10: the task 通知领导小组成员到位 carries the roll-call (API and
// console: who confirmed, who has not) and becomes done in the transaction
// of the last confirmation, with its timeline entry and audit record.
func TestTaskRollCallClosesTask(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		base, c := newServer(t, env)
		in := testkit.NewIncident(t, env, "network_attack")
		testkit.Activate(t, env, in)
		type rollJSON struct {
			Confirmed, Total int
			Missing          []string
		}
		type taskJ struct {
			ID       int64
			Title    string
			Status   string
			RollCall *rollJSON `json:"roll_call"`
		}
		task := func() taskJ {
			_, b, _ := c["duty"].raw("GET", "/api/v1/incidents/"+itoa(in.ID), "", nil)
			var body struct{ Tasks []taskJ }
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatal(err)
			}
			for _, x := range body.Tasks {
				if x.RollCall != nil {
					return x
				}
			}
			t.Fatalf("no task carries the roll-call: %+v", body.Tasks)
			return taskJ{}
		}
		rc := env.App.Notices.RollCall()
		rows, err := rc.List(ctx, in.ID, func() error { return nil })
		if err != nil || len(rows) < 2 {
			t.Fatalf("%d rows %v", len(rows), err)
		}
		tj := task()
		if tj.Title != "通知领导小组成员到位" || tj.Status == "done" || tj.RollCall.Total != len(rows) || len(tj.RollCall.Missing) != len(rows) {
			t.Fatalf("%+v %+v", tj, tj.RollCall)
		}

		// The console's task page names who has not confirmed.
		login := testkit.ConsoleLogin(t, base, "duty", testkit.Password)
		page := func(path string) string { return consolePage(t, base, login, path) }
		tp := page("/incidents/" + itoa(in.ID) + "/tasks/" + itoa(tj.ID))
		if !strings.Contains(tp, `id="task-roll"`) || !strings.Contains(tp, rows[0].Name) || !strings.Contains(tp, "未确认") {
			t.Fatalf("task page without the roll-call:\n%s", tp)
		}
		if ip := page("/incidents/" + itoa(in.ID)); !strings.Contains(ip, "未到位：") {
			t.Fatalf("incident page without who is missing")
		}

		byID := map[int64]string{}
		for name, u := range env.Users {
			byID[u.ID] = name
		}
		audits := testkit.AuditCount(t, env)
		for i, r := range rows {
			env.Clock.Add(time.Minute)
			if _, err := rc.Confirm(ctx, env.Users[byID[r.UserID]], in.ID); err != nil {
				t.Fatal(err)
			}
			tj = task()
			if last := i == len(rows)-1; (tj.Status == "done") != last || len(tj.RollCall.Missing) != len(rows)-1-i {
				t.Fatalf("after %d of %d: %+v %+v", i+1, len(rows), tj, tj.RollCall)
			}
		}
		// One audit record per confirmation and one for the task.
		if got := testkit.AuditCount(t, env) - audits; got != int64(len(rows))+1 {
			t.Fatalf("%d audit records", got)
		}
		var done int
		var last *incident.Entry
		env.DB.Read(ctx, func(q *store.Q) error {
			es, _ := q.TaskHistory(in.ID, tj.ID)
			for _, e := range es {
				if e.Kind == event.KindRollCallComplete {
					done, last = done+1, e
				}
			}
			return nil
		})
		if done != 1 || !strings.Contains(timeline.EntryText(i18n.ZH, last), "全部确认到位") {
			t.Fatalf("%d completion entries", done)
		}
		if tp := page("/incidents/" + itoa(in.ID) + "/tasks/" + itoa(tj.ID)); !strings.Contains(tp, "到位情况（"+itoa(int64(len(rows)))+"/"+itoa(int64(len(rows)))+"）") || strings.Contains(tp, "未确认") {
			t.Fatalf("task page after the last confirmation:\n%s", tp)
		}
		// Reopened by the commander, it stays his: a repeated
		// confirmation changes nothing.
		st := string(incident.TaskDoing)
		if _, err := env.App.Incidents.UpdateTask(ctx, env.Users["duty"], in.ID, tj.ID, incidentsPatch(&st)); err != nil {
			t.Fatal(err)
		}
		if _, err := rc.Confirm(ctx, env.Users[byID[rows[0].UserID]], in.ID); err != nil {
			t.Fatal(err)
		}
		if task().Status != "doing" {
			t.Fatal("a repeated confirmation closed the reopened task")
		}
		res, err := env.DB.VerifyAudit(ctx)
		if err != nil || res.Err != nil {
			t.Fatalf("audit: %v %v", err, res.Err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func incidentsPatch(status *string) incidents.TaskPatch { return incidents.TaskPatch{Status: status} }
