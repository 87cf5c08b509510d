package auditlog

import (
	"context"
	"encoding/json"
	"sort"

	"yingji/internal/accounts"
	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/incident"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Page is one page of the audit records an auditor filtered.
type Page struct {
	Records []*audit.Record
	// Next is the seq to read on from (较早的记录 for the newest-first
	// reading, the next forward page otherwise); 0 when this page is the
	// last.
	Next int64
	// Orgs names the organisations of the records.
	Orgs map[int64]string
	// Incidents are the incidents the records are about that the reader
	// may open (need-to-know, as on the incident's own page); an incident
	// he may not open is absent, and gets no link.
	Incidents map[int64]*incident.Incident
	// Numbers are the numbers of the incidents of the records in his
	// organisations (the records name them anyway), linked or not.
	Numbers map[int64]string
}

// Newest lists the newest n records the audit administrator may read,
// newest first (his overview on /admin).
func (s *Service) Newest(ctx context.Context, actor *user.User, n int) ([]*audit.Record, error) {
	p, err := s.Records(ctx, actor, audit.Filter{Newest: true, Limit: n})
	if err != nil {
		return nil, err
	}
	return p.Records, nil
}

// Records reads one page of the audit records of the organisations the
// audit administrator oversees (his own and those below it; records of no
// organisation only at the top, as AuditRecords), narrowed by f in SQL.
// An incident named in f that is unknown or outside his organisations is
// the same field error, so the filter does not tell which numbers exist
// elsewhere.
func (s *Service) Records(ctx context.Context, actor *user.User, f audit.Filter) (*Page, error) {
	f.Limit = min(max(f.Limit, 1), audit.MaxPage)
	p := &Page{Orgs: map[int64]string{}, Incidents: map[int64]*incident.Incident{}, Numbers: map[int64]string{}}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, in, err := accounts.AdminScope(q, actor, user.RoleAuditAdmin)
		if err != nil {
			return err
		}
		if f.IncidentRef != "" {
			id, orgID, err := q.IncidentRef(f.IncidentRef)
			if err != nil {
				return err
			}
			if id == 0 || !in[orgID] {
				return errs.Field("incident", "error.audit_no_incident", f.IncidentRef)
			}
			f.Incident = id
		}
		ids := make([]int64, 0, len(in))
		for id := range in {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		top := actor.IsSystem() || tree.Parent(actor.OrgID) == 0
		if p.Records, err = q.AuditPage(ids, top, f); err != nil {
			return err
		}
		if len(p.Records) == f.Limit {
			p.Next = p.Records[len(p.Records)-1].Seq
		}
		for _, r := range p.Records {
			if o := tree.Org(r.OrgID); o != nil {
				p.Orgs[r.OrgID] = o.Name
			}
			id := IncidentOf(r)
			if _, seen := p.Numbers[id]; id == 0 || seen {
				continue
			}
			p.Numbers[id] = ""
			inc, err := q.Incident(id)
			if errs.CodeOf(err) == errs.NotFound {
				continue
			} else if err != nil {
				return err
			}
			if in[inc.OrgID] {
				p.Numbers[id] = inc.Number
			}
			ok, err := s.Knows(q, actor, tree, inc)
			if err != nil {
				return err
			}
			if ok {
				p.Incidents[id] = inc
			}
		}
		return nil
	})
	return p, err
}

// IncidentOf is the incident a record is about: the object itself, or the
// incident_id its detail names (tasks, reports, approvals, alerts, ...); 0
// for none.
func IncidentOf(r *audit.Record) int64 {
	if r.ObjectType == "incident" {
		return r.ObjectID
	}
	var d struct {
		IncidentID int64 `json:"incident_id"`
	}
	if json.Unmarshal([]byte(r.Detail), &d) != nil {
		return 0
	}
	return d.IncidentID
}

// Check is VerifyAudit for the audit administrator's console: his role is
// checked first, as for his records (the API's /audit/verify is open to
// any holder of the anchors, as `yingji audit verify` is).
func (s *Service) Check(ctx context.Context, actor *user.User, anchors ...audit.Anchor) (store.VerifyResult, error) {
	err := s.DB.Read(ctx, func(q *store.Q) error {
		_, _, err := accounts.AdminScope(q, actor, user.RoleAuditAdmin)
		return err
	})
	if err != nil {
		return store.VerifyResult{}, err
	}
	return s.VerifyAudit(ctx, anchors...)
}
