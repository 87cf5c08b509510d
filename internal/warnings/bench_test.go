package warnings_test

import (
	"strconv"
	"testing"
	"time"

	"yingji/internal/testkit"
)

// BenchmarkPublicFeed reads the warnings in force and renders the Atom
// feed, with 100 released warnings (SQLite): the work of one uncached
// request to /public/warnings.atom.
//
//	go test ./internal/warnings -run '^$' -bench PublicFeed -benchtime 200x
func BenchmarkPublicFeed(b *testing.B) {
	env := testkit.Open(b, "sqlite")
	duty := env.Users["duty"]
	now := env.Clock.Now()
	for i := 0; i < 100; i++ {
		in := yellow(0, now)
		in.Headline += strconv.Itoa(i)
		in.Event, in.Expires = "网络安全风险", now.Add(240*time.Hour)
		m, err := env.App.Warnings.Draft(ctx, duty, in)
		if err != nil {
			b.Fatal(err)
		}
		testkit.ReleaseWarning(b, env, m.ID)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pub, err := env.App.Warnings.Public(ctx)
		if err != nil || len(pub.Warnings) != 100 {
			b.Fatal(err)
		}
		if _, err := pub.Feed("网络安全预警信息", "/public/warnings.atom", "/public/warnings"); err != nil {
			b.Fatal(err)
		}
	}
}
