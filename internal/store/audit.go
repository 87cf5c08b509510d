package store

import (
	"context"
	"encoding/json"

	"yingji/internal/audit"
	"yingji/internal/errs"
)

type auditHead struct {
	seq  int64
	hash string
}

// AuditEntry is what a change says about itself in the audit chain.
type AuditEntry struct {
	ActorID    int64
	Actor      string
	Action     string
	ObjectType string
	ObjectID   int64
	OrgID      int64
	Detail     any // marshalled to JSON
	// Via says how the actor proved who he is when it was not the console or
	// the API (cli-token, cli-password); for the system actor, DB.AuditVia.
	// It is written into the detail as "via".
	Via string
}

// Audit appends one record to the chain, in this transaction. Records are
// written when the transaction's work is done, so that the last one can
// carry the state of every covered row the transaction wrote.
func (tx *Tx) Audit(e AuditEntry) error {
	if e.Via == "" && e.ActorID == 0 {
		e.Via = tx.db.AuditVia
	}
	if e.Via != "" {
		e.Detail = withVia(e.Detail, e.Via)
	}
	detail := []byte("{}")
	if e.Detail != nil {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return errs.Wrap(err, "audit detail")
		}
		detail = b
	}
	actor := e.Actor
	if actor == "" {
		actor = "system"
	}
	r := audit.Record{
		At: tx.Now, ActorID: e.ActorID, Actor: actor, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, OrgID: e.OrgID, Detail: string(detail),
	}
	tx.w.pending = append(tx.w.pending, &pendingRecord{rec: r})
	return nil
}

// queue adds a record with preset state refs (the baseline's) to the
// transaction's records.
func (tx *Tx) queue(e AuditEntry, refs []audit.StateRef) {
	b, _ := json.Marshal(e.Detail)
	tx.w.pending = append(tx.w.pending, &pendingRecord{rec: audit.Record{At: tx.Now, Actor: "system", Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, OrgID: e.OrgID, Detail: string(b)}, refs: refs})
}

// VerifyResult is the outcome of checking the whole chain and the rows it
// covers.
type VerifyResult struct {
	Records int64
	HeadSeq int64
	Head    string
	Rows    int64 // covered rows recomputed against the chain
	// Err is the first problem: an *audit.BreakError when the chain is
	// broken, else a *audit.StateError when rows differ from the chain.
	Err error
}

const auditCols = `seq, at, actor_id, actor, action, object_type, object_id, org_id, detail, prev_hash, hash, v, state`

func scanAudit(s scanner, r *audit.Record) error {
	var at int64
	err := s.Scan(&r.Seq, &at, &r.ActorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID, &r.OrgID, &r.Detail, &r.PrevHash, &r.Hash, &r.Version, &r.State)
	r.At = fromMs(at)
	return err
}

// VerifyAudit reads the chain in order and checks every link and the head,
// and that the chain still holds each anchor an auditor kept; then it
// recomputes every row of the covered tables and compares it with the last
// record that covered it. The truth is the chain itself: the latest cover
// of each row is collected while the records are read, so nothing outside
// the hashed records is trusted.
func (db *DB) VerifyAudit(ctx context.Context, anchors ...audit.Anchor) (VerifyResult, error) {
	var res VerifyResult
	err := db.Read(ctx, func(q *Q) error {
		var headSeq int64
		var headHash string
		if err := q.row(`SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return errs.Wrap(err, "audit head")
		}
		rows, err := q.query(`SELECT ` + auditCols + ` FROM audit ORDER BY seq`)
		if err != nil {
			return errs.Wrap(err, "audit scan")
		}
		defer rows.Close()
		var v audit.Verifier
		var r audit.Record
		covers := map[stateKey]*cover{}
		for rows.Next() {
			if err := scanAudit(rows, &r); err != nil {
				return errs.Wrap(err, "audit scan")
			}
			if res.Err == nil {
				res.Err = v.Add(&r)
			}
			if res.Err == nil && len(anchors) > 0 {
				res.Err = audit.CheckAnchors(&r, anchors)
			}
			if res.Err == nil && r.State != "" {
				if err := addCover(covers, r.Seq, r.State); err != nil {
					res.Err = &audit.BreakError{Seq: r.Seq, Reason: audit.ReasonHash}
				}
			}
		}
		if err := rows.Err(); err != nil {
			return errs.Wrap(err, "audit scan")
		}
		rows.Close()
		if res.Err == nil {
			res.Err = v.Finish(headSeq, headHash)
		}
		if res.Err == nil {
			res.Err = audit.MissingAnchor(anchors, headSeq)
		}
		res.Records = v.Count()
		res.HeadSeq, res.Head = headSeq, headHash
		if res.Err != nil {
			return nil // a broken chain is no yardstick for the rows
		}
		var se audit.StateError
		res.Rows, err = q.checkState(covers, func(p audit.RowProblem) {
			if se.Count++; len(se.Rows) < maxProblems {
				se.Rows = append(se.Rows, p)
			}
		})
		if err != nil {
			return err
		}
		if se.Count > 0 {
			res.Err = &se
		}
		return nil
	})
	return res, err
}

// AuditRecords lists audit records after seq after, in order, at most limit.
func (q *Q) AuditRecords(after int64, limit int) ([]*audit.Record, error) {
	return list(q, "audit records", func(s scanner) (*audit.Record, error) {
		var r audit.Record
		err := scanAudit(s, &r)
		return &r, err
	}, `SELECT `+auditCols+` FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

// withVia adds "via" to an audit detail, whatever its type.
func withVia(detail any, via string) any {
	m := map[string]any{}
	if detail != nil {
		if b, err := json.Marshal(detail); err == nil {
			json.Unmarshal(b, &m) // a detail that is not an object keeps only via
		}
	}
	m["via"] = via
	return m
}

// AuditRecordsIn lists audit records after seq that belong to one of orgs
// (and, if unowned, those of no organisation), in order, at most limit:
// the 审计记录 page's query read forward with no filter.
func (q *Q) AuditRecordsIn(orgs []int64, unowned bool, after int64, limit int) ([]*audit.Record, error) {
	return q.AuditPage(orgs, unowned, audit.Filter{After: after, Limit: limit})
}
