package escalation_test

import (
	"fmt"
	"testing"
	"time"

	"yingji/internal/escalation"
	"yingji/internal/rollcall"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// One escalation tick over 1,000 open roll-call rows, all due for the SMS
// resend: read the state, decide, and take the escalation (1,000 keys
// claimed, 1,000 SMS notices, one timeline entry and audit record, one
// transaction). Between ticks the claims are removed so every tick does the
// whole work again.
//
//	go test ./internal/escalation -run XXX -bench BenchmarkTick1000RollCalls -benchtime 20x
func BenchmarkTick1000RollCalls(b *testing.B) {
	testkit.EachB(b, func(b *testing.B, env *testkit.Env) {
		in := testkit.NewIncident(b, env, "network_attack")
		testkit.Activate(b, env, in)
		const n = 1000
		if err := env.DB.Write(ctx, func(tx *store.Tx) error {
			for i := range n {
				u := &user.User{OrgID: in.OrgID, Username: fmt.Sprintf("m%04d", i), DisplayName: fmt.Sprintf("成员%04d", i), Phone: fmt.Sprintf("138%08d", i)}
				if err := tx.CreateUser(u); err != nil {
					return err
				}
				if err := rollcall.Page(tx, in, u.ID, "leading_group", map[string]any{"number": in.Number}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		esc := escalation.New(env.App.Core, roster{})
		env.Clock.Add(11 * time.Minute)
		b.ResetTimer()
		for range b.N {
			r, err := esc.Tick(ctx, "bench")
			if err != nil || r.Sent < n {
				b.Fatalf("%+v %v", r, err)
			}
			b.StopTimer()
			if err := env.DB.Write(ctx, func(tx *store.Tx) error {
				if err := tx.Exec(`DELETE FROM escalations`); err != nil {
					return err
				}
				// The timeline entry stays; the notices stay (unrouted).
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/tick")
	})
}
