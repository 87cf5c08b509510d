package bulletins

import (
	"context"
	"strconv"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/core"
	"yingji/internal/event"
	"yingji/internal/store"
	"yingji/internal/user"
)

// The reminder ticker's lease: several nodes on one database, one of them
// reminds. Each unit is reminded once: the row's reminded_at is claimed in
// the transaction that queues the reminder.
const (
	LeaseName = "bulletin-remind"
	Lease     = 2 * time.Minute
	Interval  = time.Minute
)

// Tick reminds, once, the units of sent 通报 that have not answered by the
// deadline: their contacts get the link again. It returns how many units
// it reminded; false when another node holds the lease.
func (s *Service) Tick(ctx context.Context, holder string) (int, bool, error) {
	if len(s.Key) == 0 {
		return 0, false, nil
	}
	leader, err := s.TakeLease(ctx, LeaseName, holder, Lease)
	if err != nil || !leader {
		return 0, leader, err
	}
	var due map[int64][]*bulletin.Recipient
	if err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		due, err = q.DueBulletinReminders(q.Now)
		return err
	}); err != nil {
		return 0, true, err
	}
	n := 0
	for bid, rs := range due {
		err := s.DB.Write(ctx, func(tx *store.Tx) error {
			b, err := tx.Bulletin(bid)
			if err != nil {
				return err
			}
			ids := make([]int64, len(rs))
			for i, r := range rs {
				ids[i] = r.ID
			}
			claimed, err := tx.MarkReminded(ids)
			if err != nil || len(claimed) == 0 {
				return err
			}
			addrs, err := tx.RecipientAddresses(claimed)
			if err != nil {
				return err
			}
			byID := map[int64]*bulletin.Recipient{}
			for _, r := range rs {
				byID[r.ID] = r
			}
			var msgs []store.DirectMessage
			for _, id := range claimed {
				body := s.message(b, byID[id], bulletin.KindRemind)
				for _, a := range addrs[id] {
					msgs = append(msgs, store.DirectMessage{RecipientRow: id, Phone: a.Phone, Email: a.Email, Kind: bulletin.KindRemind, Body: body})
				}
			}
			if err := tx.EnqueueDirect(msgs); err != nil {
				return err
			}
			sys := user.System()
			if err := record(tx, sys, b, event.BulletinReminded{Bulletin: ref(b), Units: strconv.Itoa(len(claimed))},
				core.AuditEntry(sys, "bulletin.remind", "bulletin", b.ID, b.OrgID, map[string]any{"units": len(claimed), "messages": len(msgs)})); err != nil {
				return err
			}
			n += len(claimed)
			return nil
		})
		if err != nil {
			return n, true, err
		}
	}
	return n, true, nil
}

// Run ticks every interval until ctx ends, then gives the lease up.
func (s *Service) Run(ctx context.Context, holder string, interval time.Duration) {
	s.RunLeased(ctx, LeaseName, holder, "bulletin reminders", interval, func(ctx context.Context) error {
		n, _, err := s.Tick(ctx, holder)
		if err == nil && n > 0 {
			s.Log.Info("bulletin reminders", "units", n)
		}
		return err
	})
}
