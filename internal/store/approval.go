package store

import (
	"database/sql"

	"yingji/internal/errs"
	"yingji/internal/incident"
)

const approvalCols = `id, incident_id, kind, status, from_status, reason, requested_by, requested_at, COALESCE(decided_by, 0), decided_at, opinion`

func scanApproval(s scanner) (*incident.Approval, error) {
	var a incident.Approval
	var kind, status, from string
	var requested int64
	var decided sql.NullInt64
	if err := s.Scan(&a.ID, &a.IncidentID, &kind, &status, &from, &a.Reason, &a.RequestedBy, &requested, &a.DecidedBy, &decided, &a.Opinion); err != nil {
		return nil, err
	}
	a.Kind, a.Status, a.FromStatus = incident.ApprovalKind(kind), incident.ApprovalStatus(status), incident.Status(from)
	a.RequestedAt, a.DecidedAt = fromMs(requested), fromMsPtr(decided)
	return &a, nil
}

// CreateApproval inserts a pending approval. The unique index on pending
// approvals turns a second open request for the same incident into Conflict.
func (tx *Tx) CreateApproval(a *incident.Approval) error {
	a.Status, a.RequestedAt = incident.Pending, tx.Now
	id, err := tx.insert(`INSERT INTO approvals (incident_id, kind, status, from_status, reason, requested_by, requested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.IncidentID, string(a.Kind), string(a.Status), string(a.FromStatus), a.Reason, a.RequestedBy, ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create approval")
	}
	a.ID = id
	return nil
}

// DecideApproval records a decision only if the approval is still pending,
// so that of two leaders deciding at once exactly one wins.
func (tx *Tx) DecideApproval(a *incident.Approval) error {
	res, err := tx.exec(`UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, opinion = ? WHERE id = ? AND status = 'pending'`,
		string(a.Status), a.DecidedBy, ms(tx.Now), a.Opinion, a.ID)
	if err != nil {
		return errs.Wrap(err, "decide approval")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "error.approval_decided")
	}
	t := tx.Now
	a.DecidedAt = &t
	return nil
}

// Approval loads one approval.
func (q *Q) Approval(id int64) (*incident.Approval, error) {
	a, err := scanApproval(q.row(`SELECT `+approvalCols+` FROM approvals WHERE id = ?`, id))
	return a, notFound(err, "error.approval_not_found")
}

// Approvals lists an incident's approvals, oldest first.
func (q *Q) Approvals(incidentID int64) ([]*incident.Approval, error) {
	return q.approvals(`SELECT `+approvalCols+` FROM approvals WHERE incident_id = ? ORDER BY id`, incidentID)
}

// PendingApprovals lists open approvals of incidents in the given organisations.
func (q *Q) PendingApprovals(orgIDs []int64, sc *Scope) ([]*incident.Approval, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(orgIDs))
	for i, id := range orgIDs {
		args[i] = id
	}
	scope := ""
	if sc != nil {
		c, a := sc.cond("i")
		scope, args = " AND "+c, append(args, a...)
	}
	return q.approvals(`SELECT `+approvalCols+` FROM approvals WHERE status = 'pending'
		AND incident_id IN (SELECT i.id FROM incidents i WHERE i.org_id IN (`+placeholders(len(orgIDs))+`)`+scope+`) ORDER BY id`, args...)
}

func (q *Q) approvals(query string, args ...any) ([]*incident.Approval, error) {
	return list(q, "approvals", scanApproval, query, args...)
}
