package plan

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"yingji/plans"
)

var update = flag.Bool("update", false, "rewrite testdata/*.err golden files")

// base is the smallest complete plan; the table cases edit it. Its line
// numbers are the ones the expected errors refer to.
const base = `key: test-plan
version: "1"
title: 测试预案
org: 测试局
roles:
  - key: leader
    name: 组长
  - key: approver
    name: 批准人
departments:
  - key: cyber
    name: 网监
    office: true
  - key: crime
    name: 刑警
leading_group:
  leader: leader
approvals:
  activation:
    roles: [approver]
    scope: parent
  termination:
    roles: [approver]
    scope: same_or_parent
reports:
  daily:
    at: "17:00"
    min_lead: 2h
    recipients: [gov]
  summary:
    within: 7d
    recipients: [gov]
  recipients:
    - key: gov
      name: 市政府
categories:
  - key: attack
    name: 网络攻击
    gb_class: attack
    daily_report: true
    phases:
      - key: handling
        name: 处置
        tasks:
          - key: collect
            title: 收集证据
            department: cyber
            due: 2h
          - key: open_case
            title: 立案侦查
            department: crime
`

// edit applies old→new replacements to base; each old must occur exactly
// once so a case cannot silently stop testing what it says.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	s := base
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := strings.Count(s, pairs[i]); n != 1 {
			t.Fatalf("edit: %q occurs %d times in base", pairs[i], n)
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func TestParseBase(t *testing.T) {
	p, err := Parse("t.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if p.TimeZone != DefaultTimeZone || p.Location.String() != DefaultTimeZone {
		t.Errorf("time zone = %q, %v; want the default", p.TimeZone, p.Location)
	}
	if got := p.Reports.Daily.Reminders; !reflect.DeepEqual(got, DefaultReminders) {
		t.Errorf("reminders = %v, want default %v", got, DefaultReminders)
	}
	if d := p.Reports.Daily; d.Hour != 17 || d.Minute != 0 || d.MinLead != 2*time.Hour {
		t.Errorf("daily = %+v", d)
	}
	if p.Reports.Summary.Within != 7*24*time.Hour {
		t.Errorf("summary within = %v, want 168h", p.Reports.Summary.Within)
	}
	if p.LeadingGroup.Office != "cyber" || p.OfficeDepartment().Name != "网监" {
		t.Errorf("office = %q, want cyber from the office flag", p.LeadingGroup.Office)
	}
	if p.Department("crime").ShortName != "刑警" {
		t.Errorf("short name did not default to name")
	}
	if string(p.Source) != base || len(p.Digest()) != 64 {
		t.Errorf("source not kept")
	}
	c := p.Category("attack")
	if tk, ph := c.Task("open_case"); tk == nil || ph.Key != "handling" || tk.Due != 0 {
		t.Errorf("Task(open_case) = %v, %v", tk, ph)
	}
	if p.Category("nope") != nil || p.Role("nope") != nil || p.Department("nope") != nil || p.Recipient("nope") != nil {
		t.Error("lookup of an unknown key returned non-nil")
	}
	if !p.Approvals.Activation.Allows("approver") || p.Approvals.Activation.Allows("leader") {
		t.Error("ApprovalRule.Allows")
	}
}

func TestParseOptions(t *testing.T) {
	p, err := Parse("t.yaml", []byte(edit(t,
		"org: 测试局\n", "org: 测试局\ntime_zone: Europe/Berlin\n",
		"    min_lead: 2h\n", "    min_lead: 2h\n    reminders: []\n",
		"    within: 7d\n", "    within: 1d12h\n",
		"  leader: leader\n", "  leader: leader\n  office: cyber\n",
	)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Location.String() != "Europe/Berlin" {
		t.Errorf("location = %v", p.Location)
	}
	if r := p.Reports.Daily.Reminders; r == nil || len(r) != 0 {
		t.Errorf("reminders: [] = %#v, want empty, not the default", r)
	}
	if p.Reports.Summary.Within != 36*time.Hour {
		t.Errorf("within = %v", p.Reports.Summary.Within)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // exact Error() lines, in order
	}{
		// Whole-file problems.
		{"empty", "", []string{"t.yaml:1: empty file"}},
		{"blank", "  \n\n", []string{"t.yaml:1: empty file"}},
		{"comments only", "# nothing\n", []string{"t.yaml:1: empty file"}},
		{"null document", "---\n", []string{"t.yaml:1: empty file"}},
		{"not a mapping", "- a\n- b\n", []string{"t.yaml:1: a plan must be a mapping of fields (key: value)"}},
		{"two documents", base + "---\nkey: x\n", []string{"t.yaml:52: only one YAML document is allowed"}},
		{"invalid utf-8", edit(t, "org: 测试局", "org: \xff"), []string{"t.yaml:4: file is not valid UTF-8"}},
		{"control character", edit(t, "title: 测试预案", "title: 测试\x01预案"), []string{"t.yaml:3: control character U+0001 is not allowed"}},

		// YAML syntax errors, at the line an editor shows.
		{"syntax bad indent", edit(t, "    name: 网络攻击\n", "   name: 网络攻击\n"),
			[]string{"t.yaml:38: YAML syntax error: did not find expected '-' indicator"}},
		{"syntax deep bad indent", edit(t, "            department: crime\n", "           department: crime\n"),
			[]string{"t.yaml:51: YAML syntax error: did not find expected '-' indicator"}},
		{"syntax over-indent", edit(t, "            title: 立案侦查", "             title: 立案侦查"),
			[]string{"t.yaml:50: YAML syntax error: mapping values are not allowed in this context"}},
		{"syntax tab", edit(t, "  leader: leader", "\tleader: leader"),
			[]string{"t.yaml:17: YAML syntax error: found character that cannot start any token"}},
		{"syntax unclosed flow", edit(t, "    roles: [approver]\n    scope: parent", "    roles: [approver\n    scope: parent"),
			[]string{"t.yaml:20: YAML syntax error: did not find expected ',' or ']'"}},
		{"syntax unclosed quote", edit(t, "            department: crime\n", "            department: \"crime\n"),
			[]string{"t.yaml:51: YAML syntax error: found unexpected end of stream"}},
		{"syntax first line", "key: a: b\n", []string{"t.yaml:1: YAML syntax error: mapping values are not allowed in this context"}},
		{"unknown anchor", edit(t, "  leader: leader", "  leader: *nope"),
			[]string{"t.yaml:17: YAML syntax error: unknown anchor 'nope' referenced"}},

		// Structure.
		{"unknown field", edit(t, "    daily_report: true", "    daily_reprot: true"),
			[]string{`t.yaml:40: categories[0].daily_reprot: unknown field (did you mean "daily_report"?)`}},
		{"unknown nested field", edit(t, "            title: 立案侦查", "            titel: 立案侦查"),
			[]string{`t.yaml:50: categories[0].phases[0].tasks[1].titel: unknown field (did you mean "title"?)`}},
		{"unknown field no suggestion", edit(t, "org: 测试局", "org: 测试局\nmonitoring: on"),
			[]string{"t.yaml:5: monitoring: unknown field"}},
		{"duplicate field", edit(t, "title: 测试预案", "title: 测试预案\ntitle: 另一个"),
			[]string{"t.yaml:4: title: duplicate field (first at line 3)"}},
		{"non-string field name", edit(t, "org: 测试局", "org: 测试局\n[a]: b"),
			[]string{"t.yaml:5: field names must be plain strings"}},
		{"list expected", edit(t, "    roles: [approver]\n    scope: parent", "    roles: approver\n    scope: parent"),
			[]string{"t.yaml:20: approvals.activation.roles: must be a list"}},
		{"mapping expected", edit(t, "leading_group:\n  leader: leader", "leading_group: leader"),
			[]string{"t.yaml:16: leading_group: must be a mapping (key: value), not a value"}},
		{"string expected", edit(t, "title: 测试预案", "title: [测试预案]"),
			[]string{"t.yaml:3: title: must be a string, not a list"}},
		{"alias", edit(t, "  - key: leader", "  - key: &k leader", "  leader: leader", "  leader: *k"),
			[]string{"t.yaml:17: leading_group.leader: YAML anchors and aliases are not supported"}},
		// Gated and after-termination tasks (issue 11).
		{"task approval unknown role", edit(t, "            department: crime\n", "            department: crime\n            approval:\n              roles: [deputy]\n              scope: same\n              name: 报经分管领导批准\n"),
			[]string{`t.yaml:53: categories[0].phases[0].tasks[1].approval.roles[0]: unknown role "deputy" (one of leader, approver)`}},
		{"task approval without name", edit(t, "            department: crime\n", "            department: crime\n            approval:\n              roles: [leader]\n              scope: same\n"),
			[]string{`t.yaml:52: categories[0].phases[0].tasks[1].approval.name: required`}},
		{"task approval bad scope", edit(t, "            department: crime\n", "            department: crime\n            approval:\n              roles: [leader]\n              scope: county\n              name: 报批\n"),
			[]string{`t.yaml:54: categories[0].phases[0].tasks[1].approval.scope: unknown scope "county" (one of parent, same, same_or_parent)`}},
		{"after termination outside termination", edit(t, "            department: crime\n", "            department: crime\n            after_termination: true\n"),
			[]string{`t.yaml:52: categories[0].phases[0].tasks[1].after_termination: only a task of the "termination" phase can come after termination`}},
		{"bool", edit(t, "    daily_report: true", "    daily_report: yes"),
			[]string{"t.yaml:40: categories[0].daily_report: must be true or false"}},

		// Durations.
		{"bad duration", edit(t, "            due: 2h", "            due: 2 hours"),
			[]string{`t.yaml:48: categories[0].phases[0].tasks[0].due: invalid duration "2 hours": use a Go duration such as 30m or 2h, or days such as 7d`}},
		{"duration without unit", edit(t, "    min_lead: 2h", "    min_lead: 90"),
			[]string{`t.yaml:28: reports.daily.min_lead: invalid duration "90": use a Go duration such as 30m or 2h, or days such as 7d`}},
		{"negative duration", edit(t, "            due: 2h", "            due: -30m"),
			[]string{`t.yaml:48: categories[0].phases[0].tasks[0].due: duration "-30m" must not be negative`}},
		{"negative days", edit(t, "    within: 7d", "    within: -7d"),
			[]string{`t.yaml:31: reports.summary.within: duration "-7d" must not be negative`}},
		{"fractional days", edit(t, "    within: 7d", "    within: 1.5d"),
			[]string{`t.yaml:31: reports.summary.within: invalid duration "1.5d": use a Go duration such as 30m or 2h, or days such as 7d`}},
		{"negative reminder", edit(t, "    min_lead: 2h", "    min_lead: 2h\n    reminders: [60m, -15m]"),
			[]string{`t.yaml:29: reports.daily.reminders[1]: duration "-15m" must not be negative`}},
		{"first report without within", edit(t, "reports:\n  daily:", "reports:\n  initial:\n    major_within: 1h\n  daily:"),
			[]string{"t.yaml:26: reports.initial.within: required when major_within is set"}},
		{"first report over a week", edit(t, "reports:\n  daily:", "reports:\n  initial:\n    within: 8d\n  daily:"),
			[]string{"t.yaml:27: reports.initial.within: must be at most 7d"}},
		{"min lead a day", edit(t, "    min_lead: 2h", "    min_lead: 1d"),
			[]string{"t.yaml:28: reports.daily.min_lead: must be less than 24h"}},

		// Header.
		{"key missing", strings.TrimPrefix(base, "key: test-plan\n"),
			[]string{"t.yaml:1: key: required"}},
		{"version missing", edit(t, "version: \"1\"\n", ""),
			[]string{"t.yaml:1: version: required"}},
		{"title and org missing", edit(t, "title: 测试预案\norg: 测试局\n", ""),
			[]string{"t.yaml:1: title: required", "t.yaml:1: org: required"}},
		{"bad plan key", edit(t, "key: test-plan", "key: Test_Plan"),
			[]string{`t.yaml:1: key: bad plan key "Test_Plan": use lower-case letters, digits and single hyphens, e.g. qingshen-cyber`}},
		{"bad version", edit(t, `version: "1"`, `version: "1 beta"`),
			[]string{`t.yaml:2: version: bad version "1 beta": use letters, digits, '.', '_' and '-', e.g. 2026.1`}},
		{"unknown time zone", edit(t, "org: 测试局", "org: 测试局\ntime_zone: Mars/Olympus"),
			[]string{`t.yaml:5: time_zone: unknown time zone "Mars/Olympus": use an IANA name such as Asia/Shanghai`}},
		{"local time zone", edit(t, "org: 测试局", "org: 测试局\ntime_zone: Local"),
			[]string{`t.yaml:5: time_zone: unknown time zone "Local": use an IANA name such as Asia/Shanghai`}},

		// Roles, departments, leading group.
		{"role key missing", edit(t, "  - key: approver\n", "  - kind: approver\n"),
			[]string{`t.yaml:8: roles[1].kind: unknown field`, "t.yaml:8: roles[1].key: required",
				`t.yaml:20: approvals.activation.roles[0]: unknown role "approver" (one of leader)`,
				`t.yaml:23: approvals.termination.roles[0]: unknown role "approver" (one of leader)`}},
		{"bad role key", edit(t, "  - key: leader", "  - key: Leader", "  leader: leader", "  leader: Leader"),
			[]string{`t.yaml:6: roles[0].key: bad key "Leader": use lower-case letters, digits and _, starting with a letter (at most 64)`,
				`t.yaml:17: leading_group.leader: unknown role "Leader" (one of approver)`}},
		{"duplicate role", edit(t, "  - key: approver\n", "  - key: leader\n"),
			[]string{`t.yaml:8: roles[1].key: duplicate role key "leader" (first at line 6)`,
				`t.yaml:20: approvals.activation.roles[0]: unknown role "approver" (one of leader)`,
				`t.yaml:23: approvals.termination.roles[0]: unknown role "approver" (one of leader)`}},
		{"role name missing", edit(t, "    name: 组长\n", ""),
			[]string{"t.yaml:6: roles[0].name: required"}},
		{"duplicate department", edit(t, "  - key: crime\n", "  - key: cyber\n"),
			[]string{`t.yaml:14: departments[1].key: duplicate department key "cyber" (first at line 11)`,
				`t.yaml:51: categories[0].phases[0].tasks[1].department: unknown department "crime" (one of cyber)`}},
		{"department name missing", edit(t, "    name: 刑警\n", ""),
			[]string{"t.yaml:14: departments[1].name: required"}},
		{"two offices", edit(t, "    name: 刑警\n", "    name: 刑警\n    office: true\n"),
			[]string{`t.yaml:16: departments[1].office: only one department can hold the leading group's office; "cyber" already does`}},
		{"leader missing", edit(t, "  leader: leader\n", "  name: 领导小组\n"),
			[]string{"t.yaml:16: leading_group.leader: required"}},
		{"leader unknown", edit(t, "  leader: leader", "  leader: chief"),
			[]string{`t.yaml:17: leading_group.leader: unknown role "chief" (one of leader, approver)`}},
		{"deputy unknown", edit(t, "  leader: leader", "  leader: leader\n  deputy: vice"),
			[]string{`t.yaml:18: leading_group.deputy: unknown role "vice" (one of leader, approver)`}},
		{"office unknown", edit(t, "  leader: leader", "  leader: leader\n  office: it"),
			[]string{`t.yaml:18: leading_group.office: unknown department "it" (one of cyber, crime)`}},
		{"office disagrees with flag", edit(t, "  leader: leader", "  leader: leader\n  office: crime"),
			[]string{`t.yaml:18: leading_group.office: is "crime" but department "cyber" is marked office: true`}},

		// Approvals.
		{"approval roles empty", edit(t, "    roles: [approver]\n    scope: parent", "    roles: []\n    scope: parent"),
			[]string{"t.yaml:20: approvals.activation.roles: at least one role must be allowed to decide"}},
		{"approval role unknown", edit(t, "    roles: [approver]\n    scope: same_or_parent", "    roles: [approver, mayor]\n    scope: same_or_parent"),
			[]string{`t.yaml:23: approvals.termination.roles[1]: unknown role "mayor" (one of leader, approver)`}},
		{"approval role twice", edit(t, "    roles: [approver]\n    scope: parent", "    roles: [approver, approver]\n    scope: parent"),
			[]string{`t.yaml:20: approvals.activation.roles[1]: role "approver" is listed twice`}},
		{"scope unknown", edit(t, "    scope: parent", "    scope: child"),
			[]string{`t.yaml:21: approvals.activation.scope: unknown scope "child" (one of parent, same, same_or_parent)`}},
		{"scope missing", edit(t, "    scope: same_or_parent\n", ""),
			[]string{"t.yaml:22: approvals.termination.scope: required"}},
		{"approvals missing", edit(t, "approvals:\n  activation:\n    roles: [approver]\n    scope: parent\n  termination:\n    roles: [approver]\n    scope: same_or_parent\n", ""),
			[]string{"t.yaml:1: approvals.activation.roles: at least one role must be allowed to decide",
				"t.yaml:1: approvals.activation.scope: required",
				"t.yaml:1: approvals.termination.roles: at least one role must be allowed to decide",
				"t.yaml:1: approvals.termination.scope: required"}},

		// Reports.
		{"at not HH:MM", edit(t, `    at: "17:00"`, `    at: 5pm`),
			[]string{`t.yaml:27: reports.daily.at: bad time "5pm": use HH:MM on a 24-hour clock, e.g. 17:00`}},
		{"at out of range", edit(t, `    at: "17:00"`, `    at: "24:00"`),
			[]string{`t.yaml:27: reports.daily.at: bad time "24:00": use HH:MM on a 24-hour clock, e.g. 17:00`}},
		{"at one digit hour", edit(t, `    at: "17:00"`, `    at: "7:00"`),
			[]string{`t.yaml:27: reports.daily.at: bad time "7:00": use HH:MM on a 24-hour clock, e.g. 17:00`}},
		{"at missing", edit(t, "    at: \"17:00\"\n", ""),
			[]string{"t.yaml:26: reports.daily.at: required because categories[0] has daily_report: true"}},
		{"daily recipients missing", edit(t, "    min_lead: 2h\n    recipients: [gov]\n", "    min_lead: 2h\n"),
			[]string{"t.yaml:26: reports.daily.recipients: required because categories[0] has daily_report: true"}},
		{"daily recipient unknown", edit(t, "    min_lead: 2h\n    recipients: [gov]", "    min_lead: 2h\n    recipients: [gov, party]"),
			[]string{`t.yaml:29: reports.daily.recipients[1]: unknown recipient "party" (one of gov)`}},
		{"summary recipient unknown", edit(t, "    within: 7d\n    recipients: [gov]", "    within: 7d\n    recipients: [police]"),
			[]string{`t.yaml:32: reports.summary.recipients[0]: unknown recipient "police" (one of gov)`}},
		{"summary without recipients", edit(t, "    within: 7d\n    recipients: [gov]\n", "    within: 7d\n"),
			[]string{"t.yaml:30: reports.summary.recipients: required when within is set"}},
		{"summary without within", edit(t, "    within: 7d\n", ""),
			[]string{"t.yaml:30: reports.summary.within: required when recipients are set"}},
		{"duplicate recipient", edit(t, "      name: 市政府", "      name: 市政府\n    - key: gov\n      name: 市委"),
			[]string{`t.yaml:36: reports.recipients[1].key: duplicate recipient key "gov" (first at line 34)`}},
		{"recipient name missing", edit(t, "      name: 市政府\n", ""),
			[]string{"t.yaml:34: reports.recipients[0].name: required"}},
		{"bad recipient key", edit(t, "    - key: gov", "    - key: 9gov"),
			[]string{`t.yaml:29: reports.daily.recipients[0]: unknown recipient "gov" (none are defined)`,
				`t.yaml:32: reports.summary.recipients[0]: unknown recipient "gov" (none are defined)`,
				`t.yaml:34: reports.recipients[0].key: bad key "9gov": use lower-case letters, digits and _, starting with a letter (at most 64)`}},

		// Categories, phases, tasks.
		{"no categories", base[:strings.Index(base, "categories:")] + "categories: []\n",
			[]string{"t.yaml:36: categories: at least one category is required"}},
		{"categories missing", base[:strings.Index(base, "categories:")],
			[]string{"t.yaml:1: categories: at least one category is required"}},
		{"duplicate category", base + "  - key: attack\n    name: 又一个\n    gb_class: other\n    phases:\n      - key: handling\n        name: 处置\n",
			[]string{`t.yaml:52: categories[1].key: duplicate category key "attack" (first at line 37)`}},
		{"category name missing", edit(t, "    name: 网络攻击\n", ""),
			[]string{"t.yaml:37: categories[0].name: required"}},
		{"gb_class unknown", edit(t, "    gb_class: attack", "    gb_class: hacking"),
			[]string{`t.yaml:39: categories[0].gb_class: unknown GB/T 20986-2023 class "hacking" (one of malware, attack, data, content, device, violation, hazard, anomaly, force_majeure, other)`}},
		{"gb_class missing", edit(t, "    gb_class: attack\n", ""),
			[]string{"t.yaml:37: categories[0].gb_class: required"}},
		{"no phases", base[:strings.Index(base, "    phases:")],
			[]string{"t.yaml:37: categories[0].phases: a category needs at least one phase"}},
		{"empty phases", base[:strings.Index(base, "    phases:")] + "    phases: []\n",
			[]string{"t.yaml:41: categories[0].phases: a category needs at least one phase"}},
		{"duplicate phase", base + "      - key: handling\n        name: 再处置\n",
			[]string{`t.yaml:52: categories[0].phases[1].key: duplicate phase key "handling" (first at line 42)`}},
		{"phase name missing", edit(t, "        name: 处置\n", ""),
			[]string{"t.yaml:42: categories[0].phases[0].name: required"}},
		{"duplicate task across phases", base + "      - key: reporting\n        name: 报告\n        tasks:\n          - key: collect\n            title: 再收集\n            department: cyber\n",
			[]string{`t.yaml:55: categories[0].phases[1].tasks[0].key: duplicate task key "collect" (first at line 45)`}},
		{"task title missing", edit(t, "            title: 收集证据\n", ""),
			[]string{"t.yaml:45: categories[0].phases[0].tasks[0].title: required"}},
		{"task department missing", edit(t, "            department: crime\n", ""),
			[]string{"t.yaml:49: categories[0].phases[0].tasks[1].department: required"}},
		{"task department unknown", edit(t, "            department: crime", "            department: police"),
			[]string{`t.yaml:51: categories[0].phases[0].tasks[1].department: unknown department "police" (one of cyber, crime)`}},
		{"bad task key", edit(t, "          - key: open_case", "          - key: open-case"),
			[]string{`t.yaml:49: categories[0].phases[0].tasks[1].key: bad key "open-case": use lower-case letters, digits and _, starting with a letter (at most 64)`}},

		// Several problems are all reported, in file order.
		{"crlf line ends", strings.ReplaceAll(edit(t, "            due: 2h", "            due: soon"), "\n", "\r\n"),
			[]string{`t.yaml:48: categories[0].phases[0].tasks[0].due: invalid duration "soon": use a Go duration such as 30m or 2h, or days such as 7d`}},
		{"crlf syntax", strings.ReplaceAll(edit(t, "            department: crime\n", "           department: crime\n"), "\n", "\r\n"),
			[]string{"t.yaml:51: YAML syntax error: did not find expected '-' indicator"}},
		{"many", edit(t, `version: "1"`, `version: ""`, "    scope: parent", "    scope: up", "            due: 2h", "            due: soon"),
			[]string{"t.yaml:2: version: required",
				`t.yaml:21: approvals.activation.scope: unknown scope "up" (one of parent, same, same_or_parent)`,
				`t.yaml:48: categories[0].phases[0].tasks[0].due: invalid duration "soon": use a Go duration such as 30m or 2h, or days such as 7d`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("t.yaml", []byte(tt.in))
			if err == nil {
				t.Fatalf("no error; want\n%s", strings.Join(tt.want, "\n"))
			}
			if p != nil {
				t.Error("plan returned with an error")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error is %T, want Errors", err)
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			var one *Error
			if !errors.As(err, &one) || one != errs[0] {
				t.Error("errors.As does not reach the first *Error")
			}
			for _, e := range errs {
				if e.File != "t.yaml" || e.Line < 1 {
					t.Errorf("bad location in %+v", e)
				}
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30m", 30 * time.Minute, true},
		{"2h", 2 * time.Hour, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"0", 0, true},
		{"0d", 0, true},
		{"-1d", -24 * time.Hour, true},
		{"1d-2h", 0, false},
		{"d", 0, false},
		{"1.5d", 0, false},
		{"106752d", 0, false},
		{"106751d23h59m", 0, false},
		{"", 0, false},
		{"7 days", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestLineAt(t *testing.T) {
	data := []byte("a\nb\r\nc\rd\u2028e\u0085f")
	for _, tt := range []struct {
		sub  string
		line int
	}{{"a", 1}, {"b", 2}, {"\r\nc", 2}, {"\nc", 2}, {"c", 3}, {"d", 4}, {"e", 5}, {"f", 6}} {
		if got := lineAt(data, strings.Index(string(data), tt.sub)); got != tt.line {
			t.Errorf("lineAt(%q) = %d, want %d", tt.sub, got, tt.line)
		}
	}
}

func TestGBClass(t *testing.T) {
	if GBClassName("content") != "信息内容安全事件" || GBClassName("nope") != "" {
		t.Error("GBClassName")
	}
	if len(GBClasses()) != 10 {
		t.Errorf("GBClasses() = %v", GBClasses())
	}
}

// TestDefaultPlan checks the shipped plan against the seed's structure.
func TestDefaultPlan(t *testing.T) {
	p, err := Load(plans.FS, plans.Default)
	if err != nil {
		t.Fatal(err)
	}
	if p.Key != "qingshen-cyber" || p.Org != "青神县公安局" || p.Location.String() != "Asia/Shanghai" {
		t.Errorf("header = %q %q %v", p.Key, p.Org, p.Location)
	}
	wantCats := []struct{ key, gb string }{
		{"harmful_info", "content"}, {"malicious_hype", "content"},
		{"network_attack", "attack"}, {"virus_outbreak", "malware"}, {"assigned_task", "other"},
	}
	if len(p.Categories) != len(wantCats) {
		t.Fatalf("%d categories, want %d", len(p.Categories), len(wantCats))
	}
	for i, w := range wantCats {
		c := p.Categories[i]
		if c.Key != w.key || c.GBClass != w.gb {
			t.Errorf("categories[%d] = %s/%s, want %s/%s", i, c.Key, c.GBClass, w.key, w.gb)
		}
		if c.Phase(PhaseActivation) == nil || c.Phase(PhaseTermination) == nil || c.Phase(PhaseReporting) == nil {
			t.Errorf("%s lacks activation, reporting or termination", c.Key)
		}
		if c.Scope == "" {
			t.Errorf("%s has no scope sentence", c.Key)
		}
	}
	if p.Category("virus_outbreak").Phase(PhaseWarning) == nil {
		t.Error("virus_outbreak lacks the 预警通报 phase")
	}
	if p.Category("harmful_info").Phase(PhaseInvestigation) == nil {
		t.Error("harmful_info lacks 侦查工作")
	}
	for _, r := range []ApprovalRule{p.Approvals.Activation, p.Approvals.Termination} {
		if !reflect.DeepEqual(r.Roles, []string{"city_deputy"}) || r.Scope != ScopeParent {
			t.Errorf("approval rule = %+v", r)
		}
	}
	d := p.Reports.Daily
	// Issue 11: no lead (the seed counts the day of activation before 17:00).
	if d.Hour != 17 || d.Minute != 0 || d.MinLead != 0 ||
		!reflect.DeepEqual(d.Reminders, []time.Duration{time.Hour, 15 * time.Minute}) ||
		!reflect.DeepEqual(d.Recipients, []string{"shiwei", "shizhengfu", "shangji"}) {
		t.Errorf("daily = %+v", d)
	}
	if s := p.Reports.Summary; s.Within != 7*24*time.Hour || len(s.Recipients) != 3 {
		t.Errorf("summary = %+v", s)
	}
	if i := p.Reports.Initial; i.For(1) != time.Hour || i.For(2) != time.Hour || i.For(3) != 4*time.Hour || i.For(4) != 4*time.Hour {
		t.Errorf("initial = %+v", i)
	}
	if f := p.Reports.Final; f.Within != 2*time.Hour {
		t.Errorf("final = %+v", f)
	}
	if o := p.OfficeDepartment(); o == nil || o.Key != "wangjian" || !o.Office || o.ShortName != "网监科" {
		t.Errorf("office department = %+v", o)
	}
	for _, k := range []string{"duty_officer", "group_leader", "group_deputy", "group_member", "city_deputy", "admin"} {
		if p.Role(k) == nil {
			t.Errorf("role %s missing", k)
		}
	}
	if got := len(p.Departments); got != 7 {
		t.Errorf("%d departments, want 7", got)
	}
	for _, k := range []string{"shiwei", "shizhengfu", "shangji"} {
		if p.Recipient(k) == nil {
			t.Errorf("recipient %s missing", k)
		}
	}

	q, err := LoadDefault()
	if err != nil || q.Digest() != p.Digest() {
		t.Errorf("LoadDefault = %v, digest differs: %v", err, q != nil && q.Digest() != p.Digest())
	}
}

// TestTestdata parses each broken plan in testdata and compares the errors
// with the golden .err file beside it (go test -update rewrites them).
func TestTestdata(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, perr := Parse(filepath.ToSlash(f), data)
			if perr == nil {
				t.Fatal("broken plan parsed without error")
			}
			golden := strings.TrimSuffix(f, ".yaml") + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(perr.Error()+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := perr.Error() + "\n"; got != string(want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	if _, err := Load(plans.FS, "missing.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
}
