package core

import (
	"context"
	"time"

	"yingji/internal/store"
)

// TakeLease takes or renews the lease name for holder until the database
// clock's now+ttl, in a transaction of its own: whether this node leads
// the tick. Every worker's tick starts with it.
func (c *Core) TakeLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	var ok bool
	err := c.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		ok, err = tx.AcquireLease(name, holder, ttl)
		return err
	})
	return ok, err
}

// RunLeased calls tick every interval until ctx ends, logging its errors
// under what, then gives the lease up so that another node takes over at
// once instead of when the lease runs out. tick takes the lease itself
// (TakeLease) and does nothing on a node that does not hold it.
func (c *Core) RunLeased(ctx context.Context, lease, holder, what string, interval time.Duration, tick func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := tick(ctx); err != nil && ctx.Err() == nil {
			c.Log.Error(what, "err", err)
		}
		select {
		case <-ctx.Done():
			release, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			c.DB.Write(release, func(tx *store.Tx) error { return tx.ReleaseLease(lease, holder) })
			cancel()
			return
		case <-t.C:
		}
	}
}
