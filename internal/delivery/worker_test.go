package delivery_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"yingji/internal/channel"
	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/incident"
	"yingji/internal/incidents"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var ctx = context.Background()

func newIncident(t testing.TB, env *testkit.Env, title string) *incident.Incident {
	t.Helper()
	in, err := env.App.Incidents.CreateIncident(ctx, env.Users["duty"], incidents.NewIncident{Title: title, Category: "network_attack", Level: 4,
		DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// enqueue writes notices as the use cases do: in a change's transaction.
func enqueue(t testing.TB, env *testkit.Env, incidentID int64, kind string, users ...string) {
	t.Helper()
	err := env.DB.Write(ctx, func(tx *store.Tx) error {
		for _, u := range users {
			body, _ := json.Marshal(map[string]any{"k": kind})
			if err := tx.Enqueue(&store.Message{Channel: "inapp", RecipientID: env.Users[u].ID, IncidentID: incidentID, Kind: kind, Body: string(body)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func setContacts(t testing.TB, env *testkit.Env, user, phone, email string) {
	t.Helper()
	if err := env.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetContacts(env.Users[user].ID, phone, email) }); err != nil {
		t.Fatal(err)
	}
}

// drain steps the worker until it has nothing due at the current time.
func drain(t testing.TB, w *delivery.Worker) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		n, err := w.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("worker never ran out of work")
}

func deliveries(t testing.TB, env *testkit.Env, f store.DeliveryFilter) []*store.Delivery {
	t.Helper()
	var out []*store.Delivery
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		var err error
		out, err = q.Deliveries(f)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

type world struct {
	smtp                           *chantest.SMTP
	sms, ding, wecom, feishu, hook *chantest.Receiver
	set                            *channel.Set
}

func channels(t testing.TB, env *testkit.Env, limits bool) *world {
	w := &world{smtp: chantest.StartSMTP(t, false, "yj", "smtp-pw-secret")}
	w.sms = chantest.SMSGateway("gw-token-secret")
	w.ding = chantest.DingTalk("ding-token-secret", "SECding-secret", env.Clock.Now)
	w.wecom = chantest.WeCom("wecom-key-secret", env.Clock.Now)
	w.feishu = chantest.Feishu("feishu-secret", env.Clock.Now)
	w.hook = chantest.Webhook("hook-secret")
	for _, r := range []*chantest.Receiver{w.sms, w.ding, w.wecom, w.feishu, w.hook} {
		t.Cleanup(r.Close)
	}
	s := &channel.Set{BaseURL: "https://yj.example"}
	s.Add("email", &channel.Email{Host: w.smtp.Host, Port: w.smtp.Port, Username: "yj", Password: "smtp-pw-secret", From: "yj@gaj.example",
		TLS: &tls.Config{RootCAs: w.smtp.RootCAs}}, nil, limits)
	s.Add("sms", &channel.SMS{URL: w.sms.URL, Headers: map[string]string{"Authorization": "Bearer gw-token-secret"},
		Body: `{"mobile":"{{phone}}","content":"{{text}}","ref":"{{key}}"}`, SuccessBody: `"code":0`}, nil, limits)
	county := env.Users["duty"].OrgID
	s.Add("bureau-ding", &channel.DingTalk{URL: w.ding.URL + "/robot/send?access_token=ding-token-secret", Secret: "SECding-secret", Now: env.Clock.Now}, []int64{county}, limits)
	s.Add("bureau-wecom", &channel.WeCom{URL: w.wecom.URL + "/cgi-bin/webhook/send?key=wecom-key-secret"}, []int64{county}, limits)
	s.Add("bureau-feishu", &channel.Feishu{URL: w.feishu.URL + "/open-apis/bot/v2/hook/x", Secret: "feishu-secret", Now: env.Clock.Now}, []int64{county}, limits)
	s.Add("ops-hook", &channel.Webhook{URL: w.hook.URL, Secret: "hook-secret", Now: env.Clock.Now}, []int64{county}, limits)
	w.set = s
	return w
}

func TestDeliverEveryChannel(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ch := channels(t, env, true)
		for _, u := range []string{"chief", "deputy", "xingjing"} {
			setContacts(t, env, u, "1380000000"+fmt.Sprint(len(u)%10), u+"@gaj.example")
		}
		in := newIncident(t, env, "某单位门户网站被篡改")
		enqueue(t, env, in.ID, "plan_activated_duty", "chief", "deputy", "xingjing", "duty")
		w := &delivery.Worker{DB: env.DB, Channels: ch.set, Name: "n1"}
		drain(t, w)
		if got := len(ch.smtp.Mails()); got != 3 {
			t.Fatalf("mails %d", got)
		}
		if got := len(ch.sms.Texts()); got != 3 {
			t.Fatalf("sms %d", got)
		}
		for name, r := range map[string]*chantest.Receiver{"ding": ch.ding, "wecom": ch.wecom, "feishu": ch.feishu, "hook": ch.hook} {
			// One post per group for the four members told.
			if got := r.Texts(); len(got) != 1 || !strings.Contains(got[0], in.Number) || !strings.Contains(got[0], "https://yj.example/incidents/") {
				t.Fatalf("%s got %q (refused %v)", name, got, r.Refused())
			}
			if utf8.RuneCountInString(r.Texts()[0]) > delivery.SMSSegment {
				t.Fatalf("%s: %d characters", name, utf8.RuneCountInString(r.Texts()[0]))
			}
		}
		ds := deliveries(t, env, store.DeliveryFilter{IncidentID: in.ID})
		if len(ds) != 10 {
			t.Fatalf("%d deliveries", len(ds))
		}
		for _, d := range ds {
			if d.Status != "sent" || d.Attempts != 1 {
				t.Fatalf("%+v", d)
			}
		}
		// duty has no contacts: the notice says why it stayed in the console.
		var ns []*store.InboxNotice
		env.DB.Read(ctx, func(q *store.Q) error { ns, _ = q.Notices(env.Users["duty"].ID, 10); return nil })
		if len(ns) != 1 || ns[0].Status != "routed" || !strings.Contains(ns[0].Note, "未登记") {
			t.Fatalf("duty's notice %+v", ns[0])
		}
	})
}

func TestReceiverDownComesBack(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ch := channels(t, env, true)
		setContacts(t, env, "chief", "13800000001", "chief@gaj.example")
		ch.hook.Down()
		ch.smtp.Down()
		var ins []*incident.Incident
		for i := 0; i < 5; i++ {
			in := newIncident(t, env, fmt.Sprintf("事件%d", i))
			ins = append(ins, in)
			enqueue(t, env, in.ID, "level_changed", "chief")
		}
		w := &delivery.Worker{DB: env.DB, Channels: ch.set, Name: "n1", BaseDelay: time.Second, MaxDelay: 4 * time.Second}
		drain(t, w)
		if len(ch.hook.Texts()) != 0 || len(ch.smtp.Mails()) != 0 {
			t.Fatal("a down receiver received")
		}
		for _, d := range deliveries(t, env, store.DeliveryFilter{Channel: "ops-hook"}) {
			if d.Status != "pending" || d.LastError == "" || d.Attempts != 1 {
				t.Fatalf("while down: %+v", d)
			}
		}
		// Down for three more rounds, then back.
		for i := 0; i < 3; i++ {
			env.Clock.Add(5 * time.Second)
			drain(t, w)
		}
		ch.hook.Up()
		ch.smtp.Up()
		env.Clock.Add(5 * time.Second)
		drain(t, w)
		keys := ch.hook.Keys()
		if len(keys) != 5 {
			t.Fatalf("webhook got %d messages: %v", len(keys), keys)
		}
		for k, n := range keys {
			if n != 1 {
				t.Fatalf("%s arrived %d times", k, n)
			}
		}
		if got := len(ch.smtp.Mails()); got != 5 {
			t.Fatalf("mails %d", got)
		}
		for _, d := range deliveries(t, env, store.DeliveryFilter{}) {
			if d.Status != "sent" {
				t.Fatalf("%+v", d)
			}
		}
	})
}

func TestFailedAfterLastRetryWithReason(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	ch := channels(t, env, true)
	ch.sms.Close() // the gateway is gone for good
	setContacts(t, env, "chief", "13800000001", "")
	enqueue(t, env, 0, "duty_assigned", "chief")
	w := &delivery.Worker{DB: env.DB, Channels: ch.set, Name: "n1", MaxAttempts: 3, BaseDelay: time.Second}
	for i := 0; i < 5; i++ {
		drain(t, w)
		env.Clock.Add(time.Minute)
	}
	ds := deliveries(t, env, store.DeliveryFilter{Channel: "sms"})
	if len(ds) != 1 || ds[0].Status != "failed" || ds[0].Attempts != 3 || !strings.Contains(ds[0].LastError, "after 3 attempts") {
		t.Fatalf("%+v", ds[0])
	}
	if strings.Contains(ds[0].LastError, "gw-token-secret") {
		t.Fatal("secret in the error")
	}
	var as []*store.Attempt
	env.DB.Read(ctx, func(q *store.Q) error { as, _ = q.Attempts(ds[0].ID); return nil })
	if len(as) != 3 || as[2].OK || as[2].Error == "" || as[2].FinishedAt == nil {
		t.Fatalf("attempts %+v", as)
	}
}

// A refused signature fails at once, with the robot's answer and without
// the robot's secret or token.
func TestRefusedSignatureFailsWithoutSecret(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	ch := channels(t, env, true)
	set := &channel.Set{}
	set.Add("bureau-ding", &channel.DingTalk{URL: ch.ding.URL + "/robot/send?access_token=ding-token-secret", Secret: "SECwrong-secret", Now: env.Clock.Now}, nil, true)
	in := newIncident(t, env, "签名错误")
	enqueue(t, env, in.ID, "level_changed", "chief")
	drain(t, &delivery.Worker{DB: env.DB, Channels: set, Name: "n1"})
	ds := deliveries(t, env, store.DeliveryFilter{})
	if len(ds) != 1 || ds[0].Status != "failed" || !strings.Contains(ds[0].LastError, "310000") {
		t.Fatalf("%+v", ds)
	}
	for _, s := range []string{"ding-token-secret", "SECwrong-secret", "SECding-secret"} {
		if strings.Contains(ds[0].LastError, s) {
			t.Fatalf("secret %s in %q", s, ds[0].LastError)
		}
	}
}

func TestRobotRateLimitKept(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	ch := channels(t, env, true)
	set := &channel.Set{}
	set.Add("bureau-ding", &channel.DingTalk{URL: ch.ding.URL + "/robot/send?access_token=ding-token-secret", Secret: "SECding-secret", Now: env.Clock.Now}, nil, true)
	in := newIncident(t, env, "限速")
	for i := 0; i < 25; i++ {
		env.Clock.Add(time.Millisecond) // 25 changes, 25 posts
		enqueue(t, env, in.ID, "instruction_posted", "chief")
	}
	w := &delivery.Worker{DB: env.DB, Channels: set, Name: "n1"}
	drain(t, w)
	if got := len(ch.ding.Texts()); got != 20 {
		t.Fatalf("first minute: %d posts", got)
	}
	if r := ch.ding.Refused(); len(r) != 0 {
		t.Fatalf("the robot refused %v: the worker went over its limit", r)
	}
	env.Clock.Add(61 * time.Second)
	drain(t, w)
	if got := len(ch.ding.Texts()); got != 25 || len(ch.ding.Refused()) != 0 {
		t.Fatalf("after a minute: %d posts, refused %v", got, ch.ding.Refused())
	}
}

// A worker that stops between claiming and recording: its delivery is
// sent again once by another, recorded as a resend; a second stop fails it.
func TestStoppedMidSendResentOnce(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	ch := channels(t, env, true)
	in := newIncident(t, env, "中途停止")
	set := &channel.Set{}
	set.Add("ops-hook", &channel.Webhook{URL: ch.hook.URL, Secret: "hook-secret"}, nil, true)
	enqueue(t, env, in.ID, "level_changed", "chief", "deputy")
	a := &delivery.Worker{DB: env.DB, Channels: set, Name: "a", Lease: time.Minute}
	if _, err := a.Route(ctx); err != nil {
		t.Fatal(err)
	}
	claim := func(name string) {
		err := env.DB.Work(ctx, func(tx *store.WorkTx) error {
			_, err := tx.ClaimDue(name, time.Minute, 10, func(*store.Delivery) (bool, time.Duration) { return true, 0 })
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	claim("a") // a claims and dies before sending
	env.Clock.Add(2 * time.Minute)
	b := &delivery.Worker{DB: env.DB, Channels: set, Name: "b", Lease: time.Minute}
	drain(t, b)
	ds := deliveries(t, env, store.DeliveryFilter{})
	if len(ds) != 1 || ds[0].Status != "sent" || ds[0].Resends != 1 || len(ch.hook.Texts()) != 1 {
		t.Fatalf("%+v, received %d", ds[0], len(ch.hook.Texts()))
	}
	var as []*store.Attempt
	env.DB.Read(ctx, func(q *store.Q) error { as, _ = q.Attempts(ds[0].ID); return nil })
	if len(as) != 2 || as[0].Error != store.StoppedMidSend || !as[1].Resend || !as[1].OK || as[1].Worker != "b" {
		t.Fatalf("attempts %+v %+v", as[0], as[1])
	}

	// Twice: a new notice, claimed and dropped, resent-claim dropped again.
	env.Clock.Add(time.Second)
	enqueue(t, env, in.ID, "instruction_posted", "chief")
	b.Route(ctx)
	claim("a")
	env.Clock.Add(2 * time.Minute)
	claim("c") // the resend, and c dies too
	env.Clock.Add(2 * time.Minute)
	drain(t, b)
	ds = deliveries(t, env, store.DeliveryFilter{})
	if ds[0].Status != "failed" || !strings.Contains(ds[0].LastError, "twice") || len(ch.hook.Texts()) != 1 {
		t.Fatalf("%+v", ds[0])
	}
}

func TestTwoWorkersSharePostgres(t *testing.T) {
	env := testkit.Open(t, "postgres")
	ch := channels(t, env, false)
	// A second node: its own connection pool on the same database.
	db2, err := store.Open(ctx, env.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	db2.Now = env.Clock.Now
	setContacts(t, env, "chief", "", "chief@gaj.example")
	const n = 300
	for i := 0; i < n; i++ {
		enqueue(t, env, 0, "duty_handover", "chief")
	}
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i, db := range []*store.DB{env.DB, db2} {
		w := &delivery.Worker{DB: db, Channels: ch.set, Name: fmt.Sprint("node", i), Batch: 20, Poll: 10 * time.Millisecond}
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(cctx) }()
	}
	deadline := time.Now().Add(60 * time.Second)
	for len(ch.smtp.Mails()) < n && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // a double would arrive now
	cancel()
	wg.Wait()
	seen := map[string]int{}
	for _, m := range ch.smtp.Mails() {
		seen[m.Header.Get("Message-Id")]++
	}
	if len(seen) != n || len(ch.smtp.Mails()) != n {
		t.Fatalf("%d mails, %d distinct, want %d", len(ch.smtp.Mails()), len(seen), n)
	}
	workers := map[string]int{}
	env.DB.Read(ctx, func(q *store.Q) error {
		ds, _ := q.Deliveries(store.DeliveryFilter{Limit: n})
		for _, d := range ds {
			as, _ := q.Attempts(d.ID)
			if d.Status != "sent" || len(as) != 1 {
				t.Errorf("%+v: %d attempts", d, len(as))
			}
			if len(as) > 0 {
				workers[as[0].Worker]++
			}
		}
		return nil
	})
	t.Logf("sent by %v", workers)
}

func TestRenderFitsOneSMS(t *testing.T) {
	n := &store.Notice{ID: 1, IncidentID: 12345, Kind: "plan_activated_duty", Number: "QS-2026-0012",
		Title: strings.Repeat("某单位门户网站遭篡改并植入赌博暗链", 4)}
	// A county bureau's console on its intranet address.
	_, text, link := delivery.Render(n, "http://10.51.1.5")
	if utf8.RuneCountInString(text) > delivery.SMSSegment || !strings.Contains(text, n.Number) || !strings.HasSuffix(text, link) || !strings.Contains(text, "…") {
		t.Fatalf("%d: %s", utf8.RuneCountInString(text), text)
	}
	n.Title = "短标题"
	if _, text, _ = delivery.Render(n, "http://10.51.1.5"); !strings.Contains(text, "“短标题”") {
		t.Fatal(text)
	}
	n.Kind, n.IncidentID = "some_future_kind", 0
	if _, text, _ = delivery.Render(n, ""); strings.Contains(text, "%") {
		t.Fatal(text)
	}
}
