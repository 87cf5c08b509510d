package alerts

import (
	"strings"
	"testing"

	"yingji/internal/signal"
)

// TestDiscoveryMethod: the 发现方式 an alert gives its incident names the
// unit's report and yingji's own checks in words, a device's alert with its
// rule, and stays within the field's 200 characters.
func TestDiscoveryMethod(t *testing.T) {
	long := strings.Repeat("规", 300)
	for _, c := range []struct {
		a    signal.Alert
		want string
	}{
		{signal.Alert{Format: signal.FormatUnit, Rule: "unit.report"}, "联网单位报告"},
		{signal.Alert{Format: signal.FormatMonitor, Rule: "monitor.down"}, "本系统网站监测"},
		{signal.Alert{Format: signal.FormatAlertmanager, Rule: "SiteDown"}, "监测告警（规则：SiteDown）"},
		{signal.Alert{Format: signal.FormatSuricata, Rule: "ET SCAN Nmap"}, "监测告警（规则：ET SCAN Nmap）"},
		{signal.Alert{Format: signal.FormatJSON, Rule: long}, "监测告警（规则：" + long[:180*3] + "）"},
	} {
		if got := discoveryMethod(&c.a); got != c.want {
			t.Errorf("%s %.20s: %q, want %q", c.a.Format, c.a.Rule, got, c.want)
		}
	}
}
