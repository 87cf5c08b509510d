package event

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// golden is one case of testdata/text.golden: a stored kind and data with
// the sentence the renderer before the typed events made of it
// (internal/web/timeline TestEntryTextGolden wrote it).
type golden struct {
	Kind incident.EntryKind `json:"kind"`
	Data map[string]string  `json:"data"`
	ZH   string             `json:"zh"`
	EN   string             `json:"en"`
}

func loadGolden(t testing.TB) []golden {
	t.Helper()
	b, err := os.ReadFile("testdata/text.golden")
	if err != nil {
		t.Fatal(err)
	}
	var cs []golden
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestTextAsBefore: every kind, decoded from stored data, reads in zh-CN
// and English as the untyped renderer read it.
func TestTextAsBefore(t *testing.T) {
	for i, c := range loadGolden(t) {
		ev := Decode(c.Kind, c.Data)
		if _, unknown := ev.(Unknown); ev.Kind() != c.Kind || unknown != (c.Kind == "no_such_kind") {
			t.Errorf("case %d: decoded %s as %T", i, c.Kind, ev)
		}
		if zh, en := ev.Text(i18n.ZH), ev.Text(i18n.EN); zh != c.ZH || en != c.EN {
			t.Errorf("case %d (%s):\n got %q / %q\nwant %q / %q", i, c.Kind, zh, en, c.ZH, c.EN)
		}
	}
}

// TestEveryKindHasACase: the golden covers every registered kind.
func TestEveryKindHasACase(t *testing.T) {
	seen := map[incident.EntryKind]bool{}
	for _, c := range loadGolden(t) {
		seen[c.Kind] = true
	}
	for _, k := range Kinds() {
		if !seen[k] {
			t.Errorf("kind %s has no case in testdata/cases.json", k)
		}
	}
}

// TestDataRoundTrip: stored data decodes to the type and encodes back to
// the same keys and values, so a row written through the types stores
// what the untyped writer stored.
func TestDataRoundTrip(t *testing.T) {
	for i, c := range loadGolden(t) {
		if c.Data == nil { // a render case only: no writer stores no data
			continue
		}
		if got, want := Data(Decode(c.Kind, c.Data)), c.Data; !reflect.DeepEqual(got, want) {
			t.Errorf("case %d (%s):\n got %v\nwant %v", i, c.Kind, got, want)
		}
	}
}

// TestDataOfTypedEvents: fields become the stored keys; empty optional
// ones are left out; a nil pointer is "unchanged", an empty one a value.
func TestDataOfTypedEvents(t *testing.T) {
	none, unit := "", "某公司"
	for _, c := range []struct {
		ev   Event
		want map[string]string
	}{
		{Note{Body: "x"}, map[string]string{"text": "x"}},
		{Note{Body: "x", Internal: true}, map[string]string{"text": "x", "internal": "true"}},
		{TaskUpdated{Title: "t", Assignee: &none}, map[string]string{"title": "t", "assignee": ""}},
		{TaskUpdated{Title: "t", Unit: &unit}, map[string]string{"title": "t", "unit": "某公司"}},
		{ReportSignoffRequested{ReportRef{"1", "initial", "首报", "1"}}, map[string]string{"report_id": "1", "kind": "initial", "title": "首报", "version": "1"}},
		{Corrected{Fields: "title", Reason: "r", Changes: map[string]string{"title.from": "a", "title.to": "b"}},
			map[string]string{"fields": "title", "reason": "r", "title.from": "a", "title.to": "b"}},
		{Unknown{K: "x", Data: map[string]string{"a": "b"}}, map[string]string{"a": "b"}},
		{SuperiorInformed{To: []string{"市局张三", "省厅李四"}, Rule: "r"}, map[string]string{"to": "市局张三\n省厅李四", "rule": "r"}},
		{SuperiorInformed{Rule: "r"}, map[string]string{"to": "", "rule": "r"}},
	} {
		if got := Data(c.ev); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%T: got %v, want %v", c.ev, got, c.want)
		}
	}
}

// TestTaskUnitText: the networked unit set on a task reads as the note
// the writer once composed in Chinese.
func TestTaskUnitText(t *testing.T) {
	unit, none := "某公司", ""
	for _, c := range []struct {
		ev     TaskUpdated
		zh, en string
	}{
		{TaskUpdated{Title: "固定证据", Unit: &unit}, "任务“固定证据”：备注：关联联网单位：某公司", "Task \"固定证据\": networked unit: 某公司"},
		{TaskUpdated{Title: "固定证据", Unit: &none}, "任务“固定证据”：备注：关联联网单位：（无）", "Task \"固定证据\": networked unit: none"},
	} {
		if zh, en := c.ev.Text(i18n.ZH), c.ev.Text(i18n.EN); zh != c.zh || en != c.en {
			t.Errorf("got %q / %q, want %q / %q", zh, en, c.zh, c.en)
		}
	}
}

// TestListsReadInTheLanguage: names are stored as a list and joined when
// read, with 、 in Chinese and commas in English; rows from before the
// lists hold the names joined with 、 and read as written.
func TestListsReadInTheLanguage(t *testing.T) {
	for _, c := range []struct {
		kind   incident.EntryKind
		data   map[string]string
		zh, en string
	}{
		{KindSuperiorInformed, map[string]string{"to": "市局张三\n省厅李四"},
			"领导小组决定启动预案，已报告市局：市局张三、省厅李四", "The leading group activated the plan; the city bureau was informed: 市局张三, 省厅李四"},
		{incident.EntryInstructed, map[string]string{"text": "请加强值守", "to": "网安大队\n张三"},
			"批示：“请加强值守”（交网安大队、张三落实）", "Instruction: “请加强值守” (to 网安大队, 张三)"},
		{KindReportSubmitted, map[string]string{"title": "首报", "recipients": "市局\n网信办"},
			"报送“首报”至市局、网信办", "Submitted \"首报\" to 市局, 网信办"},
		{KindReportSubmitted, map[string]string{"title": "首报", "recipients": "市局、网信办"},
			"报送“首报”至市局、网信办", "Submitted \"首报\" to 市局、网信办"},
	} {
		ev := Decode(c.kind, c.data)
		if zh, en := ev.Text(i18n.ZH), ev.Text(i18n.EN); zh != c.zh || en != c.en {
			t.Errorf("%s: got %q / %q, want %q / %q", c.kind, zh, en, c.zh, c.en)
		}
	}
}

// TestEmptyValuesRoundTrip: an escalation's data (built by its rule as
// flat strings) keeps a key stored empty.
func TestEmptyValuesRoundTrip(t *testing.T) {
	d := map[string]string{"rule": RuleMissing, "names": "张三", "count": "1", "told": ""}
	if got := Data(Decode(KindEscalated, d)); !reflect.DeepEqual(got, d) {
		t.Fatalf("got %v, want %v", got, d)
	}
}

// FuzzDecode: any stored data decodes without panic, renders, and decoding
// what the event stores gives the same event again.
func FuzzDecode(f *testing.F) {
	for _, c := range []struct{ kind, k1, v1, k2, v2 string }{
		{"note", "text", "x", "internal", "true"},
		{"task_updated", "title", "t", "assignee", ""},
		{"corrected", "fields", "title", "title.from", "a"},
		{"escalated", "rule", "rollcall_missing", "told", ""},
		{"superior_informed", "to", "a\nb", "rule", "r"},
		{"nope", "a", "b", "", ""},
	} {
		f.Add(c.kind, c.k1, c.v1, c.k2, c.v2)
	}
	f.Fuzz(func(t *testing.T, kind, k1, v1, k2, v2 string) {
		d := map[string]string{k1: v1, k2: v2}
		ev := Decode(incident.EntryKind(kind), d)
		ev.Text(i18n.ZH)
		ev.Text(i18n.EN)
		again := Decode(incident.EntryKind(kind), Data(ev))
		if !reflect.DeepEqual(normal(again), normal(ev)) {
			t.Fatalf("%#v decodes again as %#v", ev, again)
		}
	})
}

// normal is an event with an empty rest map and an absent one alike.
func normal(ev Event) map[string]string {
	d := Data(ev)
	if len(d) == 0 {
		return nil
	}
	return d
}

// TestWallClockTimes: times are stored on the plan's wall clock and
// written out in Chinese only when read in Chinese; rows that hold the
// Chinese form read as before.
func TestWallClockTimes(t *testing.T) {
	for _, c := range []struct {
		ev     Event
		zh, en string
	}{
		{LateRegistration{DiscoveredAt: "2026-03-01 08:05", DelayS: "7200", WindowS: "3600"},
			"迟登记：事件于2026年3月1日8时05分发现，登记时已过2小时，超过首报时限（1小时），首报已无法按时报送。",
			"Late registration: discovered 2026-03-01 08:05, registered 2h later, past the first-report window (1h); the first report cannot be on time."},
		{ReportReminder{Obligation: "initial_report", DueAt: "2026-03-01 09:00", Minutes: "15"},
			"系统提醒：首报应于2026年3月1日9时00分前报送，尚余15分钟", "Reminder: the First report is due at 2026-03-01 09:00, 15 minutes left"},
		{ReportOverdue{Obligation: "daily_report", Due: "3月1日 9时0分"},
			"系统提示：每日情况报告已超过报送时限（3月1日 9时0分），已通知领导小组", "The Daily report is overdue (due 3月1日 9时0分); the leading group was told"},
	} {
		if zh, en := c.ev.Text(i18n.ZH), c.ev.Text(i18n.EN); zh != c.zh || en != c.en {
			t.Errorf("%T: got %q / %q, want %q / %q", c.ev, zh, en, c.zh, c.en)
		}
	}
}

// TestNotApplicableTasks: the tasks closed as not applicable are stored
// as title and reason and written out in the reader's language; a reason's
// line breaks and tabs cannot split an item; rows written before (under
// "na", composed in Chinese) read as they did, a tab in a reason included.
func TestNotApplicableTasks(t *testing.T) {
	ev := TerminationRequested{Reason: "处置完毕", Done: "3", NACount: "2", After: "1",
		NAItems: []string{NotApplicable("关闭网站", "未涉及"), NotApplicable("封堵", "无需\n另行\t处理")}}
	if d := Data(ev); d["na_items"] != "关闭网站\t未涉及\n封堵\t无需 另行 处理" || d["na"] != "" {
		t.Fatalf("stored %q", d)
	}
	zh, en := ev.Text(i18n.ZH), ev.Text(i18n.EN)
	if zh != "申请终止预案，理由：处置完毕；不适用任务 2 项：关闭网站：未涉及；封堵：无需 另行 处理" ||
		en != "Requested plan termination: 处置完毕; 2 tasks not applicable: 关闭网站: 未涉及; 封堵: 无需 另行 处理" {
		t.Fatalf("got %q / %q", zh, en)
	}
	old := Decode(incident.EntryTerminationRequested, map[string]string{"reason": "处置完毕", "na_count": "1", "na": "关闭网站：未\t涉及"})
	if zh, en := old.Text(i18n.ZH), old.Text(i18n.EN); zh != "申请终止预案，理由：处置完毕；不适用任务 1 项：关闭网站：未\t涉及" ||
		en != "Requested plan termination: 处置完毕; 1 tasks not applicable: 关闭网站：未\t涉及" {
		t.Fatalf("old row: %q / %q", zh, en)
	}
}
