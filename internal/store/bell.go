package store

import "sync"

// bell wakes whoever waits on it: Wait returns a channel that the next
// Ring closes. Alerts change at the devices' rate and are not incident
// state, so they do not go through the change feed (feed.go); the alert
// queue's live stream waits on this instead. On PostgreSQL a commit that
// writes alerts also notifies the other nodes (channel yingji_alerts), whose
// listeners ring their bells; on SQLite there is one node.
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
	db.Feed() // the listener hears the other nodes
	return db.alerts.wait()
}
