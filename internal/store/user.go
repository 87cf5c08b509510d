package store

import (
	"database/sql"
	"errors"
	"time"

	"yingji/internal/errs"
	"yingji/internal/user"
)

const orgCols = `id, COALESCE(parent_id, 0), name, code, plan_key, created_at`

const userCols = `id, org_id, department, username, display_name, title, phone, roles, password_hash, disabled, failed_logins, locked_until, created_at`

func scanUser(s scanner) (*user.User, error) {
	var u user.User
	var roles string
	var disabled, locked, created int64
	if err := s.Scan(&u.ID, &u.OrgID, &u.Department, &u.Username, &u.DisplayName, &u.Title, &u.Phone, &roles,
		&u.PasswordHash, &disabled, &u.FailedLogins, &locked, &created); err != nil {
		return nil, err
	}
	u.Roles = user.SplitRoles(roles)
	u.Disabled = disabled != 0
	if locked > 0 {
		u.LockedUntil = fromMs(locked)
	}
	u.CreatedAt = fromMs(created)
	return &u, nil
}

// CreateUser inserts a user.
func (tx *Tx) CreateUser(u *user.User) error {
	id, err := tx.insert(`INSERT INTO users (org_id, department, username, display_name, title, phone, roles, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.OrgID, u.Department, u.Username, u.DisplayName, u.Title, u.Phone, user.JoinRoles(u.Roles), u.PasswordHash, ms(tx.Now))
	if err != nil {
		return errs.Wrap(err, "create user")
	}
	u.ID, u.CreatedAt = id, tx.Now
	return nil
}

// SetPassword replaces a user's password hash and clears any lockout.
func (tx *Tx) SetPassword(userID int64, hash string) error {
	_, err := tx.exec(`UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?`, hash, userID)
	return errs.Wrap(err, "set password")
}

// SetLoginFailures records failed logins and a lockout.
func (tx *Tx) SetLoginFailures(userID int64, failures int, lockedUntilMs int64) error {
	_, err := tx.exec(`UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, failures, lockedUntilMs, userID)
	return errs.Wrap(err, "login failures")
}

// User loads a user by id.
func (q *Q) User(id int64) (*user.User, error) {
	u, err := scanUser(q.row(`SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "error.user_not_found")
}

// UserByName loads a user by username.
func (q *Q) UserByName(name string) (*user.User, error) {
	u, err := scanUser(q.row(`SELECT `+userCols+` FROM users WHERE username = ?`, name))
	return u, notFound(err, "error.user_not_found")
}

// Users lists the users of an organisation (0: all).
func (q *Q) Users(orgID int64) ([]*user.User, error) {
	query, args := `SELECT `+userCols+` FROM users ORDER BY id`, []any{}
	if orgID != 0 {
		query, args = `SELECT `+userCols+` FROM users WHERE org_id = ? ORDER BY id`, []any{orgID}
	}
	return list(q, "users", scanUser, query, args...)
}

// UserNames reads the display names of the users ids names, in one query
// whatever their number (repeats and 0 are skipped): a page names the
// people it shows without reading every account.
func (q *Q) UserNames(ids []int64) (map[int64]string, error) {
	seen := map[int64]bool{}
	var want []int64
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	out := make(map[int64]string, len(want))
	if len(want) == 0 {
		return out, nil
	}
	in, args := inList(want)
	rows, err := q.query(`SELECT id, display_name FROM users WHERE id IN `+in, args...)
	if err != nil {
		return nil, errs.Wrap(err, "user names")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, errs.Wrap(err, "user names")
		}
		out[id] = name
	}
	return out, errs.Wrap(rows.Err(), "user names")
}

// CreateToken stores the hash of a new API token, valid until expires.
func (tx *Tx) CreateToken(userID int64, hash, name string, expires time.Time) (int64, error) {
	id, err := tx.insert(`INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		userID, hash, name, ms(tx.Now), ms(expires))
	return id, errs.Wrap(err, "create token")
}

// UserByToken finds the user holding a live token: not revoked, not
// expired. It also returns the token, whose last use the caller may record.
func (q *Q) UserByToken(hash string) (*user.User, *user.Token, error) {
	t, err := scanToken(q.row(`SELECT `+tokenCols+` FROM api_tokens
		WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`, hash, ms(q.Now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.New(errs.Unauthorized, "error.bad_token")
	}
	if err != nil {
		return nil, nil, errs.Wrap(err, "token")
	}
	u, err := q.User(t.UserID)
	return u, t, err
}

// SetUserDisabled disables or enables an account. Disabling also ends the
// account's sessions and revokes its API tokens, so that nothing it holds
// keeps working and nothing comes back by itself when it is enabled again.
func (tx *Tx) SetUserDisabled(userID int64, disabled bool) error {
	v := 0
	if disabled {
		v = 1
	}
	if _, err := tx.exec(`UPDATE users SET disabled = ? WHERE id = ?`, v, userID); err != nil {
		return errs.Wrap(err, "disable user")
	}
	if !disabled {
		return nil
	}
	if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return errs.Wrap(err, "disable user: sessions")
	}
	_, err := tx.exec(`UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, ms(tx.Now), userID)
	return errs.Wrap(err, "disable user: tokens")
}

// SetUserRoles replaces a user's roles.
func (tx *Tx) SetUserRoles(userID int64, roles []string) error {
	_, err := tx.exec(`UPDATE users SET roles = ? WHERE id = ?`, user.JoinRoles(roles), userID)
	return errs.Wrap(err, "set roles")
}
