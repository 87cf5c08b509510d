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

// Audit appends one record to the chain, in this transaction.
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
	var prev *audit.Record
	if tx.head.seq > 0 {
		prev = &audit.Record{Seq: tx.head.seq, Hash: tx.head.hash}
	}
	audit.Seal(&r, prev)
	if _, err := tx.exec(`INSERT INTO audit (seq, at, actor_id, actor, action, object_type, object_id, org_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Seq, ms(r.At), r.ActorID, r.Actor, r.Action, r.ObjectType, r.ObjectID, r.OrgID, r.Detail, r.PrevHash, r.Hash); err != nil {
		return errs.Wrap(err, "audit insert")
	}
	if _, err := tx.exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, r.Seq, r.Hash); err != nil {
		return errs.Wrap(err, "audit head")
	}
	tx.head = auditHead{r.Seq, r.Hash}
	return nil
}

// VerifyResult is the outcome of checking the whole chain.
type VerifyResult struct {
	Records int64
	HeadSeq int64
	Head    string
	Err     error // *audit.BreakError when the chain is broken
}

// VerifyAudit reads the chain in order and checks every link and the head,
// and that the chain still holds each anchor an auditor kept.
func (db *DB) VerifyAudit(ctx context.Context, anchors ...audit.Anchor) (VerifyResult, error) {
	var res VerifyResult
	err := db.Read(ctx, func(q *Q) error {
		var headSeq int64
		var headHash string
		if err := q.row(`SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return errs.Wrap(err, "audit head")
		}
		rows, err := q.query(`SELECT seq, at, actor_id, actor, action, object_type, object_id, org_id, detail, prev_hash, hash FROM audit ORDER BY seq`)
		if err != nil {
			return errs.Wrap(err, "audit scan")
		}
		defer rows.Close()
		var v audit.Verifier
		var r audit.Record
		var at int64
		for rows.Next() {
			if err := rows.Scan(&r.Seq, &at, &r.ActorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID, &r.OrgID, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
				return errs.Wrap(err, "audit scan")
			}
			r.At = fromMs(at)
			if res.Err == nil {
				res.Err = v.Add(&r)
			}
			if res.Err == nil && len(anchors) > 0 {
				res.Err = audit.CheckAnchors(&r, anchors)
			}
		}
		if err := rows.Err(); err != nil {
			return errs.Wrap(err, "audit scan")
		}
		if res.Err == nil {
			res.Err = v.Finish(headSeq, headHash)
		}
		if res.Err == nil {
			res.Err = audit.MissingAnchor(anchors, headSeq)
		}
		res.Records = v.Count()
		res.HeadSeq, res.Head = headSeq, headHash
		return nil
	})
	return res, err
}

// AuditRecords lists audit records after seq after, in order, at most limit.
func (q *Q) AuditRecords(after int64, limit int) ([]*audit.Record, error) {
	return list(q, "audit records", func(s scanner) (*audit.Record, error) {
		var r audit.Record
		var at int64
		err := s.Scan(&r.Seq, &at, &r.ActorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID, &r.OrgID, &r.Detail, &r.PrevHash, &r.Hash)
		r.At = fromMs(at)
		return &r, err
	}, `SELECT seq, at, actor_id, actor, action, object_type, object_id, org_id, detail, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
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
