package auditlog_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"yingji/internal/store/pgtest"
	"yingji/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var ctx = context.Background()

// Verifying the chain while others write must never report a broken chain:
// the head and the records are read in one snapshot.
func TestVerifyWhileWriting(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		in := testkit.NewIncident(t, env, "network_attack")
		c, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		defer cancel()
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for c.Err() == nil {
					env.App.Incidents.AddNote(ctx, env.Users["duty"], in.ID, "续报情况")
				}
			}()
		}
		for c.Err() == nil {
			res, err := env.App.AuditLog.VerifyAudit(ctx)
			if err != nil || res.Err != nil {
				cancel()
				wg.Wait()
				t.Fatalf("intact chain reported broken under concurrent writes: %v %v", err, res.Err)
			}
		}
		wg.Wait()
	})
}
