package plan

import (
	"strings"
	"testing"
)

const alertBlock = `alert_rules:
  - name: 重点网站遭攻击
    format: suricata
    rule: "ET WEB_SERVER*"
    min_severity: high
    key_site: true
    category: attack
    level: III
    page: true
    register: true
  - name: 监测告警
    format: monitor
    page: true
`

// Issue 12: the alert_rules section decodes, and every mistake names its
// line.
func TestAlertRulesSection(t *testing.T) {
	p, err := Parse("t.yaml", []byte(base+alertBlock))
	if err != nil {
		t.Fatal(err)
	}
	r := p.AlertRules
	if len(r) != 2 || r[0].LevelNum != 3 || r[0].MinSeverityNum != 4 || !r[0].KeySite || !r[0].Register || r[1].Format != "monitor" || r[1].LevelNum != 0 {
		t.Fatalf("%+v", r)
	}
	lineOf := func(s, sub string) int { return strings.Count(s[:strings.Index(s, sub)], "\n") + 1 }
	for _, c := range []struct{ old, new, at, want string }{
		{"format: suricata", "format: snort", "", `alert_rules[0].format: unknown format "snort"`},
		{"min_severity: high", "min_severity: urgent", "", `alert_rules[0].min_severity: unknown severity "urgent"`},
		{"category: attack", "category: nothing", "", `alert_rules[0].category: unknown category "nothing"`},
		{"level: III", "level: V", "", `alert_rules[0].level: unknown level "V"`},
		{"    level: III\n", "", "    category: attack", "alert_rules[0].category: a level is required with category"},
		{"    category: attack\n    level: III\n", "", "  - name: 重点", "alert_rules[0].category: required when register is true"},
		{"  - name: 监测告警", "  - name: 重点网站遭攻击", "重点网站遭攻击\n    format: monitor", `alert_rules[1].name: duplicate alert rule name "重点网站遭攻击" (first at line`},
		{"    format: monitor\n", "", "  - name: 监测告警", "alert_rules[1]: matches every alert"},
		{"    format: monitor\n    page: true\n", "    format: monitor\n    page: false\n", "  - name: 监测告警", "alert_rules[1]: does nothing"},
		{"    key_site: true", "    key_site: yes please", "", "alert_rules[0].key_site: must be true or false"},
	} {
		src := base + strings.Replace(alertBlock, c.old, c.new, 1)
		at := c.at
		if at == "" {
			at = c.new
		}
		want := "t.yaml:" + itoaTest(lineOf(src, at)) + ": " + c.want
		if _, err := Parse("t.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q → %q: got %v, want %s", c.old, c.new, err, want)
		}
	}
}
