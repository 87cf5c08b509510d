package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Console login policy: five wrong passwords in a row lock the account for
// a quarter of an hour; a session lasts one working shift and a half.
const (
	MaxLoginFailures = 5
	LockoutFor       = 15 * time.Minute
	SessionFor       = 12 * time.Hour
)

// Session is a console login as the browser holds it.
type Session struct {
	Token string // goes into the cookie; only its hash is stored
	CSRF  string // must come back with every form
	ID    int64
	User  *user.User
}

// dummyHash makes a login with an unknown username cost as much as one with
// a wrong password, so that timing does not reveal which usernames exist.
var dummyHash, _ = user.HashPassword("yingji-dummy-password")

func randomString() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Login checks a username and password and opens a session. Failures are
// counted and committed even though the login fails; the fifth in a row
// locks the account.
func (s *Service) Login(ctx context.Context, username, password, remote string) (*Session, error) {
	username = strings.TrimSpace(username)
	if username == "" {
		return nil, errs.Field("username", "error.required")
	}
	if err := cleantext.Check("username", username); err != nil {
		return nil, err // PostgreSQL would refuse the look-up with a NUL in it
	}
	if password == "" {
		return nil, errs.Field("password", "error.required")
	}
	var u *user.User
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		u, err = q.UserByName(username)
		return err
	})
	if errs.CodeOf(err) == errs.NotFound {
		user.CheckPassword(dummyHash, password)
		s.DB.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(auditEntry(nil, "session.login_failed", "user", 0, 0, map[string]string{"username": username, "remote": remote, "reason": "unknown_user"}))
		})
		return nil, errs.New(errs.Unauthorized, "error.login_failed")
	}
	if err != nil {
		return nil, err
	}
	// bcrypt is slow on purpose; compare outside the write transaction so
	// that logins do not hold up everyone else's changes.
	ok := user.CheckPassword(u.PasswordHash, password)
	var out *Session
	var loginErr error
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(u.ID) // re-read: the counters may have moved meanwhile
		if err != nil {
			return err
		}
		detail := map[string]any{"remote": remote}
		switch {
		case u.Disabled:
			loginErr = errs.New(errs.Unauthorized, "error.user_disabled")
			detail["reason"] = "disabled"
			return tx.Audit(auditEntry(u, "session.login_failed", "user", u.ID, u.OrgID, detail))
		case u.LockedUntil.After(tx.Now):
			loginErr = errs.New(errs.Unauthorized, "error.locked", u.LockedUntil)
			detail["reason"] = "locked"
			return tx.Audit(auditEntry(u, "session.login_failed", "user", u.ID, u.OrgID, detail))
		case !ok:
			n := u.FailedLogins + 1
			var until int64
			loginErr = errs.New(errs.Unauthorized, "error.login_failed")
			detail["reason"], detail["failures"] = "password", n
			if n >= MaxLoginFailures {
				lock := tx.Now.Add(LockoutFor)
				until, n = lock.UnixMilli(), 0
				loginErr = errs.New(errs.Unauthorized, "error.locked", lock)
			}
			if err := tx.SetLoginFailures(u.ID, n, until); err != nil {
				return err
			}
			if err := tx.Audit(auditEntry(u, "session.login_failed", "user", u.ID, u.OrgID, detail)); err != nil {
				return err
			}
			if until > 0 {
				return tx.Audit(auditEntry(u, "user.lockout", "user", u.ID, u.OrgID, map[string]any{"until": until, "after": MaxLoginFailures}))
			}
			return nil
		}
		if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
			if err := tx.SetLoginFailures(u.ID, 0, 0); err != nil {
				return err
			}
		}
		if err := tx.SweepSessions(u.ID); err != nil {
			return err
		}
		token := randomString()
		sess, err := tx.CreateSession(u.ID, user.HashToken(token), randomString(), tx.Now.Add(SessionFor))
		if err != nil {
			return err
		}
		out = &Session{Token: token, CSRF: sess.CSRF, ID: sess.ID, User: u}
		return tx.Audit(auditEntry(u, "session.login", "session", sess.ID, u.OrgID, detail))
	})
	if err != nil {
		return nil, err
	}
	if loginErr != nil {
		return nil, loginErr
	}
	return out, nil
}

// SessionUser resolves a session cookie to its session and user.
func (s *Service) SessionUser(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, errs.New(errs.Unauthorized, "error.session_expired")
	}
	var out *Session
	err := s.DB.Read(ctx, func(q *store.Q) error {
		sess, u, err := q.SessionUser(user.HashToken(token))
		if err != nil {
			return err
		}
		out = &Session{Token: token, CSRF: sess.CSRF, ID: sess.ID, User: u}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.User.Disabled {
		return nil, errs.New(errs.Unauthorized, "error.user_disabled")
	}
	return out, nil
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		sess, err := tx.DeleteSession(user.HashToken(token))
		if err != nil || sess == nil {
			return err
		}
		u, err := tx.User(sess.UserID)
		if err != nil {
			return err
		}
		return tx.Audit(auditEntry(u, "session.logout", "session", sess.ID, u.OrgID, nil))
	})
}

// ChangePassword replaces the actor's password after checking the old one,
// and ends the actor's other sessions.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, old, pw, confirm string) error {
	actor := sess.User
	if old == "" {
		return errs.Field("old_password", "error.required")
	}
	if len(pw) < 8 {
		return errs.Field("new_password", "error.password_short", 8)
	}
	if pw != confirm {
		return errs.Field("confirm_password", "error.password_mismatch")
	}
	if pw == old {
		return errs.Field("new_password", "error.password_same")
	}
	if !user.CheckPassword(actor.PasswordHash, old) {
		return errs.Field("old_password", "error.password_wrong")
	}
	hash, err := user.HashPassword(pw)
	if err != nil {
		return errs.Wrap(err, "hash password")
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(actor.ID, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(actor.ID, sess.ID); err != nil {
			return err
		}
		return tx.Audit(auditEntry(actor, "user.password_change", "user", actor.ID, actor.OrgID, nil))
	})
}
