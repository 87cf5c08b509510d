package dashboard

import (
	"context"

	"yingji/internal/core"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Changes is what the live-update stream polls: the newest timeline entry
// (of one incident, or of any incident the actor may see when id is 0).
func (s *Service) Changes(ctx context.Context, actor *user.User, id, after int64) (int64, bool, error) {
	var mark int64
	var changed bool
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		if id != 0 {
			if _, _, err := s.IncidentFor(q, actor, id); err != nil {
				return err
			}
			mark, err = q.TimelineMark(id)
			changed = mark != after
			return err
		}
		if mark, err = q.TimelineMark(0); err != nil || mark == after {
			return err
		}
		_, visible, sc, err := s.VisibleScope(q, actor)
		if err != nil {
			return err
		}
		changed, err = q.ChangedIn(visible, sc, after, mark)
		return err
	})
	return mark, changed, err
}

// ChangeConcerns returns a test, cheap enough to run on every change of the
// node's feed, of whether a change to an incident of organisation org may
// concern actor's overview (Changes with id 0). It must admit every change
// Changes would report: a stream skips what it refuses without asking.
func (s *Service) ChangeConcerns(ctx context.Context, actor *user.User) (func(org int64) bool, error) {
	var visible map[int64]bool
	err := s.DB.Read(ctx, func(q *store.Q) error {
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		visible = map[int64]bool{}
		for _, id := range tree.Visible(actor.OrgID) {
			visible[id] = true
		}
		return nil
	})
	return func(org int64) bool { return visible[org] }, err
}
