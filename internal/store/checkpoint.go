package store

import (
	"context"
	"time"
)

// SQLite's WAL is copied back into the database file by checkpoints. By
// default the connection that commits runs one whenever the WAL passes 1000
// pages, inside that commit; for ingest that is the one committer goroutine,
// the serial part of the group commit. A background goroutine on a read
// connection checkpoints instead (PASSIVE: it never blocks the writer or the
// readers, and copies what no reader still needs), so the copying runs on
// another core while the writer goes on. The writer keeps an automatic
// checkpoint at walBackstopPages in case this one falls behind.

const (
	checkpointEvery  = 100 * time.Millisecond
	walBackstopPages = 4000 // 32 MiB of 8 KiB pages (16 MiB in a file made with 4 KiB pages)
)

type checkpointer struct {
	stop context.CancelFunc
	done chan struct{}
}

func (db *DB) startCheckpointer() {
	ctx, cancel := context.WithCancel(context.Background())
	db.ckpt = checkpointer{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(db.ckpt.done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				// Nothing to copy costs a few microseconds; an error (the
				// database closing, a busy lock) waits for the next tick.
				db.read.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
			}
		}
	}()
}

func (db *DB) stopCheckpointer() {
	if db.ckpt.stop != nil {
		db.ckpt.stop()
		<-db.ckpt.done
	}
}
