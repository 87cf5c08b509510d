package store

import "yingji/internal/incident"

// ReportsAwaitingSignoff lists the report versions of an organisation's
// incidents that wait for sign-off (签发), oldest first: a leader's "待签发".
func (q *Q) ReportsAwaitingSignoff(orgID int64) ([]*incident.Report, error) {
	return list(q, "reports", scanReport, `SELECT `+reportCols+` FROM reports WHERE status = 'signoff_requested'
		AND incident_id IN (SELECT id FROM incidents WHERE org_id = ?) ORDER BY id`, orgID)
}
