package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/plan"
	"yingji/internal/user"
)

// view is what every console template gets: the page chrome and Data.
type view struct {
	L     i18n.Lang
	Loc   *time.Location
	Now   time.Time
	Title string
	Nav   string
	User  *user.User
	CSRF  string
	Flash *flash
	Path  string // this page, for the language switch to come back to
	Live  string // the live-update stream to follow, if any
	Data  any
	// MayRegister shows the register link: the service's rule (a command
	// role, or a superior who may assign a task below), not a role list here.
	MayRegister bool
	Unread      int // the bell: my unread notices (issue 10, PORT)
}

func (s *Server) loc() *time.Location {
	if s.Loc != nil {
		return s.Loc
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return loc
}

func (s *Server) newPage(w http.ResponseWriter, r *http.Request, c *req, title, nav string) *view {
	v := &view{L: c.l, Loc: s.loc(), Now: s.Svc.Now(), Title: title, Nav: nav, Path: r.URL.RequestURI()}
	// A live refresh fetches the page in the background: it must not eat the
	// message meant for the page the browser is about to show.
	if r.Header.Get("X-Live") == "" {
		v.Flash = takeFlash(w, r)
	}
	if c.sess != nil {
		v.User, v.CSRF = c.u, c.sess.CSRF
		v.MayRegister = s.Svc.MayRegister(r.Context(), c.u)
		v.Unread = s.Notices.UnreadCount(r.Context(), c.u) // issue 10 (PORT)
	}
	return v
}

func (s *Server) render(w http.ResponseWriter, st int, name string, v *view) {
	t := s.console.pages[name]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.logError("render", "page", name, "err", err)
		http.Error(w, "render error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(st)
	w.Write(buf.Bytes())
}

var pageNames = []string{"login", "error", "dashboard", "incidents", "new", "incident", "task", "approvals", "plan", "admin", "password"}

func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, n := range pageNames {
		out[n] = template.Must(template.New(n).Funcs(funcs).ParseFS(consoleFS, "templates/layout.html", "templates/parts.html", "templates/command.html", "templates/"+n+".html"))
	}
	return out
}

var funcs = template.FuncMap{
	"t": func(v *view, key string, args ...any) string { return i18n.T(v.L, key, args...) },
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
	"entry":   func(v *view, e *incident.Entry) string { return EntryText(v.L, e) },
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
}

// countdown renders the time left (or past) before a deadline; the script
// redraws the same format every few seconds from data-due.
func countdown(l i18n.Lang, d time.Duration, _ string) string {
	key := "countdown.left"
	if d < 0 {
		key, d = "countdown.over", -d
	}
	m := int(d / time.Minute)
	return strings.NewReplacer("{h}", strconv.Itoa(m/60), "{m}", strconv.Itoa(m%60)).Replace(i18n.T(l, key))
}

func duration(l i18n.Lang, d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return i18n.T(l, "dur.days", int(d/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		return i18n.T(l, "dur.hours", int(d/time.Hour))
	}
	return i18n.T(l, "dur.minutes", int(d/time.Minute))
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func incidentURL(id int64) string { return fmt.Sprintf("/incidents/%d", id) }

func (s *Server) logError(msg string, args ...any) {
	if s.Log != nil {
		s.Log.Error(msg, args...)
	}
}
