package plan

import (
	"fmt"
	"strings"
)

// AlertRule says what yingji does with a kind of alert when it lands (issue
// 12): suggest a category and level, page the duty officer on duty, and/or
// register an incident in reported state with the alert attached.
// Activation stays a human decision. The first rule in file order that
// matches an alert applies; an alert no rule matches is only queued.
type AlertRule struct {
	Name string `yaml:"name"` // shown on the alert: which rule applied
	// Match: every field given must hold.
	Format      string `yaml:"format"`       // alertmanager, suricata, json, syslog, monitor, unit
	Rule        string `yaml:"rule"`         // the alert's rule: exact, or a glob with * and ?
	MinSeverity string `yaml:"min_severity"` // info, low, medium, high, critical
	KeySite     bool   `yaml:"key_site"`     // only alerts on a key website (重点网站)
	// Sensitive: only while a sensitive period (敏感时期, the rota's duty
	// periods) is declared: 四(三) is the attack in such a period.
	Sensitive bool `yaml:"sensitive_period"`
	// Do.
	Category string `yaml:"category"` // a category key: suggested, and the incident's when registered
	Level    string `yaml:"level"`    // I, II, III or IV
	Page     bool   `yaml:"page"`     // page the duty officers and leader on duty now
	Register bool   `yaml:"register"` // register an incident in reported state
	// LevelNum is Level as a number (1 = I); 0 when no level is given.
	LevelNum int `yaml:"-"`
	// MinSeverityNum is MinSeverity as signal.Severity's number (1 = info); 0: any.
	MinSeverityNum int `yaml:"-"`
}

// AlertFormats are the formats a rule may name (signal.Format*).
var AlertFormats = []string{"alertmanager", "suricata", "json", "syslog", "monitor", "unit"}

// SeverityNames are signal.Severity's names, in order from 1.
var SeverityNames = []string{"info", "low", "medium", "high", "critical"}

var romanLevels = []string{"I", "II", "III", "IV"}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func (v *validator) alertRules() {
	cats := &keySet{path: map[string]string{}}
	for i, c := range v.p.Categories {
		if _, dup := cats.path[c.Key]; c.Key != "" && !dup {
			cats.order = append(cats.order, c.Key)
			cats.path[c.Key] = fmt.Sprintf("categories[%d].key", i)
		}
	}
	names := map[string]string{}
	for i := range v.p.AlertRules {
		r := &v.p.AlertRules[i]
		path := fmt.Sprintf("alert_rules[%d]", i)
		if v.required(path+".name", r.Name) {
			if first, dup := names[r.Name]; dup {
				v.errAt(path+".name", "duplicate alert rule name %q (first at line %d)", r.Name, v.line(first))
			}
			names[r.Name] = path + ".name"
		}
		if r.Format != "" && indexOf(AlertFormats, r.Format) < 0 {
			v.errAt(path+".format", "unknown format %q (one of %s)", r.Format, strings.Join(AlertFormats, ", "))
		}
		if len(r.Rule) > 200 {
			v.errAt(path+".rule", "at most 200 characters")
		}
		if r.MinSeverity != "" {
			if n := indexOf(SeverityNames, r.MinSeverity); n < 0 {
				v.errAt(path+".min_severity", "unknown severity %q (one of %s)", r.MinSeverity, strings.Join(SeverityNames, ", "))
			} else {
				r.MinSeverityNum = n + 1
			}
		}
		if r.Format == "" && r.Rule == "" && r.MinSeverity == "" && !r.KeySite && !r.Sensitive {
			v.errAt(path, "matches every alert: give format, rule, min_severity, key_site or sensitive_period")
		}
		if r.Category != "" {
			v.ref(path+".category", r.Category, cats, "category")
		}
		if r.Level != "" {
			if n := indexOf(romanLevels, r.Level); n < 0 {
				v.errAt(path+".level", "unknown level %q (one of I, II, III, IV)", r.Level)
			} else {
				r.LevelNum = n + 1
			}
		}
		if r.Category != "" && r.Level == "" {
			v.errAt(path+".category", "a level is required with category")
		}
		if r.Level != "" && r.Category == "" {
			v.errAt(path+".level", "a category is required with level")
		}
		if r.Register && r.Category == "" {
			v.errAt(path+".category", "required when register is true: the incident needs a category and level")
		}
		if r.Category == "" && !r.Page && !r.Register {
			v.errAt(path, "does nothing: give category and level, page or register")
		}
	}
}
