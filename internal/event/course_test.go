package event

import (
	"strings"
	"testing"
	"time"

	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/report"
)

// TestReportStatesTheirCourse: the entries other use cases write about the
// city being told, a superior's assignment and a monitoring alert are
// stated in a report's 经过 from the data the typed events store (so a key
// renamed on one side fails here); entries a report does not repeat stay
// out, and so out of its sources.
func TestReportStatesTheirCourse(t *testing.T) {
	p, err := plan.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ev    Event
		actor string
		want  string // "" = not in the report
	}{
		{SuperiorInformed{To: []string{"眉山市公安局陈副局长", "眉山市公安局周副局长"}, Rule: "县局领导小组决定"}, "",
			"领导小组决定启动预案，已报告眉山市公安局陈副局长、眉山市公安局周副局长。"},
		{SuperiorInformed{Rule: "县局领导小组决定"}, "", "领导小组决定启动预案。"},
		{Assigned{Org: "眉山市公安局", By: "陈副局长", Instructions: "立即核查。", Rule: "上级交办"}, "陈副局长",
			"陈副局长（眉山市公安局）交办本事件，交办要求：立即核查。"},
		{AlertAttached{AlertID: "7", Title: "县政府门户网站无法访问", Rule: "SiteDown", Count: "3", How: HowPromoted}, "张值班",
			"张值班将监测告警“县政府门户网站无法访问”（累计3次）转为本事件。"},
		{AlertAttached{AlertID: "8", Title: "ET SCAN 端口扫描", Rule: "ET SCAN", Count: "12", How: HowAttached}, "张值班",
			"张值班将监测告警“ET SCAN 端口扫描”（累计12次）关联至本事件。"},
		{AlertAttached{AlertID: "9", Title: "挖矿木马外联", Rule: "miner", Count: "1", How: HowRule}, "",
			"监测告警“挖矿木马外联”（累计1次）触发预案告警规则，自动登记本事件。"},
		{AlertStatusChanged{AlertID: "7", Title: "县政府门户网站无法访问", Status: "resolved"}, "",
			"监测显示，关联告警“县政府门户网站无法访问”已恢复。"},
		{AlertStatusChanged{AlertID: "7", Title: "县政府门户网站无法访问", Status: "firing"}, "",
			"监测显示，关联告警“县政府门户网站无法访问”再次发生。"},
		{AlertStatusChanged{AlertID: "7", Title: "县政府门户网站无法访问", Status: "suppressed"}, "", ""},
		{RollCallComplete{}, "", ""},
	}
	at := time.Date(2026, 11, 30, 13, 5, 0, 0, time.UTC) // 21时05分 in Beijing
	in := &incident.Incident{ID: 1, Title: "县政府门户网站无法访问", Category: "network_attack", GBClass: "attack", Level: 4,
		Status: incident.Active, DiscoveredAt: at}
	for _, c := range cases {
		e := &incident.Entry{ID: 5, IncidentID: 1, At: at, Actor: c.actor, Kind: c.ev.Kind(), Data: Data(c.ev)}
		d := report.Draft(report.Input{Kind: report.Daily, Seq: 1, Incident: in, OrgName: "青神县公安局", Plan: p,
			Category: p.Category("network_attack"), Entries: []*incident.Entry{e}})
		if c.want == "" {
			if len(d.Sources) != 0 || strings.Contains(d.Fields.Course, "21时05分") {
				t.Errorf("%s: in the report: %q", c.ev.Kind(), d.Fields.Course)
			}
			continue
		}
		if want := "2026年11月30日21时05分，" + c.want; d.Fields.Course != want || len(d.Sources) != 1 {
			t.Errorf("%s:\n got %q\nwant %q (sources %v)", c.ev.Kind(), d.Fields.Course, want, d.Sources)
		}
	}
}
