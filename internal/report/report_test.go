package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"yingji/internal/deadline"
	"yingji/internal/incident"
	"yingji/internal/plan"
)

func at(day, hms string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", day+" "+hms, sh)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNumbersAndTitles(t *testing.T) {
	for n, want := range map[int]string{1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 23: "二十三", 99: "九十九", 100: "100", 0: "0"} {
		if got := ChineseNumber(n); got != want {
			t.Errorf("ChineseNumber(%d) = %s, want %s", n, got, want)
		}
	}
	for _, c := range []struct {
		kind string
		seq  int
		want string
	}{
		{Initial, 1, "关于网站被攻击的首报"},
		{Followup, 2, "关于网站被攻击的续报（续报二）"},
		{Daily, 12, "网站被攻击每日情况报告（第12期）"},
		{Final, 1, "关于网站被攻击的终报"},
		{Summary, 1, "网站被攻击处置工作总结"},
	} {
		if got := Title(c.kind, c.seq, "网站被攻击"); got != c.want {
			t.Errorf("Title(%s, %d) = %s", c.kind, c.seq, got)
		}
	}
	if got := DocNumber("青神县公安局", 2026, 3); got != "青公网安〔2026〕3号" {
		t.Errorf("DocNumber %s", got)
	}
	if got := ChineseDate(at("2026-11-28", "09:05:00")); got != "2026年11月28日" {
		t.Errorf("ChineseDate %s", got)
	}
	if got := ChineseTime(at("2026-11-28", "09:05:00")); got != "2026年11月28日9时05分" {
		t.Errorf("ChineseTime %s", got)
	}
}

func TestHashCoversContent(t *testing.T) {
	r := &Report{Fields: Fields{Course: "甲"}, Recipients: []string{"市委"}}
	r.Title, r.Kind = "标题", Daily
	h := r.Hash()
	r.Fields.Course = "乙"
	if r.Hash() == h {
		t.Fatal("hash ignores the fields")
	}
	r.Fields.Course = "甲"
	if r.Hash() != h {
		t.Fatal("hash is not deterministic")
	}
}

var rule = Rule{Daily: deadline.DailyRule{Hour: 17, MinLead: 2 * time.Hour, Loc: sh}, DailyOn: true, SummaryWithin: 7 * 24 * time.Hour, DueSoon: time.Hour}

func daily(id int64, due, submitted time.Time) *incident.Report {
	return &incident.Report{ID: id, Kind: Daily, DueAt: &due, SubmittedAt: &submitted}
}

func TestObligations(t *testing.T) {
	activated := at("2026-11-28", "09:20:00")
	states := func(obs []Obligation) string {
		var b []string
		for _, o := range obs {
			b = append(b, fmt.Sprintf("%s@%s=%s", o.Kind, o.Due.In(sh).Format("01-02 15:04"), o.State))
		}
		return strings.Join(b, " ")
	}
	cases := []struct {
		name       string
		terminated *time.Time
		reports    []*incident.Report
		now        time.Time
		want       string
	}{
		{"before the first", nil, nil, at("2026-11-28", "10:00:00"), "daily_report@11-28 17:00=upcoming"},
		{"due soon", nil, nil, at("2026-11-28", "16:00:00"), "daily_report@11-28 17:00=due_soon"},
		{"at the deadline", nil, nil, at("2026-11-28", "17:00:00"), "daily_report@11-28 17:00=due_soon daily_report@11-29 17:00=upcoming"},
		{"overdue", nil, nil, at("2026-11-28", "17:00:01"), "daily_report@11-28 17:00=overdue daily_report@11-29 17:00=upcoming"},
		{"missed after the next deadline", nil, nil, at("2026-11-29", "17:00:01"),
			"daily_report@11-28 17:00=missed daily_report@11-29 17:00=overdue daily_report@11-30 17:00=upcoming"},
		{"on time", nil, []*incident.Report{daily(1, at("2026-11-28", "17:00:00"), at("2026-11-28", "17:00:00"))}, at("2026-11-28", "18:00:00"),
			"daily_report@11-28 17:00=on_time daily_report@11-29 17:00=upcoming"},
		{"late", nil, []*incident.Report{daily(1, at("2026-11-28", "17:00:00"), at("2026-11-28", "17:00:01"))}, at("2026-11-28", "18:00:00"),
			"daily_report@11-28 17:00=late daily_report@11-29 17:00=upcoming"},
		{"a report bound to another day does not count", nil, []*incident.Report{daily(1, at("2026-11-29", "17:00:00"), at("2026-11-28", "16:00:00"))},
			at("2026-11-28", "18:00:00"), "daily_report@11-28 17:00=overdue daily_report@11-29 17:00=on_time"},
		{"terminated before the first deadline", ptr(at("2026-11-28", "12:00:00")), nil, at("2026-11-28", "18:00:00"), "summary@12-05 12:00=upcoming"},
		{"terminated with an overdue daily", ptr(at("2026-11-29", "09:00:00")), nil, at("2026-11-29", "10:00:00"),
			"daily_report@11-28 17:00=missed summary@12-06 09:00=upcoming"},
		{"summary overdue stays overdue", ptr(at("2026-11-28", "12:00:00")), nil, at("2027-01-01", "00:00:00"), "summary@12-05 12:00=overdue"},
	}
	for _, c := range cases {
		in := &incident.Incident{ActivatedAt: &activated, TerminatedAt: c.terminated}
		if got := states(Obligations(rule, in, c.reports, c.now)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// Corrections never change timeliness: only the original counts.
	corr := daily(2, at("2026-11-28", "17:00:00"), at("2026-11-28", "16:00:00"))
	corr.Supersedes = 1
	in := &incident.Incident{ActivatedAt: &activated}
	obs := Obligations(rule, in, []*incident.Report{daily(1, at("2026-11-28", "17:00:00"), at("2026-11-28", "18:00:00")), corr}, at("2026-11-28", "19:00:00"))
	if obs[0].State != deadline.Late || obs[0].Late != time.Hour {
		t.Fatalf("with correction: %+v", obs[0])
	}
}

func ptr(t time.Time) *time.Time { return &t }

func TestBindDaily(t *testing.T) {
	activated := at("2026-11-28", "09:20:00")
	in := &incident.Incident{ActivatedAt: &activated}
	for _, c := range []struct {
		now     time.Time
		reports []*incident.Report
		want    time.Time
	}{
		{at("2026-11-28", "15:00:00"), nil, at("2026-11-28", "17:00:00")},
		{at("2026-11-28", "17:00:01"), nil, at("2026-11-28", "17:00:00")}, // the overdue one first
		{at("2026-11-28", "17:00:01"), []*incident.Report{daily(1, at("2026-11-28", "17:00:00"), at("2026-11-28", "16:00:00"))}, at("2026-11-29", "17:00:00")},
		{at("2026-11-29", "18:00:00"), nil, at("2026-11-29", "17:00:00")}, // the 28th is missed: not offered
	} {
		got, ok := BindDaily(rule, in, c.reports, c.now)
		if !ok || !got.Equal(c.want) {
			t.Errorf("at %s: %v %v, want %v", c.now, got, ok, c.want)
		}
	}
}

func planForTest(t testing.TB) *plan.Plan {
	p, err := plan.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func bigInput(t testing.TB, n int) Input {
	p := planForTest(t)
	activated := at("2026-11-28", "09:20:00")
	in := &incident.Incident{ID: 1, Title: "县政府门户网站遭受DDoS攻击", Category: "network_attack", GBClass: "attack", Level: 3,
		Status: incident.Active, DiscoveredAt: activated.Add(-time.Hour), DiscoveryMethod: "网站监测告警", Description: "访问中断约20分钟", ActivatedAt: &activated}
	entries := make([]*incident.Entry, n)
	for i := range entries {
		e := &incident.Entry{ID: int64(i + 1), IncidentID: 1, At: activated.Add(time.Duration(i) * time.Second), Actor: "张值班"}
		if i%3 == 0 {
			e.Kind, e.Data = incident.EntryTaskUpdated, map[string]string{"title": "封堵攻击源", "from": "todo", "to": "doing", "note": "已联系运营商"}
		} else {
			e.Kind, e.Data = incident.EntryNote, map[string]string{"text": fmt.Sprintf("第%d次巡查，未发现新的攻击流量", i)}
		}
		entries[i] = e
	}
	var tasks []*incident.Task
	for i := 0; i < 20; i++ {
		st := incident.TaskTodo
		if i%2 == 0 {
			st = incident.TaskDone
		}
		tasks = append(tasks, &incident.Task{ID: int64(i + 1), Title: fmt.Sprintf("任务%d", i), Department: "wangjian", Status: st})
	}
	return Input{Kind: Daily, Seq: 3, Incident: in, OrgName: "青神县公安局", Plan: p, Category: p.Category("network_attack"),
		Entries: entries, Tasks: tasks, Author: "张值班", Phone: "028-38812345"}
}

func TestDraftSources(t *testing.T) {
	in := bigInput(t, 30)
	d := Draft(in)
	if len(d.Sources) != 30 || d.LastEntryID != 30 || d.Sources[0] != 1 {
		t.Fatalf("sources %v last %d", d.Sources, d.LastEntryID)
	}
	if !strings.Contains(d.Fields.Course, "第1次巡查") || !strings.Contains(d.Fields.Measures, "已完成10项") || d.Fields.ReportingUnit != "青神县公安局" {
		t.Fatalf("fields %+v", d.Fields)
	}
	if d2 := Draft(in); d2.Fields != d.Fields {
		t.Fatal("draft is not deterministic")
	}
	in.Entries = nil
	if d := Draft(in); !strings.Contains(d.Fields.Course, "本报告期内无新的处置记录") {
		t.Fatalf("empty window: %q", d.Fields.Course)
	}
}

// Drafting a daily report over 10,000 timeline entries (the pure part; the
// service benchmark adds reading them from the database).
func BenchmarkDraft10k(b *testing.B) {
	in := bigInput(b, 10000)
	for b.Loop() {
		Draft(in)
	}
}
