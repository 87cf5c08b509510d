package store

import (
	"database/sql"
	"errors"

	"yingji/internal/errs"
	"yingji/internal/user"
)

// TOTP is a user's second factor as stored.
type TOTP struct {
	UserID    int64
	Secret    string // base32; never logged, audited or shown after enrolment
	Confirmed bool
	LastStep  int64
}

// TOTP loads a user's second factor; nil when there is none.
func (q *Q) TOTP(userID int64) (*TOTP, error) {
	var t TOTP
	var confirmed sql.NullInt64
	err := q.row(`SELECT user_id, secret, confirmed_at, last_step FROM totp WHERE user_id = ?`, userID).
		Scan(&t.UserID, &t.Secret, &confirmed, &t.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "totp")
	}
	t.Confirmed = confirmed.Valid
	return &t, nil
}

// StartTOTP stores a new, unconfirmed secret for a user, replacing an
// unconfirmed one; a confirmed factor must be reset first.
func (tx *Tx) StartTOTP(userID int64, secret string) error {
	if _, err := tx.exec(`DELETE FROM totp WHERE user_id = ? AND confirmed_at IS NULL`, userID); err != nil {
		return errs.Wrap(err, "totp")
	}
	_, err := tx.exec(`INSERT INTO totp (user_id, secret, created_at) VALUES (?, ?, ?)`, userID, secret, ms(tx.Now))
	return errs.Wrap(mapErr(err), "start totp")
}

// UseTOTPStep records step as used, if it is later than the last one used;
// it reports whether it was (false: a replay, or a race lost to another
// login with the same code). confirm also marks the factor confirmed.
func (tx *Tx) UseTOTPStep(userID, step int64, confirm bool) (bool, error) {
	query := `UPDATE totp SET last_step = ? WHERE user_id = ? AND last_step < ?`
	args := []any{step, userID, step}
	if confirm {
		query = `UPDATE totp SET last_step = ?, confirmed_at = ? WHERE user_id = ? AND last_step < ?`
		args = []any{step, ms(tx.Now), userID, step}
	}
	res, err := tx.exec(query, args...)
	if err != nil {
		return false, errs.Wrap(err, "totp step")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DeleteTOTP removes a user's second factor and recovery codes.
func (tx *Tx) DeleteTOTP(userID int64) error {
	if _, err := tx.exec(`DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return errs.Wrap(err, "recovery codes")
	}
	_, err := tx.exec(`DELETE FROM totp WHERE user_id = ?`, userID)
	return errs.Wrap(err, "delete totp")
}

// ReplaceRecoveryCodes stores a fresh set of recovery code hashes.
func (tx *Tx) ReplaceRecoveryCodes(userID int64, hashes []string) error {
	if _, err := tx.exec(`DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return errs.Wrap(err, "recovery codes")
	}
	for _, h := range hashes {
		if _, err := tx.exec(`INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return errs.Wrap(err, "recovery codes")
		}
	}
	return nil
}

// UseRecoveryCode marks an unused code as used; it reports whether there was one.
func (tx *Tx) UseRecoveryCode(userID int64, hash string) (bool, error) {
	res, err := tx.exec(`UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, ms(tx.Now), userID, hash)
	if err != nil {
		return false, errs.Wrap(err, "recovery code")
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (q *Q) RecoveryCodesLeft(userID int64) (int, error) {
	var n int
	err := q.row(`SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, errs.Wrap(err, "recovery codes")
}

// PasswordHistory returns the hashes of a user's last n passwords, newest first.
func (q *Q) PasswordHistory(userID int64, n int) ([]string, error) {
	rows, err := q.query(`SELECT hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, n)
	if err != nil {
		return nil, errs.Wrap(err, "password history")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, errs.Wrap(err, "password history")
		}
		out = append(out, h)
	}
	return out, errs.Wrap(rows.Err(), "password history")
}

// AddPasswordHistory remembers a password hash and forgets all but the
// newest keep.
func (tx *Tx) AddPasswordHistory(userID int64, hash string, keep int) error {
	if _, err := tx.exec(`INSERT INTO password_history (user_id, hash, created_at) VALUES (?, ?, ?)`, userID, hash, ms(tx.Now)); err != nil {
		return errs.Wrap(err, "password history")
	}
	_, err := tx.exec(`DELETE FROM password_history WHERE user_id = ? AND id NOT IN
		(SELECT id FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)`, userID, userID, keep)
	return errs.Wrap(err, "password history")
}

const tokenCols = `id, user_id, name, created_at, COALESCE(expires_at, 0), last_used_at, revoked_at`

func scanToken(s scanner) (*user.Token, error) {
	var t user.Token
	var created, expires int64
	var used, revoked sql.NullInt64
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &created, &expires, &used, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt = fromMs(created), fromMs(expires)
	t.LastUsedAt, t.RevokedAt = fromMsPtr(used), fromMsPtr(revoked)
	return &t, nil
}

// Tokens lists a user's API tokens, newest first.
func (q *Q) Tokens(userID int64) ([]*user.Token, error) {
	return list(q, "tokens", scanToken, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
}

// Token loads one API token's metadata.
func (q *Q) Token(id int64) (*user.Token, error) {
	t, err := scanToken(q.row(`SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`, id))
	return t, notFound(err, "error.token_not_found")
}

// RevokeToken revokes a token; it reports whether it was live.
func (tx *Tx) RevokeToken(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ms(tx.Now), id)
	if err != nil {
		return false, errs.Wrap(err, "revoke token")
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// TouchToken records that a token was used.
func (tx *Tx) TouchToken(id int64) error {
	_, err := tx.exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, ms(tx.Now), id)
	return errs.Wrap(err, "touch token")
}
