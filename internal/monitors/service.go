// Package monitors is the use case of yingji's own checks of registered key
// websites (issue 12): the office sets a monitor on a key website of its
// registry (nothing else can be monitored), accepts a page as the content
// baseline, and reads each site's state and history; a worker under a lease
// checks the sites due and turns each change of state into a signal
// (signal.FormatMonitor) on the alerts, in the transaction that records it.
package monitors

import (
	"context"
	"crypto/x509"
	"net/url"
	"strings"
	"time"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/monitor"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Service is the monitors' use cases and their worker.
type Service struct {
	*core.Core
	// RootCAs verify the sites' certificates (nil: the system's).
	RootCAs *x509.CertPool
	// DNSServer is the resolver asked, "host:port" ("": the system's).
	DNSServer string
	// Timeout bounds one check's HTTP exchange (DNS gets half).
	Timeout time.Duration
}

// New builds the service.
func New(c *core.Core) *Service { return &Service{Core: c, Timeout: 10 * time.Second} }

// Editors are who set monitors up and accept baselines: the registry's
// editors (access.RegistryEditors: the duty officers, the leading group's
// 组长 and 副组长, the system administrator) of the website's organisation.
// Whoever may see the organisation reads them.
var Editors = access.RegistryEditors

func mayEdit(actor *user.User, orgID int64) error {
	if err := core.RequireActor(actor); err != nil || actor.IsSystem() {
		return err
	}
	if !actor.HasRole(Editors...) {
		return errs.New(errs.Forbidden, "monitor.forbidden")
	}
	if actor.OrgID != orgID {
		return errs.New(errs.Forbidden, "registry.forbidden_other_org")
	}
	return nil
}

// MayEdit reports whether the console shows the actor the editing forms.
func MayEdit(actor *user.User) bool { return actor.HasRole(Editors...) }

// Settings are what the office sets of a monitor. Nil fields keep their
// value (the defaults on creation).
type Settings struct {
	URL          string // only on creation: the registered URL or one on the registered domain
	Interval     time.Duration
	WarnDays     int
	CheckContent *bool
	CheckTLS     *bool
	CheckDNS     *bool
	Enabled      *bool
}

func (st *Settings) apply(m *monitor.Monitor) error {
	if st.Interval != 0 {
		if st.Interval < monitor.MinInterval || st.Interval > monitor.MaxInterval {
			return errs.Field("interval_seconds", "monitor.bad_interval", int(monitor.MinInterval.Seconds()), int(monitor.MaxInterval.Seconds()))
		}
		m.Interval = st.Interval
	}
	if st.WarnDays != 0 {
		if st.WarnDays < 1 || st.WarnDays > 365 {
			return errs.Field("tls_warn_days", "monitor.bad_warn_days")
		}
		m.WarnDays = st.WarnDays
	}
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&m.CheckContent, st.CheckContent)
	set(&m.CheckTLS, st.CheckTLS)
	set(&m.CheckDNS, st.CheckDNS)
	set(&m.Enabled, st.Enabled)
	return nil
}

// registeredURL decides the URL checked: the website's registered URL, or
// one on its registered domain or addresses; nothing else (yingji watches
// only registered systems).
func registeredURL(raw, regURL, domain string, ips []string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if regURL != "" {
			return regURL, nil
		}
		return "https://" + domain + "/", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || len(raw) > 2000 {
		return "", errs.Field("url", "registry.bad_url", raw)
	}
	h := strings.ToLower(u.Hostname())
	if raw == regURL || h == domain || h == "www."+domain || strings.TrimPrefix(h, "www.") == strings.TrimPrefix(domain, "www.") {
		return raw, nil
	}
	if ru, err := url.Parse(regURL); err == nil && regURL != "" && strings.EqualFold(ru.Hostname(), h) {
		return raw, nil
	}
	for _, ip := range ips {
		if ip == h {
			return raw, nil
		}
	}
	return "", errs.Field("url", "monitor.url_not_registered", raw)
}

// Create sets a monitor on a registered key website.
func (s *Service) Create(ctx context.Context, actor *user.User, websiteID int64, st Settings) (*monitor.Monitor, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var m *monitor.Monitor
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		w, err := tx.Website(websiteID)
		if errs.CodeOf(err) == errs.NotFound {
			return errs.Field("website_id", "registry.website_not_found")
		}
		if err != nil {
			return err
		}
		if ok, err := core.CanSeeOrg(&tx.Q, actor, w.OrgID); err != nil || !ok {
			return core.OrErr(err, errs.Field("website_id", "registry.website_not_found"))
		}
		if err := mayEdit(actor, w.OrgID); err != nil {
			return err
		}
		if !w.KeySite {
			return errs.Field("website_id", "monitor.not_key_site", w.Name)
		}
		ips := make([]string, 0, len(w.IPs))
		for _, ip := range w.IPs {
			ips = append(ips, ip.String())
		}
		u, err := registeredURL(st.URL, w.URL, w.Domain, ips)
		if err != nil {
			return err
		}
		m = &monitor.Monitor{OrgID: w.OrgID, WebsiteID: w.ID, SiteName: w.Name, Domain: w.Domain, URL: u, Interval: monitor.DefaultInterval,
			WarnDays: monitor.DefaultWarnDays, CheckContent: true, CheckTLS: strings.HasPrefix(u, "https:"), CheckDNS: true, Enabled: true}
		if err := st.apply(m); err != nil {
			return err
		}
		if _, err := tx.MonitorOfWebsite(w.ID); err == nil {
			return errs.Field("website_id", "monitor.exists", w.Name)
		}
		if err := tx.CreateMonitor(m, actor.ID); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "monitor.create", "monitor", m.ID, m.OrgID, settingsDetail(m)))
	})
	return m, err
}

func settingsDetail(m *monitor.Monitor) map[string]any {
	return map[string]any{"website_id": m.WebsiteID, "url": m.URL, "interval_seconds": int(m.Interval.Seconds()), "tls_warn_days": m.WarnDays,
		"check_content": m.CheckContent, "check_tls": m.CheckTLS, "check_dns": m.CheckDNS, "enabled": m.Enabled}
}

// edit loads a monitor the actor may change.
func (s *Service) edit(tx *store.Tx, actor *user.User, id int64) (*monitor.Monitor, error) {
	m, err := s.visible(&tx.Q, actor, id)
	if err != nil {
		return nil, err
	}
	return m, mayEdit(actor, m.OrgID)
}

func (s *Service) visible(q *store.Q, actor *user.User, id int64) (*monitor.Monitor, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	m, err := q.Monitor(id)
	if err != nil {
		return nil, err
	}
	if ok, err := core.CanSeeOrg(q, actor, m.OrgID); err != nil || !ok {
		return nil, core.OrErr(err, errs.New(errs.NotFound, "monitor.not_found"))
	}
	return m, nil
}

// Update changes a monitor's settings.
func (s *Service) Update(ctx context.Context, actor *user.User, id int64, st Settings) (*monitor.Monitor, error) {
	var m *monitor.Monitor
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = s.edit(tx, actor, id); err != nil {
			return err
		}
		if st.URL != "" && st.URL != m.URL {
			return errs.Field("url", "monitor.url_fixed")
		}
		before := settingsDetail(m)
		if err := st.apply(m); err != nil {
			return err
		}
		if err := tx.UpdateMonitorSettings(m); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "monitor.update", "monitor", m.ID, m.OrgID, map[string]any{"before": before, "after": settingsDetail(m)}))
	})
	return m, err
}

// Delete removes a monitor with its history; its alerts stay.
func (s *Service) Delete(ctx context.Context, actor *user.User, id int64) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		m, err := s.edit(tx, actor, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteMonitor(id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "monitor.delete", "monitor", id, m.OrgID, settingsDetail(m)))
	})
}

// AcceptBaseline makes the page last read the content baseline. hash, when
// given, is the content the person saw: if a newer check read another
// page, nothing changes (Conflict), so that nobody accepts a page unseen.
// A content change in progress ends (its alert is resolved).
func (s *Service) AcceptBaseline(ctx context.Context, actor *user.User, id int64, hash string) (*monitor.Monitor, error) {
	var m *monitor.Monitor
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = s.edit(tx, actor, id); err != nil {
			return err
		}
		if m.ContentHash == "" {
			return errs.New(errs.Conflict, "monitor.no_content")
		}
		if hash != "" && hash != m.ContentHash {
			return errs.Field("content_hash", "monitor.content_moved")
		}
		h, text, ev := monitor.Accept(m)
		if err := tx.SetBaseline(id, h, text, actor.ID); err != nil {
			return err
		}
		if err := tx.SetMonitorContentState(id, monitor.Same); err != nil {
			return err
		}
		old := m.BaselineHash
		m.BaselineHash, m.BaselineText, m.Content = h, text, monitor.Same
		if err := signalEvents(tx, m, ev); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "monitor.baseline", "monitor", id, m.OrgID, map[string]any{"before": old, "after": h, "bytes": len(text)}))
	})
	return m, err
}

// View is a monitor with its history.
type View struct {
	*monitor.Monitor
	Results []*monitor.Result
	Changes []*monitor.Change
}

// List returns the monitors the actor may see.
func (s *Service) List(ctx context.Context, actor *user.User) ([]*monitor.Monitor, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out []*monitor.Monitor
	err := s.DB.Read(ctx, func(q *store.Q) error {
		ids, err := core.VisibleOrgs(q, actor, 0)
		if err != nil {
			return err
		}
		out, err = q.Monitors(ids)
		return err
	})
	return out, err
}

// Get returns one monitor with its last results and changes.
func (s *Service) Get(ctx context.Context, actor *user.User, id int64, results int) (*View, error) {
	var v View
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if v.Monitor, err = s.visible(q, actor, id); err != nil {
			return err
		}
		if v.Results, err = q.MonitorResults(id, min(max(results, 1), monitor.KeepResults)); err != nil {
			return err
		}
		v.Changes, err = q.MonitorEvents(id, 100)
		return err
	})
	return &v, err
}

// CheckNow checks one monitor at once (the person need not wait for the
// interval) and returns it as the check left it.
func (s *Service) CheckNow(ctx context.Context, actor *user.User, id int64) (*monitor.Monitor, error) {
	var m *monitor.Monitor
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if m, err = s.visible(q, actor, id); err != nil {
			return err
		}
		return mayEdit(actor, m.OrgID)
	})
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, m, ""); err != nil {
		return nil, err
	}
	var out *monitor.Monitor
	err = s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		out, err = q.Monitor(id)
		return err
	})
	return out, err
}
