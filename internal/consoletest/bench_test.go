package consoletest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/web"
)

// measure serves path to the logged-in duty officer b.N times and reports
// the median and the 99th percentile of the server-side time per page.
func measure(b *testing.B, env *testkit.Env, path, want string) {
	b.Helper()
	sess, err := env.App.Accounts.Login(ctx, "duty", testkit.Password, "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv := web.New(env.App, nil, env.Plan.Location)
	cookie := &http.Cookie{Name: "yingji_session", Value: sess.Token}
	serve := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	if rec := serve(); rec.Code != http.StatusOK || !contains(rec.Body.String(), want) {
		b.Fatalf("%s: %d, want %q in page", path, rec.Code, want)
	}
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		serve()
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(float64(len(durs)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && strings.Index(s, sub) >= 0
}

// BenchmarkIncidentPage renders an incident with 5,000 timeline entries and
// 200 tasks (the page shows the newest 200 entries).
func BenchmarkIncidentPage(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	in := activeIncident(b, env)
	err := env.DB.Write(ctx, func(tx *store.Tx) error {
		tasks, err := tx.Tasks(in.ID)
		if err != nil {
			return err
		}
		for i := len(tasks); i < 200; i++ {
			due := tx.Now.Add(time.Duration(i) * time.Minute)
			if err := tx.CreateTask(&incident.Task{IncidentID: in.ID, Phase: "handling", Title: fmt.Sprintf("补充任务 %d", i),
				Department: "wangjian", Status: incident.TaskTodo, DueAt: &due}); err != nil {
				return err
			}
		}
		for i := 0; i < 5000; i++ {
			e := &incident.Entry{IncidentID: in.ID, ActorID: env.Users["duty"].ID, Kind: incident.EntryNote,
				Data: map[string]string{"text": fmt.Sprintf("第 %d 次处置进展：已协调运营商清洗流量，网站访问逐步恢复。", i)}}
			if i%3 == 0 {
				e.Kind, e.Data = incident.EntryTaskUpdated, map[string]string{"title": "收集、固定网络攻击线索和痕迹", "from": "todo", "to": "doing", "note": "已派员"}
			}
			if err := tx.AddEntry(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	measure(b, env, "/incidents/"+itoa(in.ID), "第 4999 次处置进展")
}

// BenchmarkCommandPost renders the command post with 1,000 open incidents,
// each with five tasks, two of them overdue.
func BenchmarkCommandPost(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	err := env.DB.Write(ctx, func(tx *store.Tx) error {
		org, err := tx.OrgByName("青神县公安局")
		if err != nil {
			return err
		}
		pl, err := tx.LatestPlan(org.PlanKey)
		if err != nil {
			return err
		}
		cats := []string{"network_attack", "harmful_info", "virus_outbreak", "malicious_hype", "assigned_task"}
		for i := 1; i <= 1000; i++ {
			act := tx.Now.Add(-time.Duration(i) * time.Minute)
			in := &incident.Incident{OrgID: org.ID, PlanID: pl.ID, Year: 2026, Seq: i, Number: incident.FormatNumber(org.Code, 2026, i),
				Title: fmt.Sprintf("压力测试事件 %d", i), Category: cats[i%len(cats)], GBClass: "attack", Level: incident.Level(1 + i%4),
				Status: incident.Active, DiscoveredAt: act, ReporterID: env.Users["duty"].ID, ActivatedAt: &act}
			if err := tx.CreateIncident(in); err != nil {
				return err
			}
			if err := tx.UpdateIncident(in); err != nil {
				return err
			}
			for j := 0; j < 5; j++ {
				due := tx.Now.Add(time.Duration(j-2) * time.Hour)
				if err := tx.CreateTask(&incident.Task{IncidentID: in.ID, Phase: "handling", Title: fmt.Sprintf("任务 %d", j),
					Department: []string{"wangjian", "xingjing"}[j%2], Status: incident.TaskTodo, DueAt: &due}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	measure(b, env, "/", "共 1000 起")
}
