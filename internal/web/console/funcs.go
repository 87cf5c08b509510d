package console

import (
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"yingji/internal/alerts"
	"yingji/internal/duty"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/registry"
	"yingji/internal/report"
	"yingji/internal/reports"
	"yingji/internal/user"
	"yingji/internal/web/timeline"
)

// templateFuncs are the console templates' functions, all of them: every
// page is parsed with the same set (parsePages).
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset": assetURL,
		"t":     func(v *view, key string, args ...any) string { return i18n.T(v.L, key, args...) },
		"tm": func(v *view, t any) string {
			switch t := t.(type) {
			case time.Time:
				return timeIn(v.L, v.Loc, t)
			case *time.Time:
				if t != nil {
					return timeIn(v.L, v.Loc, *t)
				}
			}
			return ""
		},
		"iso":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"status":  func(v *view, s incident.Status) string { return i18n.T(v.L, "status."+string(s)) },
		"level":   func(v *view, l incident.Level) string { return i18n.T(v.L, "level."+strconv.Itoa(int(l))) },
		"color":   func(v *view, l incident.Level) string { return i18n.T(v.L, "color."+l.Color()) },
		"entry":   func(v *view, e *incident.Entry) string { return timeline.EntryText(v.L, e) },
		"isAdmin": func(u *user.User) bool { return u != nil && u.IsAdministrator() },
		"overdue": func(v *view, t *incident.Task) bool { return t.Overdue(v.Now) },
		"countdown": func(v *view, due time.Time, key string) string {
			return countdown(v.L, due.Sub(v.Now), key)
		},
		"otherLang": func(v *view) string {
			to := "en"
			if v.L == i18n.EN {
				to = "zh-CN"
			}
			return "/lang?to=" + to + "&back=" + url.QueryEscape(v.Path)
		},
		"otherLangTag": func(v *view) string {
			if v.L == i18n.EN {
				return "zh-CN"
			}
			return "en"
		},
		"dur": func(v *view, d time.Duration) string { return duration(v.L, d) },
		"add": func(a, b int) int { return a + b },
		"gbClasses": func() []struct{ Key, Name string } {
			var out []struct{ Key, Name string }
			for _, k := range plan.GBClasses() {
				out = append(out, struct{ Key, Name string }{k, plan.GBClassName(k)})
			}
			return out
		},
		"gbName": plan.GBClassName,
		"roleName": func(p *plan.Plan, k string) string {
			if r := p.Role(k); r != nil {
				return r.Name
			}
			return k
		},
		"deptName": func(p *plan.Plan, k string) string {
			if d := p.Department(k); d != nil {
				return d.Name
			}
			return k
		},
		"recipName": func(p *plan.Plan, k string) string {
			if r := p.Recipient(k); r != nil {
				return r.Name
			}
			return k
		},
		"levels": func() []int { return []int{1, 2, 3, 4} },
		"lvl":    func(l int) *incident.Incident { return &incident.Incident{Level: incident.Level(l)} },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},

		// Issue 12: the alert queue's link for those who work it.
		"mayAlerts": func(u *user.User) bool { return u != nil && alerts.MayHandle(u) },

		// Forms.
		// formTime renders a time for a datetime-local field in the plan's zone.
		"formTime": func(v *view, t time.Time) string { return t.In(v.Loc).Format(formTime) },
		"levelNum": func(l incident.Level) int { return int(l) },
		"hl":       highlight,

		// Reports: the incident page and the command post use them too.
		"mayDraft": func(u *user.User, in *incident.Incident) bool { return u != nil && reports.MayDraftReport(u, in) },
		"kindName": func(v *view, k string) string { return i18n.T(v.L, "report.kind."+k) },
		"rstatus":  func(v *view, st string) string { return i18n.T(v.L, "report.status."+st) },
		"seqName": func(v *view, r any) string {
			switch r := r.(type) {
			case *incident.Report:
				return seqName(v.L, r)
			case *report.Report:
				return seqName(v.L, &r.Report)
			}
			return ""
		},
		"onTime": onTime,
		"lines": func(s string) []string {
			var out []string
			for _, l := range strings.Split(s, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
			return out
		},
		"fieldVal":       func(f *report.Fields, k string) string { return fieldValue(f, k) },
		"reportKindsNow": func(in *incident.Incident) []string { return reports.ReportKindsNow(in) },

		// Duty and the registry.
		"shiftKind": func(v *view, k duty.Kind) string { return shiftKind(v.L, k) },
		"rowStatus": func(v *view, st string) string { return i18n.T(v.L, "registry.row."+st) },
		"problem":   func(v *view, p registry.Problem) string { return i18n.T(v.L, p.Key, p.Args...) },
		"recorder":  func(names map[int64]string, e *duty.LogEntry) string { return names[e.RecorderID] },
		"regtabs":   regTabs,
		"ips":       registry.JoinIPs,
		"rotVal":    rotVal,
		"rotErr":    rotErr,
		"rotSel":    rotSel,
		"person":    func(names map[int64]string, id int64) string { return names[id] },

		// the 审计记录 link in the nav (console_audit.go)
		"isAuditor": func(u *user.User) bool { return u != nil && u.HasRole(user.RoleAuditAdmin) },
	}
}

// assetURL names a static file with a hash of its content, so that a
// browser holding the old stylesheet for its hour (Cache-Control in
// staticHandler) fetches the new one at once after an upgrade. The files
// are embedded, so each hash is computed once.
func assetURL(name string) string {
	if u, ok := assetURLs.Load(name); ok {
		return u.(string)
	}
	u := "/static/" + name
	if b, err := consoleFS.ReadFile("static/" + name); err == nil {
		sum := sha256.Sum256(b)
		u += "?v=" + hex.EncodeToString(sum[:5])
	}
	assetURLs.Store(name, u)
	return u
}

var assetURLs sync.Map
