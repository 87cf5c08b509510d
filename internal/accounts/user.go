package accounts

import (
	"context"
	"regexp"
	"strings"
	"time"

	"yingji/internal/core"

	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

var usernameRe = regexp.MustCompile(`^[a-z][a-z0-9_.-]{1,31}$`)

// NewUser is an account to create.
type NewUser struct {
	Org         string // organisation name
	Department  string // department key
	Username    string
	DisplayName string
	Title       string
	Roles       []string
	Password    string
}

// CreateUser adds an account. The system actor is the operator at the
// console (the CLI), who is trusted; otherwise only an administrator may.
func (s *Service) CreateUser(ctx context.Context, actor *user.User, nu NewUser) (*user.User, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	if !actor.IsSystem() && !actor.HasRole(user.RoleSystemAdmin) {
		return nil, errs.New(errs.Forbidden, "error.system_admin_only")
	}
	if !actor.IsSystem() && len(nu.Roles) > 0 {
		// Granting roles is the security administrator's work (三员分立).
		return nil, errs.Field("roles", "error.roles_by_security_admin")
	}
	if !usernameRe.MatchString(nu.Username) {
		return nil, errs.Field("username", "error.bad_username")
	}
	if err := core.CheckText("display_name", nu.DisplayName, true, 100); err != nil {
		return nil, err
	}
	if err := core.CheckText("title", nu.Title, false, 100); err != nil {
		return nil, err
	}
	if key, args := user.PasswordProblem(nu.Password, nu.Username); key != "" {
		return nil, errs.Field("password", key, args...)
	}
	hash, err := user.HashPassword(nu.Password)
	if err != nil {
		return nil, errs.Wrap(err, "hash password")
	}
	var u *user.User
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		_, in, err := AdminScope(&tx.Q, actor, user.RoleSystemAdmin)
		if err != nil {
			return err
		}
		org, err := tx.OrgByName(nu.Org)
		if err != nil || !in[org.ID] {
			return errs.Field("org", "error.unknown_org", nu.Org)
		}
		if nu.Department != "" {
			deps, err := tx.Departments(org.ID)
			if err != nil {
				return err
			}
			found := false
			for _, d := range deps {
				found = found || d.Key == nu.Department
			}
			if !found {
				return errs.Field("department", "error.unknown_department", nu.Department)
			}
		}
		known, err := s.KnownRoles(&tx.Q)
		if err != nil {
			return err
		}
		if nu.Roles, err = CheckRoles(known, nu.Roles); err != nil {
			return err
		}
		u = &user.User{OrgID: org.ID, Department: nu.Department, Username: nu.Username, DisplayName: strings.TrimSpace(nu.DisplayName),
			Title: nu.Title, Roles: nu.Roles, PasswordHash: hash}
		if err := tx.CreateUser(u); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.Field("username", "error.username_taken", nu.Username)
			}
			return err
		}
		if err := tx.AddPasswordHistory(u.ID, hash, user.PasswordHistory); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "user.create", "user", u.ID, org.ID, map[string]any{"username": u.Username, "roles": u.Roles, "department": u.Department}))
	})
	return u, err
}

// API tokens run out: DefaultTokenLifetime unless the issuer says
// otherwise, never more than MaxTokenLifetime. A token is a credential of
// its own (it does not ask for the second factor), so it must not live for
// ever.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 366 * 24 * time.Hour
	// touchTokenEvery limits the writes recording a token's last use.
	touchTokenEvery = time.Minute
)

// IssueToken creates a new API token for a user, valid for ttl (0: the
// default), and returns it; only its hash is kept.
func (s *Service) IssueToken(ctx context.Context, actor *user.User, username, name string, ttl time.Duration) (string, error) {
	if err := core.RequireActor(actor); err != nil {
		return "", err
	}
	if ttl == 0 {
		ttl = DefaultTokenLifetime
	}
	if ttl < time.Minute || ttl > MaxTokenLifetime {
		return "", errs.Field("expires", "auth.token_lifetime", int(MaxTokenLifetime/(24*time.Hour)))
	}
	if err := core.CheckText("name", name, false, 100); err != nil {
		return "", err
	}
	token, hash := user.NewToken()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByName(username)
		if err != nil {
			return errs.Field("username", "error.unknown_user", username)
		}
		if !actor.IsSystem() && actor.ID != u.ID {
			if _, in, err := AdminScope(&tx.Q, actor, user.RoleSystemAdmin); err != nil || !in[u.OrgID] {
				return errs.New(errs.Forbidden, "error.system_admin_only")
			}
		}
		expires := tx.Now.Add(ttl)
		id, err := tx.CreateToken(u.ID, hash, name, expires)
		if err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "token.issue", "user", u.ID, u.OrgID, map[string]any{"token_id": id, "name": name, "expires_at": expires.UnixMilli()}))
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// Authenticate finds the user holding a live API token (not revoked, not
// expired) and records the token's use.
func (s *Service) Authenticate(ctx context.Context, token string) (*user.User, error) {
	if token == "" {
		return nil, errs.New(errs.Unauthorized, "error.no_token")
	}
	var u *user.User
	var t *user.Token
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		u, t, err = q.UserByToken(user.HashToken(token))
		return err
	})
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errs.New(errs.Unauthorized, "error.user_disabled")
	}
	if t.LastUsedAt == nil || s.DB.Now().Sub(*t.LastUsedAt) >= touchTokenEvery {
		if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.TouchToken(t.ID) }); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// mayManageCredentials says whether actor, as the security administrator
// (三员分立: credentials are security policy), may list or revoke u's tokens
// and reset u's second factor: u must be in the organisations he oversees.
func mayManageCredentials(q *store.Q, actor, u *user.User) bool {
	_, in, err := AdminScope(q, actor, user.RoleSecurityAdmin)
	return err == nil && in[u.OrgID]
}

// Tokens lists a user's API tokens (never the tokens themselves). A user
// lists his own; the security administrator those of his organisations' users; the
// operator (the system actor) anyone's.
func (s *Service) Tokens(ctx context.Context, actor *user.User, username string) ([]*user.Token, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out []*user.Token
	err := s.DB.Read(ctx, func(q *store.Q) error {
		u, err := q.UserByName(username)
		if err != nil {
			return errs.Field("username", "error.unknown_user", username)
		}
		if !actor.IsSystem() && actor.ID != u.ID && !mayManageCredentials(q, actor, u) {
			return errs.New(errs.Forbidden, "error.security_admin_only")
		}
		out, err = q.Tokens(u.ID)
		return err
	})
	return out, err
}

// RevokeToken revokes an API token: one's own, or as an administrator one
// of a user of the same organisation, or as the operator (the system
// actor) any.
// A token the actor may not touch is answered as not found, so that token
// ids of others are not confirmed.
func (s *Service) RevokeToken(ctx context.Context, actor *user.User, id int64) (*user.Token, error) {
	if err := core.RequireActor(actor); err != nil {
		return nil, err
	}
	var out *user.Token
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.Token(id)
		if err != nil {
			return err
		}
		owner, err := tx.User(t.UserID)
		if err != nil {
			return err
		}
		if !actor.IsSystem() && actor.ID != owner.ID && !mayManageCredentials(&tx.Q, actor, owner) {
			return errs.New(errs.NotFound, "error.token_not_found")
		}
		live, err := tx.RevokeToken(id)
		if err != nil {
			return err
		}
		if !live {
			return errs.New(errs.Conflict, "auth.token_revoked")
		}
		if out, err = tx.Token(id); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "token.revoke", "user", owner.ID, owner.OrgID, map[string]any{"token_id": id, "name": t.Name, "username": owner.Username}))
	})
	return out, err
}
