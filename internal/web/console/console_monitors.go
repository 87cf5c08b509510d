package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"yingji/internal/alerts"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/monitor"
	"yingji/internal/monitors"
	"yingji/internal/registry"
	"yingji/internal/unitreports"
)

// Issue 12: the monitors of registered key websites and the units'
// reporting channel (网络报警处置中心): the office's pages, and the form a
// unit reaches through its link (/u/{token}, no account).

func (s *Server) monitorsPage(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.renderMonitors(w, r, c, http.StatusOK, nil)
}

// monForm is a refused add as it comes back: the message, the field it
// names, and what was typed.
type monForm struct {
	Error, Field  string
	SiteID        int64
	URL, Interval string
}

func (s *Server) renderMonitors(w http.ResponseWriter, r *http.Request, c *req, st int, f *monForm) error {
	if f == nil {
		f = &monForm{Interval: "5"}
	}
	ms, err := s.App.Monitors.List(r.Context(), c.u)
	if err != nil {
		return err
	}
	rows := make([]monRow, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, newMonRow(c.l, m))
	}
	data := map[string]any{"Monitors": rows, "MayEdit": monitors.MayEdit(c.u), "Form": f}
	if monitors.MayEdit(c.u) {
		sites, err := s.App.Units.ListWebsites(r.Context(), c.u, registry.Filter{KeySite: true, Limit: 1000}, 0)
		if err != nil {
			return err
		}
		taken := map[int64]bool{}
		for _, m := range ms {
			taken[m.WebsiteID] = true
		}
		var free []*registry.Website
		for _, w := range sites {
			if !taken[w.ID] && w.OrgID == c.u.OrgID {
				free = append(free, w)
			}
		}
		data["Sites"] = free
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "mon.title"), "monitors")
	p.Data = data
	s.render(w, st, "monitors", p)
	return nil
}

// monRow is a monitor as the pages show it: its state in one word (the
// worst of what the checks found), the latency and interval in the units
// shown.
type monRow struct {
	*monitor.Monitor
	Class, Text string
	LatencyMs   int64
	Minutes     int
	// Why the last check failed, in words (monitor.Reason), and its code.
	Reason, ReasonCode string
}

func newMonRow(l i18n.Lang, m *monitor.Monitor) monRow {
	class := string(m.Availability)
	switch {
	case !m.Enabled:
		class = "paused"
	case m.Availability == monitor.Down:
	case m.Content == monitor.Changed:
		class = "changed"
	case m.TLS == monitor.TLSExpired || m.TLS == monitor.TLSExpiring:
		class = "expiring"
	}
	return monRow{Monitor: m, Class: class, Text: i18n.T(l, "mon.st."+class), LatencyMs: m.LastLatency.Milliseconds(), Minutes: int(m.Interval.Minutes()),
		Reason: monitor.ReasonText(l, m.LastError), ReasonCode: monitor.Reason(m.LastError)}
}

// monResult is a check of the history with why it failed, in words; Go's
// text (Error) stays for the technician.
type monResult struct {
	*monitor.Result
	Reason, ReasonCode string
}

// monChange is a change of state as its line reads: a down change that
// kept Go's text says why in the reader's language, the text after it.
type monChange struct {
	*monitor.Change
	Text, Raw, ReasonCode string
}

func newMonChange(l i18n.Lang, url string, c *monitor.Change) monChange {
	stored, _ := c.Detail["detail"].(string)
	ch := monChange{Change: c, Text: stored}
	if raw := monitor.ChangeError(c, url); raw != "" {
		ch.Raw, ch.ReasonCode = raw, monitor.Reason(raw)
		ch.Text = i18n.T(l, "monitor.change.unreachable", url, monitor.ReasonText(l, raw))
	}
	// A certificate's days left, in the reader's language from the stored
	// count (a change kept before "expired" was stored: a negative count).
	if c.Kind == string(monitor.EvExpiring) || c.Kind == string(monitor.EvRenewed) {
		var days float64
		switch v := c.Detail["days_left"].(type) {
		case float64:
			days = v
		case int:
			days = float64(v)
		default:
			return ch
		}
		expired, _ := c.Detail["expired"].(bool)
		ch.Text = monitor.ExpiryText(l, int(days), expired || days < 0)
	}
	return ch
}

// formSettings reads the settings form; empty fields keep their value.
func formSettings(r *http.Request, withChecks bool) (monitors.Settings, error) {
	var st monitors.Settings
	st.URL = strings.TrimSpace(r.PostFormValue("url"))
	// The range in the form's own unit: the service's message counts
	// seconds, which the form does not ask for.
	minMin, maxMin := int(monitor.MinInterval/time.Minute), int(monitor.MaxInterval/time.Minute)
	if v := r.PostFormValue("interval_minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minMin || n > maxMin {
			return st, errs.Field("interval_seconds", "mon.bad_interval_minutes", minMin, maxMin)
		}
		st.Interval = time.Duration(n) * time.Minute
	}
	if v := r.PostFormValue("tls_warn_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			// 0 means "keep" to the service: refuse it here, as it would.
			return st, errs.Field("tls_warn_days", "monitor.bad_warn_days")
		}
		st.WarnDays = n
	}
	if withChecks {
		b := func(name string) *bool { v := r.PostFormValue(name) == "1"; return &v }
		st.CheckContent, st.CheckTLS, st.CheckDNS, st.Enabled = b("check_content"), b("check_tls"), b("check_dns"), b("enabled")
	}
	return st, nil
}

func (s *Server) monitorCreate(w http.ResponseWriter, r *http.Request, c *req) error {
	id, _ := strconv.ParseInt(r.PostFormValue("website_id"), 10, 64)
	st, err := formSettings(r, false)
	if err == nil {
		var m *monitor.Monitor
		if m, err = s.App.Monitors.Create(r.Context(), c.u, id, st); err == nil {
			return done(w, r, c, "/monitors/"+strconv.FormatInt(m.ID, 10), nil, i18n.T(c.l, "mon.created"))
		}
	}
	// Bad input comes back on the form with what was typed (a redirect
	// lost the address), the field it names marked.
	if code := errs.CodeOf(err); code == errs.Invalid || code == errs.Conflict {
		status := http.StatusUnprocessableEntity
		if code == errs.Conflict {
			status = http.StatusConflict
		}
		return s.renderMonitors(w, r, c, status, &monForm{Error: errText(c.l, err), Field: errs.As(err).Field, SiteID: id,
			URL: r.PostFormValue("url"), Interval: r.PostFormValue("interval_minutes")})
	}
	return err
}

func (s *Server) monitorPage(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	v, err := s.App.Monitors.Get(r.Context(), c.u, id, 50)
	if err != nil {
		return err
	}
	results := make([]monResult, 0, len(v.Results))
	for _, x := range v.Results {
		results = append(results, monResult{Result: x, Reason: monitor.ReasonText(c.l, x.Error), ReasonCode: monitor.Reason(x.Error)})
	}
	changes := make([]monChange, 0, len(v.Changes))
	for _, x := range v.Changes {
		changes = append(changes, newMonChange(c.l, v.URL, x))
	}
	p := s.newPage(w, r, c, v.SiteName, "monitors")
	p.Data = map[string]any{"V": v, "Row": newMonRow(c.l, v.Monitor), "MayEdit": monitors.MayEdit(c.u) && v.OrgID == c.u.OrgID,
		"Results": results, "Changes": changes}
	s.render(w, http.StatusOK, "monitor", p)
	return nil
}

func (s *Server) monitorStep(w http.ResponseWriter, r *http.Request, c *req, do func(id int64) error, ok string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	return done(w, r, c, "/monitors/"+strconv.FormatInt(id, 10), do(id), i18n.T(c.l, ok))
}

func (s *Server) monitorSettings(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.monitorStep(w, r, c, func(id int64) error {
		st, err := formSettings(r, true)
		if err != nil {
			return err
		}
		st.URL = ""
		_, err = s.App.Monitors.Update(r.Context(), c.u, id, st)
		return err
	}, "mon.saved")
}

func (s *Server) monitorBaseline(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.monitorStep(w, r, c, func(id int64) error {
		_, err := s.App.Monitors.AcceptBaseline(r.Context(), c.u, id, r.PostFormValue("content_hash"))
		return err
	}, "mon.accepted")
}

func (s *Server) monitorCheck(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.monitorStep(w, r, c, func(id int64) error {
		_, err := s.App.Monitors.CheckNow(r.Context(), c.u, id)
		return err
	}, "mon.checked")
}

func (s *Server) monitorDelete(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	if err := s.App.Monitors.Delete(r.Context(), c.u, id); err != nil {
		return done(w, r, c, "/monitors/"+strconv.FormatInt(id, 10), err, "")
	}
	return done(w, r, c, "/monitors", nil, i18n.T(c.l, "mon.deleted"))
}

// unitReportsPage lists the links and the reports; after a link is
// issued it shows the link once (newLink).
func (s *Server) unitReportsPage(w http.ResponseWriter, r *http.Request, c *req) error {
	return s.renderUnitReports(w, r, c, "")
}

func (s *Server) renderUnitReports(w http.ResponseWriter, r *http.Request, c *req, newLink string) error {
	links, err := s.App.UnitReports.Links(r.Context(), c.u, 0)
	if err != nil {
		return err
	}
	reports, err := s.App.UnitReports.Reports(r.Context(), c.u)
	if err != nil {
		return err
	}
	data := map[string]any{"Links": links, "Reports": reports, "MayIssue": unitreports.MayIssue(c.u), "NewLink": newLink,
		"MayAlerts": alerts.MayHandle(c.u)} // the link to a report's alert only for who may open it
	if unitreports.MayIssue(c.u) {
		units, err := s.App.Units.ListUnits(r.Context(), c.u, registry.Filter{Limit: 1000}, 0)
		if err != nil {
			return err
		}
		var mine []*registry.Unit
		for _, u := range units {
			if u.OrgID == c.u.OrgID {
				mine = append(mine, u)
			}
		}
		data["Units"] = mine
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "unitrep.title"), "monitors")
	p.Data = data
	s.render(w, http.StatusOK, "unitreports", p)
	return nil
}

// unitLinkIssue shows the new link on the page it answers with, not
// after a redirect: the token is not kept, so it is shown this once.
func (s *Server) unitLinkIssue(w http.ResponseWriter, r *http.Request, c *req) error {
	unit, _ := strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	days, _ := strconv.Atoi(r.PostFormValue("valid_days"))
	_, tok, err := s.App.UnitReports.IssueLink(r.Context(), c.u, unit, time.Duration(days)*24*time.Hour)
	if err != nil {
		return done(w, r, c, "/unit-reports", err, "")
	}
	return s.renderUnitReports(w, r, c, s.absURL(r, "/u/"+tok))
}

func (s *Server) unitLinkRevoke(w http.ResponseWriter, r *http.Request, c *req) error {
	id, err := pathID(r, "id")
	if err != nil {
		return errs.New(errs.NotFound, "error.page_not_found")
	}
	return done(w, r, c, "/unit-reports", s.App.UnitReports.RevokeLink(r.Context(), c.u, id), i18n.T(c.l, "unitrep.revoked"))
}

// absURL is path on the server's public address (serve --public-url) when
// one is set: the request's Host is whatever the browser or a proxy sent,
// and a unit's link goes to people outside. Without it, path on the host
// the office reached the console by.
func (s *Server) absURL(r *http.Request, path string) string {
	if s.App.PublicURL != "" {
		return s.App.PublicURL + path
	}
	scheme := "http"
	if secure(r) {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host, Path: path}).String()
}
