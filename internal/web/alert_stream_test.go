package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"yingji/internal/signal"
	"yingji/internal/testkit"
	"yingji/internal/web"
	"yingji/internal/web/console"
)

// The alert queue's stream says "change" after signals are committed on
// this node, at most once per gap, and a change during the gap is sent
// when it ends, not lost. Only people who may handle alerts may follow it.
func TestAlertStream(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		base := "http://" + serveReal(t, env, web.DefaultLimits(), nil)
		duty := env.Users["duty"]
		src, _, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "WAF", signal.FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		land := func() {
			n++
			sig := signal.Signal{Format: signal.FormatJSON, Rule: "waf", Title: "SQL 注入", Severity: signal.High, Status: signal.Firing, At: time.Now(), Key: strings.Repeat("k", n)}
			if _, err := env.App.Intake.Submit(ctx, src, []signal.Signal{sig}); err != nil {
				t.Fatal(err)
			}
		}

		if res := openStream(t, base, "/alerts/events", &http.Cookie{Name: "yingji_session", Value: "nope"}); res.StatusCode != 401 {
			t.Fatalf("no session: %d", res.StatusCode)
		}
		if res := openStream(t, base, "/alerts/events", sessionCookie(t, env, "citydeputy")); res.StatusCode != 403 {
			t.Fatalf("a city leader, who does not handle the county's alerts: %d", res.StatusCode)
		}
		res := openStream(t, base, "/alerts/events", sessionCookie(t, env, "duty"))
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		waitLine(t, res, "event: hello", 5*time.Second)
		land()
		waitLine(t, res, "event: change", 5*time.Second)
		// Within the gap (a second) nothing more is sent, however many
		// signals come; the ones that came are announced after it.
		start := time.Now()
		for range 5 {
			land()
		}
		waitLine(t, res, "event: change", 5*time.Second)
		if d := time.Since(start); d < console.AlertEventGap/4 {
			t.Fatalf("a second change after %v, within the gap", d)
		}
	})
}
