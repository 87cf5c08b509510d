package store

import (
	"context"
	"sync"
	"time"
)

// bell wakes whoever waits on it: Wait returns a channel that the next
// Ring closes. Alerts change at the devices' rate and are not incident
// state, so they do not go through the change feed (feed.go); the alert
// queue's live stream waits on this instead. On PostgreSQL the other nodes
// hear of a node's alert writes by NOTIFY (the announcer below), and their
// feed listeners ring their own bells; on SQLite there is one node.
type bell struct {
	mu sync.Mutex
	ch chan struct{}
}

func (b *bell) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

func (b *bell) ring() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
		b.ch = nil
	}
}

// AlertsChanged returns a channel closed at the next commit that writes
// alerts (signals counted, an alert handled, acknowledged, silenced or
// promoted): this node's, or on PostgreSQL another's.
func (db *DB) AlertsChanged() <-chan struct{} {
	db.Feed() // the feed's listener hears the other nodes
	return db.alerts.wait()
}

// alertNoticeGap is the least time between two of a node's "alerts
// written" notifications: ingest commits hundreds of batches a second, and
// a queue wants to know that something changed, not how often.
const alertNoticeGap = 500 * time.Millisecond

// announcer sends the other nodes NOTIFY yingji_alerts after this node
// wrote alerts: outside the writing transaction (ingest never waits on
// PostgreSQL's notification queue lock) and at most once per gap; a write
// during the gap is announced when it ends, so the last one is never lost.
type announcer struct {
	note chan struct{} // one pending announcement at most
	stop context.CancelFunc
	done chan struct{}
}

// alertsWritten rings this node's bell and, on PostgreSQL, has the other
// nodes told. Called after a commit that wrote alerts.
func (db *DB) alertsWritten() {
	db.alerts.ring()
	if db.announcer.note != nil {
		select {
		case db.announcer.note <- struct{}{}:
		default: // one is pending already
		}
	}
}

func (db *DB) startAnnouncer() {
	ctx, cancel := context.WithCancel(context.Background())
	db.announcer = announcer{note: make(chan struct{}, 1), stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(db.announcer.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-db.announcer.note:
			}
			// A failure (the database away) is not retried: the next alert
			// write announces again, a listener that lost its connection
			// rings when it is back, and the queue page polls every 15 s.
			db.write.ExecContext(ctx, `SELECT pg_notify($1, $2)`, alertsChannel, db.fs.node)
			select {
			case <-ctx.Done():
				return
			case <-time.After(alertNoticeGap):
			}
		}
	}()
}

func (db *DB) stopAnnouncer() {
	if db.announcer.stop != nil {
		db.announcer.stop()
		<-db.announcer.done
	}
}
