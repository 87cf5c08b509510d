package bulletins

import (
	"context"
	"slices"

	"yingji/internal/bulletin"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// SaveList saves a named recipient list of the actor's organisation's
// units; ids of units it does not have are refused.
func (s *Service) SaveList(ctx context.Context, actor *user.User, name string, unitIDs []int64) (*bulletin.List, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if err := core.CheckText("name", name, true, 50); err != nil {
		return nil, err
	}
	if len(unitIDs) == 0 || len(unitIDs) > bulletin.MaxRecipients {
		return nil, errs.Field("unit_ids", "bulletin.no_recipients")
	}
	var l *bulletin.List
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := mayCommand(actor, actor.OrgID); err != nil {
			return err
		}
		cands, err := tx.BulletinCandidates(actor.OrgID)
		if err != nil {
			return err
		}
		have := make([]int64, len(cands))
		for i, c := range cands {
			have[i] = c.ID
		}
		ids := slices.Clone(unitIDs)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for _, id := range ids {
			if _, ok := slices.BinarySearch(have, id); !ok {
				return errs.Field("unit_ids", "bulletin.unknown_unit", id)
			}
		}
		l = &bulletin.List{OrgID: actor.OrgID, Name: name, UnitIDs: ids, CreatedBy: actor.ID}
		if err := tx.CreateBulletinList(l); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.Field("name", "bulletin.list_exists")
			}
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "bulletin.list_save", "bulletin_list", l.ID, actor.OrgID, map[string]any{"name": name, "units": len(ids)}))
	})
	return l, err
}

// Lists lists the saved lists of the actor's organisation.
func (s *Service) Lists(ctx context.Context, actor *user.User) ([]*bulletin.List, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out []*bulletin.List
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		out, err = q.BulletinLists(actor.OrgID)
		return err
	})
	return out, err
}

// DraftLines are the sentences a daily report or summary draft states
// about an incident's 通报: what was sent to how many units, how many
// signed for it and how many reported what they did. internal/reports
// calls it through an interface it declares (wired in internal/app).
func (s *Service) DraftLines(q *store.Q, incidentID int64) ([]string, error) {
	in, err := q.Incident(incidentID)
	if err != nil {
		return nil, err
	}
	bs, err := q.Bulletins([]int64{in.OrgID}, incidentID, 200)
	if err != nil {
		return nil, err
	}
	var out []string
	for i := len(bs) - 1; i >= 0; i-- { // oldest first
		b := bs[i]
		if b.Status != bulletin.Sent || b.SentAt == nil {
			continue
		}
		c, err := q.RecipientCounts(b.ID, b.Deadline)
		if err != nil {
			return nil, err
		}
		out = append(out, i18n.T(i18n.ZH, "bl.draft_line", report.ChineseTime(b.SentAt.In(bulletin.Zone)), b.DocNumber, c.Units, b.Title, c.Received, c.Done))
	}
	return out, nil
}
