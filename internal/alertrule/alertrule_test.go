package alertrule

import (
	"net/netip"
	"testing"

	"yingji/internal/plan"
	"yingji/internal/registry"
	"yingji/internal/signal"
)

func TestMatchSite(t *testing.T) {
	gov := &registry.Website{ID: 1, Domain: "qingshen.gov.cn", IPs: []netip.Addr{netip.MustParseAddr("10.0.0.5")}}
	www := &registry.Website{ID: 2, Domain: "WWW.Qingshen.gov.cn."}
	school := &registry.Website{ID: 3, Domain: "https://school.example:8443/", IPs: []netip.Addr{netip.MustParseAddr("2001:db8::1")}}
	sites := []*registry.Website{gov, www, school}
	for _, c := range []struct {
		name, ip, domain string
		want             int64
	}{
		{"the IP wins over the domain", "10.0.0.5", "school.example", 1},
		{"an IPv4-mapped address is the same address", "::ffff:10.0.0.5", "", 1},
		{"IPv6", "2001:db8::1", "", 3},
		{"domain equal", "", "qingshen.gov.cn", 1},
		{"the nearest parent domain", "", "mail.www.qingshen.gov.cn", 2},
		{"case and trailing dot do not matter", "", "QINGSHEN.gov.cn.", 1},
		{"a registered URL matches its host", "", "a.school.example", 3},
		{"a suffix that is not a parent domain", "", "notqingshen.gov.cn", 0},
		{"unknown IP and no domain", "10.9.9.9", "", 0},
		{"a bad IP falls back to the domain", "not-an-ip", "qingshen.gov.cn", 1},
		{"nothing", "", "", 0},
	} {
		got := MatchSite(sites, c.ip, c.domain)
		var id int64
		if got != nil {
			id = got.ID
		}
		if id != c.want {
			t.Errorf("%s: got site %d, want %d", c.name, id, c.want)
		}
	}
}

func TestPriority(t *testing.T) {
	for _, c := range []struct {
		sev            signal.Severity
		key, sensitive bool
		want           int
	}{
		{signal.Low, false, false, 2},
		{signal.Low, true, false, 3},
		{signal.Low, false, true, 3},
		{signal.High, true, true, 6},
		{signal.Critical, true, true, MaxPriority},
	} {
		if got := Priority(c.sev, c.key, c.sensitive); got != c.want {
			t.Errorf("Priority(%d, key %v, sensitive %v) = %d, want %d", c.sev, c.key, c.sensitive, got, c.want)
		}
	}
}

func TestApplies(t *testing.T) {
	rules := []plan.AlertRule{
		{Name: "period", MinSeverityNum: int(signal.Critical), KeySite: true, Sensitive: true},
		{Name: "key-web", Format: "suricata", Rule: "ET WEB_SERVER*", MinSeverityNum: int(signal.High), KeySite: true},
		{Name: "monitor", Format: "monitor"},
		{Name: "any-critical", MinSeverityNum: int(signal.Critical)},
	}
	a := func(format, rule string, sev signal.Severity) *signal.Alert {
		return &signal.Alert{Format: format, Rule: rule, Severity: sev}
	}
	for _, c := range []struct {
		name  string
		alert *signal.Alert
		key   bool
		sens  bool
		want  string
	}{
		{"a sensitive period", a("suricata", "ET WEB_SERVER SQL Injection", signal.Critical), true, true, "period"},
		{"outside it the next rule", a("suricata", "ET WEB_SERVER SQL Injection", signal.Critical), true, false, "key-web"},
		{"all conditions hold", a("suricata", "ET WEB_SERVER SQL Injection", signal.High), true, false, "key-web"},
		{"not a key website", a("suricata", "ET WEB_SERVER SQL Injection", signal.High), false, false, ""},
		{"severity below the minimum", a("suricata", "ET WEB_SERVER SQL Injection", signal.Medium), true, false, ""},
		{"another rule", a("suricata", "ET SCAN Nmap", signal.High), true, false, ""},
		{"format only", a("monitor", "http", signal.Low), false, false, "monitor"},
		{"the first matching rule wins", a("monitor", "http", signal.Critical), false, false, "monitor"},
		{"severity only", a("syslog", "x", signal.Critical), false, false, "any-critical"},
	} {
		got := ""
		if r := Applies(rules, c.alert, c.key, c.sens); r != nil {
			got = r.Name
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"ET WEB*", "ET WEB_SERVER x", true},
		{"ET WEB*", "GPL WEB", false},
		{"exact", "exact", true},
		{"exact", "exactly", false},
		{"*SQL*", "ET WEB_SERVER SQL Injection", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*", "", true},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"网站*", "网站篡改", true},
		{"**a", "bbba", true},
	} {
		if got := Glob(c.p, c.s); got != c.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
}

func FuzzGlob(f *testing.F) {
	f.Add("ET WEB*", "ET WEB_SERVER")
	f.Add("a*b?c", "axxbyc")
	f.Fuzz(func(t *testing.T, p, s string) {
		if len(p) > 64 || len(s) > 256 {
			return
		}
		Glob(p, s)
		if !Glob("*", s) || !Glob(s+"*", s) && !containsMeta(s) {
			t.Fatalf("%q", s)
		}
	})
}

func containsMeta(s string) bool {
	for _, r := range s {
		if r == '*' || r == '?' {
			return true
		}
	}
	return false
}
