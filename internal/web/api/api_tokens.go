package api

import (
	"net/http"
	"time"

	"yingji/internal/user"
)

type tokenJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	CreatedAt  string  `json:"created_at"`
	ExpiresAt  string  `json:"expires_at"`
	LastUsedAt *string `json:"last_used_at"`
	RevokedAt  *string `json:"revoked_at"`
	Live       bool    `json:"live"`
}

func toTokenJSON(t *user.Token, loc *time.Location, now time.Time) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: ts(t.CreatedAt, loc), ExpiresAt: ts(t.ExpiresAt, loc),
		LastUsedAt: tsPtr(t.LastUsedAt, loc), RevokedAt: tsPtr(t.RevokedAt, loc), Live: t.RevokedAt == nil && t.ExpiresAt.After(now)}
}

// apiMyTokens lists the caller's API tokens: names and times, never tokens.
func (s *Server) apiMyTokens(w http.ResponseWriter, r *http.Request, u *user.User) error {
	toks, err := s.App.Accounts.Tokens(r.Context(), u, u.Username)
	if err != nil {
		return err
	}
	now := s.App.Core.Now()
	out := make([]tokenJSON, len(toks))
	for i, t := range toks {
		out[i] = toTokenJSON(t, s.Loc, now)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

// apiRevokeToken revokes one of the caller's tokens (or, for an
// administrator, a token of a user of his organisation).
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, u *user.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.App.Accounts.RevokeToken(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTokenJSON(t, s.Loc, s.App.Core.Now()))
	return nil
}
