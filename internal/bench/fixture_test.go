package bench_test

import (
	"context"
	"testing"
	"time"

	"yingji/internal/bench"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// The two benchmarks below are why the bulk seeding stays a store-level
// fixture: they report the cost of one incident written through the use
// case and through the fixture (ns/incident).

func BenchmarkSeedThroughUseCase(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	ctx := context.Background()
	duty := env.Users["duty"]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "压测事件", Category: "network_attack", Level: 3,
			DiscoveredAt: env.Clock.Now().Add(-time.Minute), Description: "基准测试"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/incident")
}

func BenchmarkSeedFixture(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	ctx := context.Background()
	duty := env.Users["duty"]
	var planID int64
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		row, err := q.LatestPlan(env.Plan.Key)
		planID = row.ID
		return err
	}); err != nil {
		b.Fatal(err)
	}
	const n = 10_000
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := env.DB.Raw(ctx, bench.SeedIncidentsSQL(duty.OrgID, planID, duty.ID, 2000+i, 0, n)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/incident")
}
