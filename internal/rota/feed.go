package rota

import (
	"context"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

// IssueFeedToken makes (replacing any old one) the actor's calendar feed token.
func (s *Service) IssueFeedToken(ctx context.Context, actor *user.User) (string, error) {
	token, hash := user.NewToken()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetFeedToken(actor.ID, hash); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "duty_feed.issue", "user", actor.ID, actor.OrgID, nil))
	})
	return token, err
}

// FeedUser finds the user of a calendar feed token.
func (s *Service) FeedUser(ctx context.Context, token string) (*user.User, error) {
	if token == "" {
		return nil, errs.New(errs.Unauthorized, "error.no_token")
	}
	var u *user.User
	err := s.DB.Read(ctx, func(q *store.Q) error {
		id, err := q.UserByFeedToken(user.HashToken(token))
		if err != nil {
			return err
		}
		u, err = q.User(id)
		return err
	})
	if err == nil && u.Disabled {
		return nil, errs.New(errs.Unauthorized, "error.user_disabled")
	}
	return u, err
}
