package accounts

import (
	"context"
	"slices"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/user"
)

// TOTPIssuer names this system in authenticator apps.
const TOTPIssuer = "yingji"

// TOTPRequired reports whether u must have a second factor: administrators,
// and whoever may sign reports (report.SignerRoles) or decide an approval under any
// stored plan. GB/T 22239-2019 8.1.4.1 d) asks two factors of those who
// administer or decide.
func (s *Service) TOTPRequired(q *store.Q, u *user.User) (bool, error) {
	if u.IsAdministrator() || u.HasRole(report.SignerRoles...) {
		return true, nil
	}
	rows, err := q.Plans()
	if err != nil {
		return false, err
	}
	for _, row := range rows {
		p, err := s.PlanByID(q, row.ID)
		if err != nil {
			return false, err
		}
		for _, r := range [][]string{p.Approvals.Activation.Roles, p.Approvals.Termination.Roles} {
			if slices.ContainsFunc(r, func(role string) bool { return u.HasRole(role) }) {
				return true, nil
			}
		}
	}
	return false, nil
}

// loginStage says what a login with the right password opens: a session
// awaiting the second factor, one that must enrol it first, or a full one.
func (s *Service) loginStage(q *store.Q, u *user.User) (string, error) {
	t, err := q.TOTP(u.ID)
	if err != nil {
		return "", err
	}
	if t != nil && t.Confirmed {
		return user.StageTOTP, nil
	}
	if s.TOTPOptional {
		return "", nil
	}
	req, err := s.TOTPRequired(q, u)
	if err != nil || !req {
		return "", err
	}
	return user.StageEnrol, nil
}

// SecondFactor completes a login waiting for its second factor with a
// six-digit code or a recovery code. On success the half session is
// replaced by a new full one (a new cookie: the half one may have been
// seen). Wrong codes count toward the lockout like wrong passwords.
func (s *Service) SecondFactor(ctx context.Context, sess *Session, code, remote string) (*Session, error) {
	if sess.Stage != user.StageTOTP {
		return nil, errs.New(errs.Unauthorized, "error.session_expired")
	}
	if code == "" {
		return nil, errs.Field("code", "error.required")
	}
	var out *Session
	var loginErr error
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.User(sess.User.ID)
		if err != nil {
			return err
		}
		detail := map[string]any{"remote": remote}
		if u.Disabled || u.LockedUntil.After(tx.Now) {
			loginErr = errLogin()
			detail["reason"] = "locked"
			if u.Disabled {
				detail["reason"] = "disabled"
			}
			if _, err := tx.DeleteSession(user.HashToken(sess.Token)); err != nil {
				return err
			}
			return tx.Audit(core.AuditEntry(u, "session.login_failed", "user", u.ID, u.OrgID, detail))
		}
		t, err := tx.TOTP(u.ID)
		if err != nil {
			return err
		}
		if t == nil || !t.Confirmed {
			return errs.New(errs.Unauthorized, "error.session_expired")
		}
		factor, ok := "totp", false
		if user.LooksLikeTOTP(code) {
			key, err := user.DecodeTOTPSecret(t.Secret)
			if err != nil {
				return errs.Wrap(err, "totp secret")
			}
			if step, match := user.CheckTOTP(key, code, tx.Now, t.LastStep); match {
				if ok, err = tx.UseTOTPStep(u.ID, step, false); err != nil {
					return err
				}
			}
		} else {
			factor = "recovery_code"
			if ok, err = tx.UseRecoveryCode(u.ID, user.HashRecoveryCode(code)); err != nil {
				return err
			}
		}
		if !ok {
			loginErr = errs.Field("code", "auth.code_wrong")
			if u.FailedLogins+1 >= MaxLoginFailures {
				// Locked: this half session ends; the next try starts
				// from the password, and is refused for a quarter hour.
				loginErr = errLogin()
				if _, err := tx.DeleteSession(user.HashToken(sess.Token)); err != nil {
					return err
				}
			}
			return s.countFailure(tx, u, factor, detail)
		}
		if err := resetFailures(tx, u); err != nil {
			return err
		}
		if _, err := tx.DeleteSession(user.HashToken(sess.Token)); err != nil {
			return err
		}
		token := randomString()
		full, err := tx.CreateSession(u.ID, user.HashToken(token), randomString(), "", tx.Now.Add(SessionFor))
		if err != nil {
			return err
		}
		out = &Session{Token: token, CSRF: full.CSRF, ID: full.ID, User: u}
		detail["factor"] = factor
		if factor == "recovery_code" {
			left, err := tx.RecoveryCodesLeft(u.ID)
			if err != nil {
				return err
			}
			detail["recovery_codes_left"] = left
			if err := tx.Audit(core.AuditEntry(u, "user.recovery_code_used", "user", u.ID, u.OrgID, map[string]any{"left": left})); err != nil {
				return err
			}
		}
		return tx.Audit(core.AuditEntry(u, "session.login", "session", full.ID, u.OrgID, detail))
	})
	if err != nil {
		return nil, err
	}
	if loginErr != nil {
		return nil, loginErr
	}
	return out, nil
}

// TOTPEnrolment is what the enrolment page shows: the secret and the URI
// that its QR code carries. It exists only until the enrolment is
// confirmed; after that the secret is never shown again.
type TOTPEnrolment struct {
	Secret string
	URI    string
}

// TOTPStatus says whether u has a confirmed second factor, and how many
// recovery codes are left.
func (s *Service) TOTPStatus(ctx context.Context, u *user.User) (enrolled bool, codesLeft int, err error) {
	err = s.DB.Read(ctx, func(q *store.Q) error {
		t, err := q.TOTP(u.ID)
		if err != nil || t == nil || !t.Confirmed {
			return err
		}
		enrolled = true
		codesLeft, err = q.RecoveryCodesLeft(u.ID)
		return err
	})
	return enrolled, codesLeft, err
}

// StartTOTP begins (or resumes: a reload must not invalidate a QR code
// already scanned) an enrolment for the actor.
func (s *Service) StartTOTP(ctx context.Context, actor *user.User) (*TOTPEnrolment, error) {
	var secret string
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := enrolling(tx, actor.ID)
		if err != nil {
			return err
		}
		if t != nil {
			secret = t.Secret
			return nil
		}
		secret = user.NewTOTPSecret()
		return tx.StartTOTP(actor.ID, secret)
	})
	if err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: secret, URI: user.TOTPURI(TOTPIssuer, actor.Username, secret)}, nil
}

// enrolling is the user's second-factor enrolment under way (nil: none
// started); one already confirmed is a conflict.
func enrolling(tx *store.Tx, userID int64) (*store.TOTP, error) {
	t, err := tx.TOTP(userID)
	if err != nil {
		return nil, err
	}
	if t != nil && t.Confirmed {
		return nil, errs.New(errs.Conflict, "auth.totp_enrolled")
	}
	return t, nil
}

// ConfirmTOTP completes an enrolment with a first code from the app. It
// returns the recovery codes, to be shown once: only their hashes are kept.
// A session that was held at enrolment becomes a full one.
func (s *Service) ConfirmTOTP(ctx context.Context, sess *Session, code string) ([]string, error) {
	actor := sess.User
	if code == "" {
		return nil, errs.Field("code", "error.required")
	}
	codes := user.NewRecoveryCodes()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		t, err := enrolling(tx, actor.ID)
		if err != nil {
			return err
		}
		if t == nil {
			return errs.New(errs.Conflict, "auth.totp_not_started")
		}
		key, err := user.DecodeTOTPSecret(t.Secret)
		if err != nil {
			return errs.Wrap(err, "totp secret")
		}
		step, ok := user.CheckTOTP(key, code, tx.Now, t.LastStep)
		if ok {
			if ok, err = tx.UseTOTPStep(actor.ID, step, true); err != nil {
				return err
			}
		}
		if !ok {
			return errs.Field("code", "auth.code_wrong")
		}
		hashes := make([]string, len(codes))
		for i, c := range codes {
			hashes[i] = user.HashRecoveryCode(c)
		}
		if err := tx.ReplaceRecoveryCodes(actor.ID, hashes); err != nil {
			return err
		}
		if sess.Stage == user.StageEnrol {
			if err := tx.SetSessionStage(sess.ID, ""); err != nil {
				return err
			}
		}
		return tx.Audit(core.AuditEntry(actor, "user.totp_enrol", "user", actor.ID, actor.OrgID, map[string]any{"recovery_codes": len(codes)}))
	})
	if err != nil {
		return nil, err
	}
	sess.Stage = ""
	return codes, nil
}

// ResetTOTP removes a user's second factor (a lost phone and lost recovery
// codes): the user enrols again at the next login. Only an administrator of
// the user's organisation may, or the operator at the command line (the
// system actor). The user's sessions end.
func (s *Service) ResetTOTP(ctx context.Context, actor *user.User, username string) error {
	if err := core.RequireActor(actor); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByName(username)
		if err != nil {
			return errs.Field("username", "error.unknown_user", username)
		}
		if !actor.IsSystem() && !mayManageCredentials(&tx.Q, actor, u) {
			return errs.New(errs.Forbidden, "error.security_admin_only")
		}
		if err := tx.DeleteTOTP(u.ID); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(u.ID, 0); err != nil {
			return err
		}
		return tx.Audit(core.AuditEntry(actor, "user.totp_reset", "user", u.ID, u.OrgID, map[string]any{"username": u.Username}))
	})
}
