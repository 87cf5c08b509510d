package api

import (
	"encoding/json"
	"errors"
	"net/http"

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
	f, err := audit.ParseFilter(q.Get, s.Loc, audit.Known)
	if order := q.Get("order"); order != "" && order != "asc" && order != "desc" {
		bad := errs.Fields(errs.FieldErrors(err))
		bad = append(bad, errs.Field("order", "error.audit_bad_order"))
		return bad.Err()
	}
	if err != nil {
		return err
	}
	if q.Get("limit") == "" {
		f.Limit = 500
	}
	f.Newest = q.Get("order") == "desc"
	page, err := s.App.AuditLog.Records(r.Context(), u, f)
	if err != nil {
		return err
	}
	recs := page.Records
	items := make([]map[string]any, 0, len(recs))
	for _, a := range recs {
		items = append(items, map[string]any{"seq": a.Seq, "at": ts(a.At, s.Loc), "actor_id": a.ActorID, "actor": a.Actor, "action": a.Action,
			"object_type": a.ObjectType, "object_id": a.ObjectID, "org_id": a.OrgID, "detail": json.RawMessage(a.Detail), "prev_hash": a.PrevHash, "hash": a.Hash,
			"v": max(a.Version, 1), "state": a.State})
	}
	var next *int64
	if page.Next > 0 {
		next = &page.Next
	}
	key := "next_after"
	if f.Newest {
		key = "next_before"
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, key: next})
	return nil
}
