package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"yingji/internal/cleantext"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Console login policy: five wrong passwords (or second-factor codes, or
// current passwords on the change form) in a row lock the account for a
// quarter of an hour; a session lasts one working shift and a half at most,
// and ends after IdleTimeout without a request.
const (
	MaxLoginFailures   = 5
	LockoutFor         = 15 * time.Minute
	SessionFor         = 12 * time.Hour
	DefaultIdleTimeout = 30 * time.Minute
	// A login waiting for its second factor lasts long enough to open the
	// authenticator app, not longer.
	PendingFor = 5 * time.Minute
	// touchEvery limits the writes that keep a session alive to one a
	// minute per session: the idle timeout does not need more precision.
	touchEvery = time.Minute
)

// Session is a console login as the browser holds it.
type Session struct {
	Token string // goes into the cookie; only its hash is stored
	CSRF  string // must come back with every form
	ID    int64
	Stage string // "" a full session; user.StageTOTP or user.StageEnrol
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

func (s *Service) idleTimeout() time.Duration {
	if s.IdleTimeout > 0 {
		return s.IdleTimeout
	}
	return DefaultIdleTimeout
}

// errLogin is the one answer to every failed login: unknown user, wrong
// password, wrong code, locked or disabled account. A different message for
// a locked account would tell an attacker which usernames exist.
func errLogin() error { return errs.New(errs.Unauthorized, "auth.login_refused") }

// Login checks a username and password and opens a session: a full one, or
// one waiting for the second factor (StageTOTP) or for its enrolment
// (StageEnrol). Failures are counted and committed even though the login
// fails; the fifth in a row locks the account.
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
			return tx.Audit(core.AuditEntry(user.System(), "session.login_failed", "user", 0, 0, map[string]string{"username": clip(username, 64), "remote": remote, "reason": "unknown_user"}))
		})
		return nil, errLogin()
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
			loginErr = errLogin()
			detail["reason"] = "disabled"
			return tx.Audit(core.AuditEntry(u, "session.login_failed", "user", u.ID, u.OrgID, detail))
		case u.LockedUntil.After(tx.Now):
			loginErr = errLogin()
			detail["reason"] = "locked"
			return tx.Audit(core.AuditEntry(u, "session.login_failed", "user", u.ID, u.OrgID, detail))
		case !ok:
			loginErr = errLogin()
			return s.countFailure(tx, u, "password", detail)
		}
		stage, err := s.loginStage(&tx.Q, u)
		if err != nil {
			return err
		}
		if err := tx.SweepSessions(u.ID, tx.Now.Add(-s.idleTimeout())); err != nil {
			return err
		}
		expires := tx.Now.Add(SessionFor)
		if stage == user.StageTOTP {
			expires = tx.Now.Add(PendingFor)
		} else if err := resetFailures(tx, u); err != nil {
			// The counters are reset only once the whole login has passed:
			// a right password followed by wrong codes keeps counting.
			return err
		}
		token := randomString()
		sess, err := tx.CreateSession(u.ID, user.HashToken(token), randomString(), stage, expires)
		if err != nil {
			return err
		}
		out = &Session{Token: token, CSRF: sess.CSRF, ID: sess.ID, Stage: stage, User: u}
		action := "session.login"
		if stage == user.StageTOTP {
			action = "session.password_ok" // the login completes with the second factor
		}
		if stage == user.StageEnrol {
			detail["must_enrol_totp"] = true
		}
		return tx.Audit(core.AuditEntry(u, action, "session", sess.ID, u.OrgID, detail))
	})
	if err != nil {
		return nil, err
	}
	if loginErr != nil {
		return nil, loginErr
	}
	return out, nil
}

// countFailure counts one wrong password or code, locks the account on the
// fifth in a row, and audits both.
func (s *Service) countFailure(tx *store.Tx, u *user.User, reason string, detail map[string]any) error {
	n := u.FailedLogins + 1
	var until int64
	if detail == nil {
		detail = map[string]any{}
	}
	detail["reason"], detail["failures"] = reason, n
	if n >= MaxLoginFailures {
		until, n = tx.Now.Add(LockoutFor).UnixMilli(), 0
	}
	if err := tx.SetLoginFailures(u.ID, n, until); err != nil {
		return err
	}
	if err := tx.Audit(core.AuditEntry(u, "session.login_failed", "user", u.ID, u.OrgID, detail)); err != nil {
		return err
	}
	if until == 0 {
		return nil
	}
	// Guessing on the change form means someone sits at a console left
	// open: the lockout ends the person's sessions. A lockout from the login
	// form does not, or anyone could log the duty officer out.
	if reason == "change_form" {
		if err := tx.DeleteUserSessions(u.ID, 0); err != nil {
			return err
		}
	}
	return tx.Audit(core.AuditEntry(u, "user.lockout", "user", u.ID, u.OrgID, map[string]any{"until": until, "after": MaxLoginFailures, "reason": reason}))
}

func resetFailures(tx *store.Tx, u *user.User) error {
	if u.FailedLogins == 0 && u.LockedUntil.IsZero() {
		return nil
	}
	return tx.SetLoginFailures(u.ID, 0, 0)
}

// SessionUser resolves a session cookie to a full session and its user. It
// does not count as activity (live-update streams call it by themselves);
// Visit does.
func (s *Service) SessionUser(ctx context.Context, token string) (*Session, error) {
	sess, _, err := s.session(ctx, token)
	if err != nil {
		return nil, err
	}
	if sess.Stage != "" {
		return nil, errs.New(errs.Unauthorized, "error.session_expired")
	}
	return sess, nil
}

// Visit resolves a session cookie on a request the person made, whatever
// the session's stage, and keeps the session from going idle.
func (s *Service) Visit(ctx context.Context, token string) (*Session, error) {
	sess, seen, err := s.session(ctx, token)
	if err != nil {
		return nil, err
	}
	if s.DB.Now().Sub(seen) >= touchEvery {
		if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.TouchSession(sess.ID) }); err != nil {
			return nil, err
		}
	}
	return sess, nil
}

func (s *Service) session(ctx context.Context, token string) (*Session, time.Time, error) {
	if token == "" {
		return nil, time.Time{}, errs.New(errs.Unauthorized, "error.session_expired")
	}
	var out *Session
	var seen time.Time
	err := s.DB.Read(ctx, func(q *store.Q) error {
		sess, u, err := q.SessionUser(user.HashToken(token), q.Now.Add(-s.idleTimeout()))
		if err != nil {
			return err
		}
		out, seen = &Session{Token: token, CSRF: sess.CSRF, ID: sess.ID, Stage: sess.Stage, User: u}, sess.LastSeen
		return nil
	})
	if err != nil {
		return nil, time.Time{}, err
	}
	if out.User.Disabled {
		return nil, time.Time{}, errs.New(errs.Unauthorized, "error.user_disabled")
	}
	return out, seen, nil
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
		return tx.Audit(core.AuditEntry(u, "session.logout", "session", sess.ID, u.OrgID, nil))
	})
}

// ChangePassword replaces the actor's password after checking the old one,
// and ends the actor's other sessions. A wrong current password counts
// toward the lockout like a wrong password at the login form: otherwise a
// console left open would let anyone guess the password without limit.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, old, pw, confirm string) error {
	actor := sess.User
	if old == "" {
		return errs.Field("old_password", "error.required")
	}
	if key, args := user.PasswordProblem(pw, actor.Username); key != "" {
		return errs.Field("new_password", key, args...)
	}
	if pw != confirm {
		return errs.Field("confirm_password", "error.password_mismatch")
	}
	if pw == old {
		return errs.Field("new_password", "error.password_same")
	}
	if !user.CheckPassword(actor.PasswordHash, old) {
		var locked bool
		err := s.DB.Write(ctx, func(tx *store.Tx) error {
			u, err := tx.User(actor.ID)
			if err != nil {
				return err
			}
			if err := s.countFailure(tx, u, "change_form", nil); err != nil {
				return err
			}
			locked = u.FailedLogins+1 >= MaxLoginFailures
			return nil
		})
		if err != nil {
			return err
		}
		if locked {
			return errs.New(errs.Unauthorized, "auth.locked_out")
		}
		return errs.Field("old_password", "error.password_wrong")
	}
	if err := s.checkHistory(ctx, actor, pw); err != nil {
		return err
	}
	hash, err := user.HashPassword(pw)
	if err != nil {
		return errs.Wrap(err, "hash password")
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(actor.ID, hash); err != nil {
			return err
		}
		if err := tx.AddPasswordHistory(actor.ID, hash, user.PasswordHistory); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(actor.ID, sess.ID); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "user.password_change", "user", actor.ID, actor.OrgID, nil))
	})
}

// checkHistory refuses a password that is the current one or one of the
// last user.PasswordHistory.
func (s *Service) checkHistory(ctx context.Context, u *user.User, pw string) error {
	var hashes []string
	err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		hashes, err = q.PasswordHistory(u.ID, user.PasswordHistory)
		return err
	})
	if err != nil {
		return err
	}
	for _, h := range append(hashes, u.PasswordHash) {
		if user.CheckPassword(h, pw) {
			return errs.Field("new_password", "error.password_reused", user.PasswordHistory)
		}
	}
	return nil
}

// clip shortens what an unauthenticated caller typed before it is audited.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	if len(r) > 0 && r[len(r)-1] == '\uFFFD' {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
