package store

import (
	"database/sql"
	"encoding/json"
	"time"

	"yingji/internal/errs"
	"yingji/internal/monitor"
)

// Monitors of registered key websites (issue 12). monitors holds what the
// office set (covered by the audit chain); monitor_state, monitor_events
// and monitor_results what the checks found (not covered, see 018).

const monitorCols = `m.id, m.org_id, m.website_id, w.name, w.domain, m.url, m.interval_s, m.check_content, m.check_tls, m.check_dns,
	m.tls_warn_days, m.enabled, m.baseline_hash, m.baseline_text, m.baseline_at, COALESCE(m.baseline_by, 0), m.created_at, m.updated_at,
	s.availability, s.failures, s.content, s.content_hash, s.content_text, s.tls, s.cert_fp, s.cert_not_after, s.dns,
	s.last_status, s.last_latency_ms, s.last_error, s.last_check_at, s.next_check_at`

const monitorFrom = ` FROM monitors m JOIN websites w ON w.id = m.website_id JOIN monitor_state s ON s.monitor_id = m.id`

func scanMonitor(sc scanner) (*monitor.Monitor, error) {
	var m monitor.Monitor
	var interval, latency, created, updated, next int64
	var cc, ct, cd, en int64
	var baseAt, notAfter, last sql.NullInt64
	var av, content, tls string
	err := sc.Scan(&m.ID, &m.OrgID, &m.WebsiteID, &m.SiteName, &m.Domain, &m.URL, &interval, &cc, &ct, &cd, &m.WarnDays, &en,
		&m.BaselineHash, &m.BaselineText, &baseAt, &m.BaselineBy, &created, &updated,
		&av, &m.Failures, &content, &m.ContentHash, &m.ContentText, &tls, &m.CertFP, &notAfter, &m.DNS,
		&m.LastStatus, &latency, &m.LastError, &last, &next)
	if err != nil {
		return nil, err
	}
	m.Interval, m.LastLatency = time.Duration(interval)*time.Second, time.Duration(latency)*time.Millisecond
	m.CheckContent, m.CheckTLS, m.CheckDNS, m.Enabled = cc == 1, ct == 1, cd == 1, en == 1
	m.Availability, m.Content, m.TLS = monitor.Availability(av), monitor.Content(content), monitor.TLS(tls)
	m.BaselineAt, m.CertNotAfter, m.LastCheckAt = fromMsPtr(baseAt), fromMsPtr(notAfter), fromMsPtr(last)
	m.CreatedAt, m.UpdatedAt, m.NextCheckAt = fromMs(created), fromMs(updated), fromMs(next)
	return &m, nil
}

// CreateMonitor adds a monitor and its empty state, the first check due now.
func (tx *Tx) CreateMonitor(m *monitor.Monitor, by int64) error {
	id, err := tx.insert(`INSERT INTO monitors (org_id, website_id, url, interval_s, check_content, check_tls, check_dns, tls_warn_days, enabled,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.OrgID, m.WebsiteID, m.URL, int64(m.Interval/time.Second), b2i(m.CheckContent), b2i(m.CheckTLS), b2i(m.CheckDNS), m.WarnDays, b2i(m.Enabled),
		nullID(by), ms(tx.Now), ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create monitor")
	}
	m.ID = id
	_, err = tx.exec(`INSERT INTO monitor_state (monitor_id, next_check_at) VALUES (?, ?)`, id, ms(tx.Now))
	return errs.Wrap(err, "create monitor state")
}

// UpdateMonitorSettings writes what the office sets of a monitor.
func (tx *Tx) UpdateMonitorSettings(m *monitor.Monitor) error {
	_, err := tx.exec(`UPDATE monitors SET interval_s = ?, check_content = ?, check_tls = ?, check_dns = ?, tls_warn_days = ?, enabled = ?,
		updated_at = ? WHERE id = ?`, int64(m.Interval/time.Second), b2i(m.CheckContent), b2i(m.CheckTLS), b2i(m.CheckDNS), m.WarnDays,
		b2i(m.Enabled), ms(tx.Now), m.ID)
	return errs.Wrap(err, "update monitor")
}

// SetBaseline stores an accepted content baseline.
func (tx *Tx) SetBaseline(id int64, hash, text string, by int64) error {
	_, err := tx.exec(`UPDATE monitors SET baseline_hash = ?, baseline_text = ?, baseline_at = ?, baseline_by = ?, updated_at = ? WHERE id = ?`,
		hash, text, ms(tx.Now), nullID(by), ms(tx.Now), id)
	return errs.Wrap(err, "set baseline")
}

// DeleteMonitor removes a monitor; its state and history follow by cascade.
func (tx *Tx) DeleteMonitor(id int64) error {
	_, err := tx.exec(`DELETE FROM monitors WHERE id = ?`, id)
	return errs.Wrap(err, "delete monitor")
}

// SaveMonitorState writes what a check found.
func (tx *Tx) SaveMonitorState(id int64, s *monitor.State) error {
	_, err := tx.exec(`UPDATE monitor_state SET availability = ?, failures = ?, content = ?, content_hash = ?, content_text = ?, tls = ?,
		cert_fp = ?, cert_not_after = ?, dns = ?, last_status = ?, last_latency_ms = ?, last_error = ?, last_check_at = ?, next_check_at = ?
		WHERE monitor_id = ?`, string(s.Availability), s.Failures, string(s.Content), s.ContentHash, s.ContentText, string(s.TLS),
		s.CertFP, msPtr(s.CertNotAfter), s.DNS, s.LastStatus, s.LastLatency.Milliseconds(), s.LastError, msPtr(s.LastCheckAt),
		ms(s.NextCheckAt), id)
	return errs.Wrap(err, "save monitor state")
}

// SetMonitorContentState sets the content state alone (a baseline accepted).
func (tx *Tx) SetMonitorContentState(id int64, c monitor.Content) error {
	_, err := tx.exec(`UPDATE monitor_state SET content = ? WHERE monitor_id = ?`, string(c), id)
	return errs.Wrap(err, "monitor content state")
}

// AddMonitorResult keeps a check's result and forgets the oldest beyond
// monitor.KeepResults.
func (tx *Tx) AddMonitorResult(id int64, r *monitor.Result) error {
	if _, err := tx.exec(`INSERT INTO monitor_results (monitor_id, at, ok, status, latency_ms, error, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, ms(r.At), b2i(r.OK), r.Status, r.Latency.Milliseconds(), r.Error, r.ContentHash); err != nil {
		return errs.Wrap(err, "monitor result")
	}
	return tx.prune("monitor_results", id, monitor.KeepResults)
}

// AddMonitorEvent keeps a change of state, bounded as the results.
func (tx *Tx) AddMonitorEvent(id int64, e *monitor.Change) error {
	d, _ := json.Marshal(e.Detail)
	if e.Detail == nil {
		d = []byte("{}")
	}
	if _, err := tx.exec(`INSERT INTO monitor_events (monitor_id, at, kind, firing, detail, alert_id) VALUES (?, ?, ?, ?, ?, ?)`,
		id, ms(e.At), e.Kind, b2i(e.Firing), string(d), nullID(e.AlertID)); err != nil {
		return errs.Wrap(err, "monitor event")
	}
	return tx.prune("monitor_events", id, monitor.KeepEvents)
}

func (tx *Tx) prune(table string, id int64, keep int) error {
	_, err := tx.exec(`DELETE FROM `+table+` WHERE monitor_id = ? AND id <= (SELECT id FROM `+table+
		` WHERE monitor_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`, id, id, keep)
	return errs.Wrap(err, "prune "+table)
}

// Monitor loads one monitor with its state.
func (q *Q) Monitor(id int64) (*monitor.Monitor, error) {
	m, err := scanMonitor(q.row(`SELECT `+monitorCols+monitorFrom+` WHERE m.id = ?`, id))
	return m, notFound(err, "monitor.not_found")
}

// MonitorOfWebsite loads the monitor of a website, if any.
func (q *Q) MonitorOfWebsite(websiteID int64) (*monitor.Monitor, error) {
	m, err := scanMonitor(q.row(`SELECT `+monitorCols+monitorFrom+` WHERE m.website_id = ?`, websiteID))
	return m, notFound(err, "monitor.not_found")
}

// Monitors lists the monitors of some organisations, by site name.
func (q *Q) Monitors(orgIDs []int64) ([]*monitor.Monitor, error) {
	in, args := inList(orgIDs)
	return list(q, "monitors", scanMonitor, `SELECT `+monitorCols+monitorFrom+` WHERE m.org_id IN `+in+` ORDER BY w.name, m.id`, args...)
}

// DueMonitors lists the enabled monitors whose next check is due at now.
func (q *Q) DueMonitors(now time.Time, limit int) ([]*monitor.Monitor, error) {
	return list(q, "due monitors", scanMonitor, `SELECT `+monitorCols+monitorFrom+` WHERE m.enabled = 1 AND s.next_check_at <= ?
		ORDER BY s.next_check_at LIMIT ?`, ms(now), limit)
}

// MonitorResults lists a monitor's last results, newest first.
func (q *Q) MonitorResults(id int64, limit int) ([]*monitor.Result, error) {
	return list(q, "monitor results", func(s scanner) (*monitor.Result, error) {
		var r monitor.Result
		var at, lat, ok int64
		err := s.Scan(&at, &ok, &r.Status, &lat, &r.Error, &r.ContentHash)
		r.At, r.OK, r.Latency = fromMs(at), ok == 1, time.Duration(lat)*time.Millisecond
		return &r, err
	}, `SELECT at, ok, status, latency_ms, error, content_hash FROM monitor_results WHERE monitor_id = ? ORDER BY id DESC LIMIT ?`, id, limit)
}

// MonitorEvents lists a monitor's changes of state, newest first.
func (q *Q) MonitorEvents(id int64, limit int) ([]*monitor.Change, error) {
	return list(q, "monitor events", func(s scanner) (*monitor.Change, error) {
		var e monitor.Change
		var at, firing int64
		var d string
		err := s.Scan(&e.ID, &at, &e.Kind, &firing, &d, &e.AlertID)
		if err != nil {
			return nil, err
		}
		e.At, e.Firing = fromMs(at), firing == 1
		return &e, json.Unmarshal([]byte(d), &e.Detail)
	}, `SELECT id, at, kind, firing, detail, COALESCE(alert_id, 0) FROM monitor_events WHERE monitor_id = ? ORDER BY id DESC LIMIT ?`, id, limit)
}
