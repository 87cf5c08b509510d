package console

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/i18n"
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
	Poll        int // ms between refreshes of the live fragments, for pages no stream follows (the alert queue)
}

func (s *Server) loc() *time.Location {
	if s.Loc != nil {
		return s.Loc
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return loc
}

func (s *Server) newPage(w http.ResponseWriter, r *http.Request, c *req, title, nav string) *view {
	v := &view{L: c.l, Loc: s.loc(), Now: s.App.Core.Now(), Title: title, Nav: nav, Path: r.URL.RequestURI()}
	// A live refresh fetches the page in the background: it must not eat the
	// message meant for the page the browser is about to show.
	if r.Header.Get("X-Live") == "" {
		v.Flash = takeFlash(w, r)
	}
	if c.sess != nil {
		v.User, v.CSRF = c.u, c.sess.CSRF
		v.MayRegister = s.App.Incidents.MayRegister(r.Context(), c.u)
		v.Unread = s.App.Notices.UnreadCount(r.Context(), c.u)
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

// pageNames are the console's pages that show the command post's parts
// (command.html); plainPages the rest.
var (
	pageNames  = []string{"login", "error", "dashboard", "incidents", "new", "incident", "task", "approvals", "plan", "admin", "password"}
	plainPages = []string{"totp_login", "totp", "report", "timeliness", "duty", "registry", "import_report", "unit", "regform", "reglist", "notices", "rollcall",
		"monitors", "monitor", "unitreports", "unitform", "alerts", "alert", "sources", // issue 12
		"evidence", "evidence_item", // issue 13
		"bulletin_unit", "bulletins", "bulletin", // issue 14
		"audit"} // the auditor's 审计记录
)

// parsePages parses every page of the console, each with the layout, the
// shared parts and the template functions (funcs.go).
func parsePages() map[string]*template.Template {
	funcs := templateFuncs()
	out := map[string]*template.Template{}
	for _, n := range pageNames {
		out[n] = template.Must(template.New(n).Funcs(funcs).ParseFS(consoleFS, "templates/layout.html", "templates/parts.html", "templates/command.html", "templates/"+n+".html"))
	}
	for _, n := range plainPages {
		out[n] = template.Must(template.New(n).Funcs(funcs).ParseFS(consoleFS, "templates/layout.html", "templates/parts.html", "templates/"+n+".html"))
	}
	for _, n := range warningPages { // issue 14: console_warnings.go
		out[n] = template.Must(template.New(n).Funcs(funcs).ParseFS(consoleFS, "templates/layout.html", "templates/parts.html", "templates/warning_fields.html", "templates/"+n+".html"))
	}
	return out
}

// countdown renders the time left (or past) before a deadline; the script
// redraws the same format every few seconds from data-due.
func countdown(l i18n.Lang, d time.Duration, _ string) string {
	key := "countdown.left"
	if d < 0 {
		key, d = "countdown.over", -d
	}
	m := int(d / time.Minute)
	if m >= 24*60 { // days and hours: "167 小时" had the reader count days
		return strings.NewReplacer("{d}", strconv.Itoa(m/(24*60)), "{h}", strconv.Itoa(m/60%24)).Replace(i18n.T(l, key+"_days"))
	}
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
