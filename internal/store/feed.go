package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// TimelineChange says that a committed transaction added timeline entries to an
// incident: what live-update streams wait for. Incident 0 is a resync: the
// node may have missed changes (another process wrote the SQLite file, or
// the PostgreSQL listener was reconnecting), so everything may have changed.
type TimelineChange struct {
	Incident, Org int64
	Entry         int64 // the newest timeline entry the transaction added
}

const (
	notifyChannel = "yingji_changes"
	// alertsChannel carries "this node wrote alerts" (the payload is the
	// node) for the other nodes' alert bells.
	alertsChannel = "yingji_alerts"
	// feedRing is how many changes a slow stream may fall behind before it is
	// told to resync instead.
	feedRing = 1024
	// feedPoll is how often a node looks for changes its feed did not carry:
	// on SQLite those of other processes (the CLI writing the same file), on
	// PostgreSQL those whose notification was lost while the listener was
	// reconnecting. One cheap query per node, not one per stream.
	feedPoll = 5 * time.Second
)

// Feed is the node's change feed: every write transaction that added
// timeline entries publishes to it after commit, and on PostgreSQL so do
// the other nodes (LISTEN/NOTIFY). Streams read it without polling the
// database. Changes sit in a ring; a reader keeps its own mark.
type Feed struct {
	mu     sync.Mutex
	seq    uint64 // changes published so far; change n sits in ring[(n-1)%feedRing]
	ring   [feedRing]TimelineChange
	wake   chan struct{} // closed at the next publish
	newest int64         // the newest timeline entry the feed has carried
}

func newFeed() *Feed { return &Feed{wake: make(chan struct{})} }

// Mark is the feed's position now: Since(Mark()) returns what comes after.
func (f *Feed) Mark() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

// Since returns the changes published after mark, the new mark, and a
// channel closed at the next publish. lost reports that the reader fell
// more than the ring behind: it must treat everything as changed.
func (f *Feed) Since(mark uint64) (cs []TimelineChange, next uint64, wake <-chan struct{}, lost bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seq-mark > feedRing {
		return nil, f.seq, f.wake, true
	}
	for n := mark + 1; n <= f.seq; n++ {
		cs = append(cs, f.ring[(n-1)%feedRing])
	}
	return cs, f.seq, f.wake, false
}

// Publish adds changes and wakes every reader.
func (f *Feed) Publish(cs ...TimelineChange) {
	if len(cs) == 0 {
		return
	}
	f.mu.Lock()
	for _, c := range cs {
		f.seq++
		f.ring[(f.seq-1)%feedRing] = c
		f.newest = max(f.newest, c.Entry)
	}
	close(f.wake)
	f.wake = make(chan struct{})
	f.mu.Unlock()
}

// behind reports whether the timeline holds an entry newer than the feed has
// carried, and remembers it.
func (f *Feed) behind(newest int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if newest <= f.newest {
		return false
	}
	f.newest = newest
	return true
}

// feedState is the DB's side of the feed: the node's id in notifications,
// and the watcher goroutine started by the first Feed call.
type feedState struct {
	feed   *Feed
	node   string
	once   sync.Once
	cancel context.CancelFunc
	done   chan struct{}
}

func newFeedState() feedState {
	b := make([]byte, 8)
	rand.Read(b)
	return feedState{feed: newFeed(), node: hex.EncodeToString(b)}
}

// Feed returns the node's change feed, starting on first use the watcher
// that brings in what other nodes and processes commit.
func (db *DB) Feed() *Feed {
	db.fs.once.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		db.fs.cancel, db.fs.done = cancel, make(chan struct{})
		go db.watch(ctx)
	})
	return db.fs.feed
}

// stopFeed ends the watcher (at Close).
func (db *DB) stopFeed() {
	if db.fs.cancel != nil {
		db.fs.cancel()
		<-db.fs.done
	}
}

// watch polls for missed changes every feedPoll and, on PostgreSQL, listens
// for the other nodes' notifications.
func (db *DB) watch(ctx context.Context) {
	defer close(db.fs.done)
	var wg sync.WaitGroup
	if db.Postgres() {
		wg.Add(1)
		go func() { defer wg.Done(); db.listen(ctx) }()
	}
	db.pollNewest(ctx) // learn where the timeline stands, so the first poll does not resync
	t := time.NewTicker(feedPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-t.C:
			if db.pollNewest(ctx) {
				db.fs.feed.Publish(TimelineChange{})
			}
		}
	}
}

func (db *DB) pollNewest(ctx context.Context) bool {
	var newest int64
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM timeline`).Scan(&newest); err != nil {
		return false
	}
	return db.fs.feed.behind(newest)
}

// listen keeps one connection LISTENing and publishes what other nodes
// commit, and rings the alert bell when they write alerts; after every
// (re)connection it publishes a resync and rings, since notifications sent
// while it was away are lost.
func (db *DB) listen(ctx context.Context) {
	wait := time.Second
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, db.url)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				_, err = conn.Exec(ctx, "LISTEN "+alertsChannel)
			}
			if err == nil {
				wait = time.Second
				db.fs.feed.Publish(TimelineChange{})
				db.alerts.ring()
				for {
					n, err := conn.WaitForNotification(ctx)
					if err != nil {
						break
					}
					if n.Channel == alertsChannel {
						if n.Payload != db.fs.node {
							db.alerts.ring()
						}
					} else if node, cs := parseNotification(n.Payload); node != db.fs.node {
						db.fs.feed.Publish(cs...)
					}
				}
			}
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
			wait = min(2*wait, 30*time.Second)
		}
	}
}

// notification is the payload of a NOTIFY: the node, then incident:org:entry
// for each change, or "*" when there were too many to fit (PostgreSQL's
// payload limit is 8,000 bytes).
func notification(node string, cs []TimelineChange) string {
	var b strings.Builder
	b.WriteString(node)
	for _, c := range cs {
		if b.Len() > 7000 {
			return node + " *"
		}
		b.WriteString(" " + strconv.FormatInt(c.Incident, 10) + ":" + strconv.FormatInt(c.Org, 10) + ":" + strconv.FormatInt(c.Entry, 10))
	}
	return b.String()
}

func parseNotification(p string) (node string, cs []TimelineChange) {
	f := strings.Fields(p)
	if len(f) == 0 {
		return "", []TimelineChange{{}}
	}
	for _, w := range f[1:] {
		var c TimelineChange
		parts := strings.Split(w, ":")
		if len(parts) != 3 {
			return f[0], []TimelineChange{{}} // "*" or unreadable: resync
		}
		c.Incident, _ = strconv.ParseInt(parts[0], 10, 64)
		c.Org, _ = strconv.ParseInt(parts[1], 10, 64)
		c.Entry, _ = strconv.ParseInt(parts[2], 10, 64)
		cs = append(cs, c)
	}
	return f[0], cs
}

// touch records that tx added timeline entry entry to an incident.
func (tx *Tx) touch(incidentID, entry int64) error {
	if tx.changes == nil {
		tx.changes = map[int64]*TimelineChange{}
	}
	c := tx.changes[incidentID]
	if c == nil {
		c = &TimelineChange{Incident: incidentID}
		if err := tx.row(`SELECT org_id FROM incidents WHERE id = ?`, incidentID).Scan(&c.Org); err != nil {
			return err
		}
		tx.changes[incidentID] = c
	}
	c.Entry = max(c.Entry, entry)
	return nil
}

// changeList is what tx will publish, in incident order.
func (tx *Tx) changeList() []TimelineChange {
	out := make([]TimelineChange, 0, len(tx.changes))
	for _, c := range tx.changes {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b TimelineChange) int { return cmp.Compare(a.Incident, b.Incident) })
	return out
}
