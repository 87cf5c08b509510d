package store

import (
	"strings"

	"yingji/internal/audit"
	"yingji/internal/errs"
	"yingji/internal/user"
)

// RenameOrg changes an organisation's name (its code stays: incident numbers
// already issued carry it).
func (tx *Tx) RenameOrg(id int64, name string) error {
	_, err := tx.exec(`UPDATE orgs SET name = ? WHERE id = ?`, name, id)
	return errs.Wrap(mapErr(err), "rename org")
}

// RenameDepartment changes a department's name; its key stays, as tasks and
// users refer to it.
func (tx *Tx) RenameDepartment(orgID int64, key, name string) error {
	_, err := tx.exec(`UPDATE departments SET name = ? WHERE org_id = ? AND key = ?`, name, orgID, key)
	return errs.Wrap(err, "rename department")
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

// AuditRecordsIn lists audit records after seq that belong to one of orgs
// (and, if unowned, those of no organisation), in order, at most limit.
func (q *Q) AuditRecordsIn(orgs []int64, unowned bool, after int64, limit int) ([]*audit.Record, error) {
	cond := []string{}
	args := []any{after}
	if len(orgs) > 0 {
		cond = append(cond, `org_id IN (?`+strings.Repeat(`, ?`, len(orgs)-1)+`)`)
		for _, o := range orgs {
			args = append(args, o)
		}
	}
	if unowned {
		cond = append(cond, `org_id = 0`)
	}
	if len(cond) == 0 {
		return nil, nil
	}
	args = append(args, limit)
	return list(q, "audit records", func(s scanner) (*audit.Record, error) {
		var r audit.Record
		return &r, scanAudit(s, &r)
	}, `SELECT `+auditCols+` FROM audit
		 WHERE seq > ? AND (`+strings.Join(cond, ` OR `)+`) ORDER BY seq LIMIT ?`, args...)
}
