package store

import (
	"database/sql"
	"time"

	"yingji/internal/errs"
)

// AcquireLease takes or renews the lease name for holder until tx.Now+ttl.
// It fails (false) while another holder's lease has not expired. Writers
// are serialised (Write locks the audit head), so two nodes cannot both
// see the lease free.
func (tx *Tx) AcquireLease(name, holder string, ttl time.Duration) (bool, error) {
	var cur string
	var expires int64
	err := tx.row(`SELECT holder, expires_at FROM scheduler_leases WHERE name = ?`, name).Scan(&cur, &expires)
	until := ms(tx.Now.Add(ttl))
	switch {
	case err == sql.ErrNoRows:
		_, err = tx.exec(`INSERT INTO scheduler_leases (name, holder, expires_at) VALUES (?, ?, ?)`, name, holder, until)
		return err == nil, errs.Wrap(err, "lease")
	case err != nil:
		return false, errs.Wrap(err, "lease")
	case cur != holder && expires > ms(tx.Now):
		return false, nil
	}
	_, err = tx.exec(`UPDATE scheduler_leases SET holder = ?, expires_at = ? WHERE name = ?`, holder, until, name)
	return err == nil, errs.Wrap(err, "lease")
}

// ReleaseLease gives the lease up (on shutdown) so another node need not wait.
func (tx *Tx) ReleaseLease(name, holder string) error {
	_, err := tx.exec(`DELETE FROM scheduler_leases WHERE name = ? AND holder = ?`, name, holder)
	return errs.Wrap(err, "lease")
}
