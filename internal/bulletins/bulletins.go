// Package bulletins is the 通报 to units (issue 14) as use cases: the
// office drafts, a leader signs (签发), the office previews the recipients
// and sends; each unit's contacts get the 通报 with the unit's personal
// link, the unit signs for it and answers from its page, reminders go to
// units that have not answered by the deadline, and the office follows a
// table of every unit, exported as XLSX.
package bulletins

import (
	"context"
	"strconv"

	"yingji/internal/access"
	"yingji/internal/bulletin"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// SignerRoles may sign a 通报: the leading group's 组长 and 副组长, as for
// reports (the seed names no other signer for 通报; 二(一) makes the
// leading group organise 信息报告、通报制度).
var SignerRoles = report.SignerRoles

// Service is the 通报 use cases. BaseURL and Key (the channels' link
// secret) make the units' links; without a key nothing can be sent.
type Service struct {
	*core.Core
	BaseURL string
	Key     []byte
}

// New builds the service.
func New(c *core.Core) *Service { return &Service{Core: c} }

// load reads a bulletin the actor may see: its incident's need-to-know, or
// for a standalone 通报 its organisation. Not seen is not found.
func (s *Service) load(q *store.Q, actor *user.User, id int64) (*bulletin.Bulletin, *incident.Incident, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, nil, err
	}
	b, err := q.Bulletin(id)
	if err != nil {
		return nil, nil, err
	}
	if b.IncidentID != 0 {
		in, _, err := s.IncidentFor(q, actor, b.IncidentID)
		if errs.CodeOf(err) == errs.NotFound {
			return nil, nil, errs.New(errs.NotFound, "bulletin.not_found")
		}
		return b, in, err
	}
	ok, err := core.CanSeeOrg(q, actor, b.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, errs.New(errs.NotFound, "bulletin.not_found")
	}
	return b, nil, nil
}

// mayCommand: the command roles of the 通报's own organisation draft and
// send (the system actor too).
func mayCommand(actor *user.User, orgID int64) error {
	if actor.IsSystem() || access.Commands(actor, orgID) {
		return nil
	}
	return errs.New(errs.Forbidden, "bulletin.not_office")
}

// record writes a change's audit record and, when the 通报 belongs to an
// incident, its timeline entry (ev) with it.
func record(tx *store.Tx, actor *user.User, b *bulletin.Bulletin, ev event.Event, audit store.AuditEntry) error {
	if b.IncidentID == 0 {
		return tx.Audit(audit)
	}
	_, err := core.Record(tx, core.Act{IncidentID: b.IncidentID, ActorID: actor.ID, Event: ev, Audit: &audit})
	return err
}

// ref names the 通报 in its timeline entries.
func ref(b *bulletin.Bulletin) event.Bulletin {
	return event.Bulletin{Title: b.Title, BulletinID: strconv.FormatInt(b.ID, 10)}
}

// Draft registers a draft 通报.
func (s *Service) Draft(ctx context.Context, actor *user.User, in bulletin.Input) (*bulletin.Bulletin, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var b *bulletin.Bulletin
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		orgID := actor.OrgID
		if in.IncidentID != 0 {
			inc, _, err := s.IncidentFor(&tx.Q, actor, in.IncidentID)
			if err != nil {
				return err
			}
			orgID = inc.OrgID
		}
		if err := mayCommand(actor, orgID); err != nil {
			return err
		}
		if err := in.Check(tx.Now); err != nil {
			return err
		}
		b = &bulletin.Bulletin{OrgID: orgID, IncidentID: in.IncidentID, Title: in.Title, Body: in.Body, Actions: in.Actions,
			Deadline: in.Deadline, Contact: in.Contact, Phone: in.Phone, AuthorID: actor.ID}
		if err := tx.CreateBulletin(b); err != nil {
			return err
		}
		if err := record(tx, actor, b, event.BulletinDrafted{Bulletin: ref(b)}, core.AuditEntry(actor, "bulletin.draft", "bulletin", b.ID, orgID,
			map[string]any{"incident_id": b.IncidentID, "title": b.Title, "deadline": b.Deadline.UnixMilli()})); err != nil {
			return err
		}
		// A draft is final (there is no editing): the leaders who may sign
		// it are told now, as for a report's 提请签发; the page said "请送领导签发"
		// and nothing reached them.
		users, err := tx.Users(orgID)
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.ID != actor.ID && !u.Disabled && u.HasRole(SignerRoles...) {
				if err := core.Notice(tx, u.ID, b.IncidentID, "bulletin_signoff_requested", map[string]any{"bulletin_id": b.ID, "title": b.Title, "by": actor.DisplayName}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return b, err
}

// Get reads a 通报.
func (s *Service) Get(ctx context.Context, actor *user.User, id int64) (*bulletin.Bulletin, error) {
	var b *bulletin.Bulletin
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		b, _, err = s.load(q, actor, id)
		return err
	})
	return b, err
}

// List lists the 通报 of the actor's organisation, or of one incident.
func (s *Service) List(ctx context.Context, actor *user.User, incidentID int64) ([]*bulletin.Bulletin, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out []*bulletin.Bulletin
	err := s.DB.Read(ctx, func(q *store.Q) error {
		orgs := []int64{actor.OrgID}
		if incidentID != 0 {
			in, _, err := s.IncidentFor(q, actor, incidentID)
			if err != nil {
				return err
			}
			orgs = []int64{in.OrgID}
		} else if actor.IsSystem() {
			return errs.New(errs.Invalid, "bulletin.list_needs_org")
		}
		all, err := q.Bulletins(orgs, incidentID, 200)
		if err != nil || incidentID != 0 {
			out = all
			return err
		}
		// A 通报 of an incident shows only to those who may know the incident.
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		known := map[int64]bool{}
		for _, b := range all {
			if b.IncidentID != 0 {
				ok, seen := known[b.IncidentID]
				if !seen {
					in, err := q.Incident(b.IncidentID)
					if err != nil {
						return err
					}
					if ok, err = s.Knows(q, actor, tree, in); err != nil {
						return err
					}
					known[b.IncidentID] = ok
				}
				if !ok {
					continue
				}
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// Sign signs a draft (签发): a leader of its organisation, never its
// author. It gets its 发文字号 from the organisation's series.
func (s *Service) Sign(ctx context.Context, actor *user.User, id int64) (*bulletin.Bulletin, error) {
	var b *bulletin.Bulletin
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if b, _, err = s.load(&tx.Q, actor, id); err != nil {
			return err
		}
		if err := bulletin.MaySign(b, actor.ID, actor.OrgID, actor.HasRole(SignerRoles...)); err != nil {
			return err
		}
		org, err := tx.Org(b.OrgID)
		if err != nil {
			return err
		}
		year := tx.Now.In(bulletin.Zone).Year()
		n, err := tx.NextDocNumber(org.ID, year)
		if err != nil {
			return err
		}
		now := tx.Now
		b.DocNumber, b.Status, b.SignerID, b.SignerName, b.SignedAt = report.DocNumber(org.Name, year, n), bulletin.Signed, actor.ID, actor.DisplayName, &now
		if err := tx.UpdateBulletin(b); err != nil {
			return err
		}
		return record(tx, actor, b, event.BulletinSigned{Bulletin: ref(b), DocNumber: b.DocNumber, Signer: actor.DisplayName},
			core.AuditEntry(actor, "bulletin.sign", "bulletin", b.ID, b.OrgID, map[string]any{"incident_id": b.IncidentID, "doc_number": b.DocNumber}))
	})
	return b, err
}
