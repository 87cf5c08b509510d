package api

import (
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
	"yingji/internal/monitor"
	"yingji/internal/monitors"
	"yingji/internal/unitreport"
	"yingji/internal/user"
)

// Issue 12: monitors of registered key websites and the units' reporting
// channel (routes in routes.go).

func (s *Server) monitorJSON(m *monitor.Monitor) map[string]any {
	return map[string]any{
		"id": m.ID, "org_id": m.OrgID, "website_id": m.WebsiteID, "site_name": m.SiteName, "domain": m.Domain, "url": m.URL,
		"interval_seconds": int(m.Interval.Seconds()), "check_content": m.CheckContent, "check_tls": m.CheckTLS, "check_dns": m.CheckDNS,
		"tls_warn_days": m.WarnDays, "enabled": m.Enabled,
		"baseline_hash": m.BaselineHash, "baseline_at": tsPtr(m.BaselineAt, s.Loc), "baseline_by": idPtr(m.BaselineBy),
		"availability": m.Availability, "failures": m.Failures, "content": m.Content, "content_hash": m.ContentHash,
		"tls": m.TLS, "cert_sha256": m.CertFP, "cert_not_after": tsPtr(m.CertNotAfter, s.Loc), "dns": m.DNS,
		"last_status": m.LastStatus, "last_latency_ms": m.LastLatency.Milliseconds(), "last_error": m.LastError,
		"last_reason":   monitor.Reason(m.LastError), // the error's code (monitor.Reason); "" when the last check had none
		"last_check_at": tsPtr(m.LastCheckAt, s.Loc), "next_check_at": ts(m.NextCheckAt, s.Loc),
	}
}

func (s *Server) apiMonitors(w http.ResponseWriter, r *http.Request, u *user.User) error {
	ms, err := s.App.Monitors.List(r.Context(), u)
	if err != nil {
		return err
	}
	writeItems(w, ms, s.monitorJSON)
	return nil
}

// monitorBody is what the office sets; absent fields keep their value.
type monitorBody struct {
	WebsiteID    int64  `json:"website_id"`
	URL          string `json:"url"`
	Interval     int    `json:"interval_seconds"`
	WarnDays     int    `json:"tls_warn_days"`
	CheckContent *bool  `json:"check_content"`
	CheckTLS     *bool  `json:"check_tls"`
	CheckDNS     *bool  `json:"check_dns"`
	Enabled      *bool  `json:"enabled"`
}

func (b *monitorBody) settings() monitors.Settings {
	return monitors.Settings{URL: b.URL, Interval: time.Duration(b.Interval) * time.Second, WarnDays: b.WarnDays,
		CheckContent: b.CheckContent, CheckTLS: b.CheckTLS, CheckDNS: b.CheckDNS, Enabled: b.Enabled}
}

func (s *Server) apiCreateMonitor(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b monitorBody
	if err := decode(r, &b); err != nil {
		return err
	}
	m, err := s.App.Monitors.Create(r.Context(), u, b.WebsiteID, b.settings())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.monitorJSON(m))
	return nil
}

func (s *Server) apiMonitor(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("results"))
	if n == 0 {
		n = 50
	}
	v, err := s.App.Monitors.Get(r.Context(), u, id, n)
	if err != nil {
		return err
	}
	out := s.monitorJSON(v.Monitor)
	results := make([]map[string]any, 0, len(v.Results))
	for _, x := range v.Results {
		results = append(results, map[string]any{"at": ts(x.At, s.Loc), "ok": x.OK, "status": x.Status, "latency_ms": x.Latency.Milliseconds(),
			"error": x.Error, "reason": monitor.Reason(x.Error), "content_hash": x.ContentHash})
	}
	changes := make([]map[string]any, 0, len(v.Changes))
	for _, c := range v.Changes {
		ch := map[string]any{"id": c.ID, "at": ts(c.At, s.Loc), "kind": c.Kind, "firing": c.Firing, "detail": c.Detail, "alert_id": c.AlertID}
		if raw := monitor.ChangeError(c, v.URL); raw != "" {
			ch["reason"] = monitor.Reason(raw)
		}
		changes = append(changes, ch)
	}
	out["results"], out["changes"], out["baseline_text"] = results, changes, v.BaselineText
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiUpdateMonitor(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[monitorBody](r)
	if err != nil {
		return err
	}
	m, err := s.App.Monitors.Update(r.Context(), u, id, b.settings())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.monitorJSON(m))
	return nil
}

func (s *Server) apiAcceptBaseline(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, b, err := idBody[struct {
		ContentHash string `json:"content_hash"`
	}](r)
	if err != nil {
		return err
	}
	m, err := s.App.Monitors.AcceptBaseline(r.Context(), u, id, b.ContentHash)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.monitorJSON(m))
	return nil
}

func (s *Server) apiCheckMonitor(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.App.Monitors.CheckNow(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.monitorJSON(m))
	return nil
}

func (s *Server) unitLinkJSON(l *unitreport.Link, now time.Time) map[string]any {
	return map[string]any{"id": l.ID, "org_id": l.OrgID, "unit_id": l.UnitID, "unit_name": l.UnitName, "state": l.State(now),
		"created_at": ts(l.CreatedAt, s.Loc), "expires_at": ts(l.ExpiresAt, s.Loc), "used_at": tsPtr(l.UsedAt, s.Loc),
		"revoked_at": tsPtr(l.RevokedAt, s.Loc), "report_id": idPtr(l.ReportID), "receipt": l.Receipt}
}

func (s *Server) apiUnitLinks(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var unit int64
	if v := r.URL.Query().Get("unit_id"); v != "" {
		var err error
		if unit, err = strconv.ParseInt(v, 10, 64); err != nil {
			return errs.Field("unit_id", "error.bad_id", v)
		}
	}
	ls, err := s.App.UnitReports.Links(r.Context(), u, unit)
	if err != nil {
		return err
	}
	now := s.App.Core.Now()
	writeItems(w, ls, func(l *unitreport.Link) map[string]any { return s.unitLinkJSON(l, now) })
	return nil
}

// apiIssueUnitLink answers the link's path (and its address, url, when
// the public address is set) once: only its hash is kept.
func (s *Server) apiIssueUnitLink(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var b struct {
		UnitID    int64 `json:"unit_id"`
		ValidDays int   `json:"valid_days"`
	}
	if err := decode(r, &b); err != nil {
		return err
	}
	l, tok, err := s.App.UnitReports.IssueLink(r.Context(), u, b.UnitID, time.Duration(b.ValidDays)*24*time.Hour)
	if err != nil {
		return err
	}
	out := s.unitLinkJSON(l, l.CreatedAt)
	out["path"] = "/u/" + tok
	// The address to send the unit, on serve --public-url only: a
	// request's Host is whatever the client or a proxy sent.
	if s.App.PublicURL != "" {
		out["url"] = s.App.PublicURL + out["path"].(string)
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) unitReportJSON(x *unitreport.Report) map[string]any {
	att := x.Attachments
	if att == nil {
		att = []unitreport.Attachment{}
	}
	return map[string]any{"id": x.ID, "org_id": x.OrgID, "unit_id": x.UnitID, "unit_name": x.UnitName, "receipt": x.Receipt, "what": x.What,
		"happened_at": ts(x.HappenedAt, s.Loc), "system": x.System, "contact_name": x.ContactName, "contact_phone": x.ContactPhone,
		"attachments": att, "alert_id": idPtr(x.AlertID), "created_at": ts(x.CreatedAt, s.Loc)}
}

func (s *Server) apiUnitReports(w http.ResponseWriter, r *http.Request, u *user.User) error {
	rs, err := s.App.UnitReports.Reports(r.Context(), u)
	if err != nil {
		return err
	}
	writeItems(w, rs, s.unitReportJSON)
	return nil
}

func (s *Server) apiUnitReport(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.App.UnitReports.Report(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.unitReportJSON(x))
	return nil
}
