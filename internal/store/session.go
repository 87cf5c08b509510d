package store

import (
	"database/sql"
	"errors"
	"time"

	"yingji/internal/errs"
	"yingji/internal/user"
)

// Session is a console login as stored: the token itself never is.
type Session struct {
	ID        int64
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
	Stage     string // "" full; user.StageTOTP or user.StageEnrol: a login half done
}

// CreateSession stores a new session under the hash of its token.
func (tx *Tx) CreateSession(userID int64, tokenHash, csrf, stage string, expires time.Time) (*Session, error) {
	id, err := tx.insert(`INSERT INTO sessions (token_hash, user_id, csrf, stage, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tokenHash, userID, csrf, stage, ms(tx.Now), ms(tx.Now), ms(expires))
	if err != nil {
		return nil, errs.Wrap(err, "create session")
	}
	return &Session{ID: id, UserID: userID, CSRF: csrf, Stage: stage, CreatedAt: tx.Now, LastSeen: tx.Now, ExpiresAt: expires}, nil
}

// SetSessionStage moves a session on (to "" once the login is complete).
func (tx *Tx) SetSessionStage(id int64, stage string) error {
	_, err := tx.exec(`UPDATE sessions SET stage = ? WHERE id = ?`, stage, id)
	return errs.Wrap(err, "session stage")
}

// TouchSession records a request on a session, for the idle timeout.
func (tx *Tx) TouchSession(id int64) error {
	_, err := tx.exec(`UPDATE sessions SET last_seen_at = ? WHERE id = ?`, ms(tx.Now), id)
	return errs.Wrap(err, "touch session")
}

// SessionUser finds a session that has neither expired nor been idle
// since idleSince, and its user.
func (q *Q) SessionUser(tokenHash string, idleSince time.Time) (*Session, *user.User, error) {
	var s Session
	var created, expires, seen int64
	err := q.row(`SELECT id, user_id, csrf, stage, created_at, last_seen_at, expires_at FROM sessions
		WHERE token_hash = ? AND expires_at > ? AND last_seen_at > ?`,
		tokenHash, ms(q.Now), ms(idleSince)).Scan(&s.ID, &s.UserID, &s.CSRF, &s.Stage, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.New(errs.Unauthorized, "error.session_expired")
	}
	if err != nil {
		return nil, nil, errs.Wrap(err, "session")
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeen = fromMs(created), fromMs(expires), fromMs(seen)
	u, err := q.User(s.UserID)
	if err != nil {
		return nil, nil, err
	}
	return &s, u, nil
}

// DeleteSession ends one session; it reports whether there was one.
func (tx *Tx) DeleteSession(tokenHash string) (*Session, error) {
	var s Session
	err := tx.row(`SELECT id, user_id FROM sessions WHERE token_hash = ?`, tokenHash).Scan(&s.ID, &s.UserID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "session")
	}
	_, err = tx.exec(`DELETE FROM sessions WHERE id = ?`, s.ID)
	return &s, errs.Wrap(err, "delete session")
}

// DeleteUserSessions ends every session of a user except keepID (0: all).
func (tx *Tx) DeleteUserSessions(userID, keepID int64) error {
	_, err := tx.exec(`DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepID)
	return errs.Wrap(err, "delete sessions")
}

// SweepSessions deletes the expired sessions of a user. Logins call it, so
// the table holds no more than each person's live sessions plus a few.
func (tx *Tx) SweepSessions(userID int64, idleSince time.Time) error {
	_, err := tx.exec(`DELETE FROM sessions WHERE user_id = ? AND (expires_at <= ? OR last_seen_at <= ?)`, userID, ms(tx.Now), ms(idleSince))
	return errs.Wrap(err, "sweep sessions")
}
