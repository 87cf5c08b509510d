package accounts_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"yingji/internal/testkit"
	"yingji/internal/user"
)

// BenchmarkLoginRefusals times refused logins at the production bcrypt cost:
// an unknown username, a wrong password and a locked account should take
// about as long, so that timing does not tell which usernames exist.
func BenchmarkLoginRefusals(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	ctx := context.Background()
	cost := user.BcryptCost
	user.BcryptCost = 10 // bcrypt.DefaultCost, as in production
	defer func() { user.BcryptCost = cost }()
	// Re-hash the two accounts used, at the production cost.
	for _, name := range []string{"duty", "xingjing"} {
		hash, _ := user.HashPassword(testkit.Password)
		if err := env.DB.Raw(ctx, `UPDATE users SET password_hash = ? WHERE username = ?`, hash, name); err != nil {
			b.Fatal(err)
		}
	}
	for range 5 { // lock xingjing
		env.App.Accounts.Login(ctx, "xingjing", "Wrong-pass-123", "bench")
	}
	cases := []struct{ name, user string }{{"unknown", "nobody"}, {"wrong_password", "duty"}, {"locked", "xingjing"}}
	durs := make([][]time.Duration, len(cases))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, c := range cases {
			if c.name == "wrong_password" && i%4 == 3 {
				env.App.Accounts.Login(ctx, "duty", testkit.Password, "bench") // keep duty below the lockout
			}
			t0 := time.Now()
			if _, err := env.App.Accounts.Login(ctx, c.user, "Wrong-pass-123", "bench"); err == nil {
				b.Fatal("login passed")
			}
			durs[j] = append(durs[j], time.Since(t0))
		}
	}
	b.StopTimer()
	for j, c := range cases {
		slices.Sort(durs[j])
		b.ReportMetric(float64(durs[j][len(durs[j])/2].Microseconds())/1000, c.name+"-p50-ms")
	}
}
