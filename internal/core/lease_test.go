package core_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"yingji/internal/store"
	"yingji/internal/testkit"
)

// RunLeased ticks until its context ends, keeps going after a failed tick,
// and gives the lease up on the way out, so another node takes over at
// once rather than when the lease would have run out.
func TestRunLeasedGivesTheLeaseUp(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	ctx, cancel := context.WithCancel(context.Background())
	var ticks atomic.Int32
	done := make(chan struct{})
	go func() {
		env.App.Core.RunLeased(ctx, "test-lease", "a", "test", time.Millisecond, func(ctx context.Context) error {
			if err := env.DB.Write(ctx, func(tx *store.Tx) error { _, err := tx.AcquireLease("test-lease", "a", time.Hour); return err }); err != nil {
				return err
			}
			if ticks.Add(1) == 1 {
				return errors.New("a failed tick does not stop the loop")
			}
			return nil
		})
		close(done)
	}()
	for ticks.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	var held bool
	env.DB.Write(context.Background(), func(tx *store.Tx) (err error) { held, err = tx.AcquireLease("test-lease", "b", time.Hour); return err })
	if held {
		t.Fatal("a second node took a held lease")
	}
	cancel()
	<-done
	env.DB.Write(context.Background(), func(tx *store.Tx) (err error) { held, err = tx.AcquireLease("test-lease", "b", time.Hour); return err })
	if !held {
		t.Fatal("the lease was not given up")
	}
}
