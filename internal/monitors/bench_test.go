package monitors_test

import (
	"testing"

	"yingji/internal/store"
	"yingji/internal/testkit"
)

// BenchmarkCheck is one whole check of a key website on SQLite: the GET of
// its page from a local server, normalising and hashing the text, and the
// transaction recording the result (the state, the history, pruning).
func BenchmarkCheck(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	s := newSiteTB(b, env, 1, true, nil)
	m := s.watch(b, env)
	for b.Loop() {
		if _, err := env.App.Monitors.CheckNow(ctx, env.Users["duty"], m.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	env.DB.Read(ctx, func(q *store.Q) error {
		rs, _ := q.MonitorResults(m.ID, 1000)
		if b.N > 200 && len(rs) != 200 {
			b.Errorf("history not bounded: %d results", len(rs))
		}
		return nil
	})
}
