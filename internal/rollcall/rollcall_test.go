package rollcall_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incidents"
	"yingji/internal/rollcall"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var ctx = context.Background()

// Activation pages the duty officer, 组长, 副组长 and the member
// departments' leaders, each with a roll-call row; the SMS carries a signed
// link that confirms 已到位 once without a login; a tampered or expired
// link is refused; the console confirms too; the chain verifies.
func TestRollCall(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		gw, set := testkit.SMSPaging(t, env)
		phones := testkit.LeaderPhones
		key := chantest.LinkKey
		in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: "县政府网站被篡改", Category: "network_attack", Level: 3,
			DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		a, err := env.App.Incidents.RequestActivation(ctx, env.Users["duty"], in.ID, "影响扩大")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.Decide(ctx, env.Users["chief"], a.ID, incidents.Decision{Approve: true, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		rc := &rollcall.Service{DB: env.DB, Key: key}
		list, err := rc.List(ctx, in.ID, func() error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		paged := map[string]bool{}
		for _, r := range list {
			paged[r.Name] = true
		}
		for _, u := range []string{"chief", "deputy", "xingjing"} {
			if !paged[env.Users[u].DisplayName] {
				t.Fatalf("%s not on the roll-call %v", u, paged)
			}
		}

		w := &delivery.Worker{DB: env.DB, Channels: set, Name: "t"}
		for i := 0; i < 3; i++ {
			w.Step(ctx)
		}
		var sms string
		for _, m := range gw.Texts() {
			if strings.HasPrefix(m, phones["xingjing"]+":") && strings.Contains(m, "/r/") {
				sms = m
			}
		}
		if sms == "" {
			t.Fatalf("no roll-call SMS to the member: %q", gw.Texts())
		}
		tok := testkit.RollCallLink.FindStringSubmatch(sms)[1]
		r, in2, err := rc.ByToken(ctx, tok)
		if err != nil || r.UserID != env.Users["xingjing"].ID || in2.ID != in.ID || r.ConfirmedAt != nil {
			t.Fatalf("%+v %v", r, err)
		}
		// Tampered: one character of the signature, or another row's id.
		bad := tok[:len(tok)-1] + string("AB"[strings.IndexByte("A", tok[len(tok)-1])+1])
		if _, _, err := rc.ByToken(ctx, bad); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("tampered token: %v", err)
		}
		if _, err := rc.ConfirmByToken(ctx, "1."+tok[strings.IndexByte(tok, '.')+1:]); errs.CodeOf(err) != errs.NotFound && r.ID != 1 {
			t.Fatalf("another row's id: %v", err)
		}
		env.Clock.Add(time.Minute)
		first, err := rc.ConfirmByToken(ctx, tok)
		if err != nil || first.ConfirmedAt == nil || first.Via != "link" {
			t.Fatalf("%+v %v", first, err)
		}
		env.Clock.Add(time.Minute)
		again, err := rc.ConfirmByToken(ctx, tok) // single use: the first stands
		if err != nil || !again.ConfirmedAt.Equal(*first.ConfirmedAt) {
			t.Fatalf("second use: %+v %v", again, err)
		}

		// The console: the chief confirms his; the auditor was not paged.
		if r, err := rc.Confirm(ctx, env.Users["chief"], in.ID); err != nil || r.Via != "console" {
			t.Fatalf("%+v %v", r, err)
		}
		if _, err := rc.Confirm(ctx, env.Users["auditor"], in.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("auditor: %v", err)
		}

		// The deputy's link expires after a day.
		var dtok string
		for _, m := range gw.Texts() {
			if strings.HasPrefix(m, phones["deputy"]+":") && strings.Contains(m, "/r/") {
				dtok = testkit.RollCallLink.FindStringSubmatch(m)[1]
			}
		}
		env.Clock.Add(rollcall.Valid)
		if _, err := rc.ConfirmByToken(ctx, dtok); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("expired link: %v", err)
		}

		list, _ = rc.List(ctx, in.ID, func() error { return nil })
		confirmed := 0
		for _, r := range list {
			if r.ConfirmedAt != nil {
				confirmed++
			}
		}
		if confirmed != 2 {
			t.Fatalf("%d confirmed", confirmed)
		}
		var entries int
		env.DB.Read(ctx, func(q *store.Q) error {
			es, _ := q.Timeline(in.ID, 0, 0)
			for _, e := range es {
				if e.Kind == event.KindRollCallConfirmed {
					entries++
				}
			}
			return nil
		})
		if entries != 2 {
			t.Fatalf("%d timeline entries", entries)
		}
		res, err := env.DB.VerifyAudit(ctx)
		if err != nil || res.Err != nil {
			t.Fatalf("audit: %v %v", err, res.Err)
		}
	})
}

// The resend's body, read back by the delivery worker (issue 10): what
// ResendBody writes comes back; anything else is a row or nil, never a
// panic.
func FuzzFromResend(f *testing.F) {
	r := &store.RollCall{ID: 3, UserID: 4, OutboxID: 5, ExpiresAt: time.UnixMilli(1764300000000)}
	f.Add(rollcall.ResendBody(r, "QS-2026-001", "网站被篡改"))
	f.Add(`{"roll_call_id":0}`)
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		if got := rollcall.FromResend(body); got != nil && got.ID == 0 {
			t.Fatal(body)
		}
	})
}

func TestResendBodyRoundTrip(t *testing.T) {
	r := &store.RollCall{ID: 3, UserID: 4, OutboxID: 5, ExpiresAt: time.UnixMilli(1764300000000)}
	got := rollcall.FromResend(rollcall.ResendBody(r, "QS-2026-001", "网站被篡改"))
	key := []byte("0123456789abcdef0123456789abcdef")
	if got == nil || rollcall.Token(key, got) != rollcall.Token(key, r) {
		t.Fatalf("%+v", got)
	}
}
