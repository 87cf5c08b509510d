package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/user"
)

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request, u *user.User) error {
	var anchors []audit.Anchor
	for _, v := range r.URL.Query()["anchor"] {
		a, err := audit.ParseAnchor(v)
		if err != nil {
			return errs.Field("anchor", "error.bad_anchor")
		}
		anchors = append(anchors, a)
	}
	res, err := s.App.AuditLog.VerifyAudit(r.Context(), anchors...)
	if err != nil {
		return err
	}
	body := map[string]any{"ok": res.Err == nil, "records": res.Records, "head_seq": res.HeadSeq, "head_hash": res.Head, "rows_checked": res.Rows}
	if res.Err != nil {
		body["error"] = res.Err.Error()
	}
	var se *audit.StateError
	if errors.As(res.Err, &se) {
		rows := make([]map[string]any, 0, len(se.Rows))
		for _, p := range se.Rows {
			rows = append(rows, map[string]any{"table": p.Table, "id": p.ID, "seq": p.Seq, "reason": p.Reason})
		}
		body["rows"], body["rows_differing"] = rows, se.Count
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *Server) apiAuditRecords(w http.ResponseWriter, r *http.Request, u *user.User) error {
	q := r.URL.Query()
	after, limit := int64(0), 500
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errs.Field("after", "error.bad_id", v)
		}
		after = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errs.Field("limit", "error.limit_range", 1000)
		}
		limit = n
	}
	recs, err := s.App.AuditLog.AuditRecords(r.Context(), u, after, limit)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(recs))
	for _, a := range recs {
		items = append(items, map[string]any{"seq": a.Seq, "at": ts(a.At, s.Loc), "actor_id": a.ActorID, "actor": a.Actor, "action": a.Action,
			"object_type": a.ObjectType, "object_id": a.ObjectID, "org_id": a.OrgID, "detail": json.RawMessage(a.Detail), "prev_hash": a.PrevHash, "hash": a.Hash,
			"v": max(a.Version, 1), "state": a.State})
	}
	var next *int64
	if len(recs) == limit {
		next = &recs[len(recs)-1].Seq
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next_after": next})
	return nil
}
