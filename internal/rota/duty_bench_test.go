package rota_test

import (
	"testing"
	"time"
	"yingji/internal/bench"
	"yingji/internal/rota"
	"yingji/internal/testkit"
)

// BenchmarkDutyNow asks who is on duty with a year of day/night shifts stored.
func BenchmarkDutyNow(b *testing.B) {
	testkit.EachB(b, func(b *testing.B, env *testkit.Env) {
		u := env.Users
		for m := 0; m < 4; m++ { // 2026-01-01 to 2026-12-30: 728 shifts
			first := time.Date(2026, 1, 1+91*m, 0, 0, 0, 0, shanghai)
			if _, err := env.App.Rota.CreateRotation(ctx, u["duty"], shanghai, rota.RotationInput{Kind: "day_night", First: first, Days: 91,
				DayStart: 8 * time.Hour, NightStart: 20 * time.Hour, Leaders: []int64{u["chief"].ID, u["deputy"].ID},
				Officers: []int64{u["duty"].ID, u["xingjing"].ID}, PerShift: 2}); err != nil {
				b.Fatal(err)
			}
		}
		env.Clock.Set(at(28, 23, 0))
		var times []time.Duration
		for b.Loop() {
			t0 := time.Now()
			v, err := env.App.Rota.DutyNow(ctx, u["duty"], 0)
			times = append(times, time.Since(t0))
			if err != nil || v.Current == nil {
				b.Fatalf("%v %v", v, err)
			}
		}
		s := bench.Summarise(times)
		b.ReportMetric(float64(s.P99.Microseconds())/1000, "p99-ms")
	})
}
