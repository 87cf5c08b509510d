package warnings

import (
	"context"

	"yingji/internal/access"
	"yingji/internal/core"
	"yingji/internal/org"
	"yingji/internal/plan"
	"yingji/internal/store"
	"yingji/internal/user"
	"yingji/internal/warning"
)

// View is one message with the other messages of its warning.
type View struct {
	*Item
	Thread []*Item // oldest first, this one included
}

// Get reads a message the actor may see (need-to-know: otherwise not found).
func (s *Service) Get(ctx context.Context, actor *user.User, id int64) (*View, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var v *View
	err := s.DB.Read(ctx, func(q *store.Q) error {
		m, err := s.load(q, actor, id)
		if err != nil {
			return err
		}
		thread, err := q.WarningThread(m.ThreadUUID)
		if err != nil {
			return err
		}
		items, err := s.items(q, actor, thread)
		if err != nil {
			return err
		}
		v = &View{Thread: items}
		for _, it := range items {
			if it.ID == m.ID {
				v.Item = it
			}
		}
		return nil
	})
	return v, err
}

// List lists the messages of an incident (need-to-know), or, with
// incidentID 0, of the organisations the actor sees; newest first.
func (s *Service) List(ctx context.Context, actor *user.User, incidentID int64) ([]*Item, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out []*Item
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var ms []*warning.Message
		if incidentID != 0 {
			if _, _, err := s.IncidentFor(q, actor, incidentID); err != nil {
				return err
			}
			var err error
			if ms, err = q.Warnings(nil, incidentID, 200); err != nil {
				return err
			}
		} else {
			tree, err := core.LoadTree(q)
			if err != nil {
				return err
			}
			all, err := q.Warnings(tree.Visible(actor.OrgID), 0, 200)
			if err != nil {
				return err
			}
			// A warning of an incident shows only to those who may know it.
			known := map[int64]bool{}
			for _, m := range all {
				if m.IncidentID == 0 {
					ms = append(ms, m)
					continue
				}
				ok, seen := known[m.IncidentID]
				if !seen {
					in, err := q.Incident(m.IncidentID)
					if err != nil {
						return err
					}
					if ok, err = s.Knows(q, actor, tree, in); err != nil {
						return err
					}
					known[m.IncidentID] = ok
				}
				if ok {
					ms = append(ms, m)
				}
			}
		}
		var err error
		out, err = s.items(q, actor, ms)
		return err
	})
	return out, err
}

// items adds names and what the actor may do to messages.
func (s *Service) items(q *store.Q, actor *user.User, ms []*warning.Message) ([]*Item, error) {
	tree, err := core.LoadTree(q)
	if err != nil {
		return nil, err
	}
	out := make([]*Item, 0, len(ms))
	type key struct{ incident, org int64 }
	rules := map[key]plan.ApprovalRule{} // one plan read per incident or organisation
	for _, m := range ms {
		it := &Item{Message: m}
		if o := tree.Org(m.OrgID); o != nil {
			it.OrgName = o.Name
		}
		k := key{m.IncidentID, m.OrgID}
		rule, ok := rules[k]
		if !ok {
			if rule, _, err = s.rule(q, m); err != nil {
				return nil, err
			}
			rules[k] = rule
		}
		it.Rule = rule.Name
		it.CanApprove = m.Status == warning.Draft && mayApprove(actor, tree, rule, m)
		it.CanRelease = m.Status == warning.Approved && (mayDraft(actor, m.OrgID) || actor.ID == m.ApprovedBy)
		it.CanRevise = m.Status == warning.Released && m.Type != warning.Cancel && mayDraft(actor, m.OrgID) && warning.Current(m, q.Now) == nil
		out = append(out, it)
	}
	return out, nil
}

func mayApprove(actor *user.User, tree *org.Tree, rule plan.ApprovalRule, m *warning.Message) bool {
	return access.MayDecideUnder(actor, tree, rule, m.DraftedBy, m.OrgID) == nil
}

// AwaitingApproval lists the drafts actor may approve (the plan's warning
// approval role, never the drafter), for the command post's 待我审批.
func (s *Service) AwaitingApproval(q *store.Q, actor *user.User) ([]*warning.Message, error) {
	tree, err := core.LoadTree(q)
	if err != nil {
		return nil, err
	}
	drafts, err := q.DraftWarnings(tree.Visible(actor.OrgID))
	if err != nil {
		return nil, err
	}
	var out []*warning.Message
	for _, m := range drafts {
		rule, tree, err := s.rule(q, m)
		if err != nil {
			return nil, err
		}
		if access.MayDecideUnder(actor, tree, rule, m.DraftedBy, m.OrgID) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}
