package channel_test

import (
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"yingji/internal/channel"
	"yingji/internal/channel/chantest"
)

var ctx = context.Background()

const text = "【应急】事件YJ-2026-001“某单位网站被篡改”已启动预案，请立即到位。"

func TestDingTalkSignedAndRateLimited(t *testing.T) {
	rcv := chantest.DingTalk("tok-1", "SECabc", nil)
	defer rcv.Close()
	d := &channel.DingTalk{URL: rcv.URL + "/robot/send?access_token=tok-1", Secret: "SECabc"}
	if err := d.Send(ctx, channel.Message{Text: text}); err != nil {
		t.Fatal(err)
	}
	if got := rcv.Texts(); len(got) != 1 || got[0] != text {
		t.Fatalf("received %q", got)
	}
	// A wrong secret is refused (310000) and not worth retrying.
	bad := &channel.DingTalk{URL: d.URL, Secret: "SECwrong"}
	err := bad.Send(ctx, channel.Message{Text: text})
	if err == nil || !channel.Permanent(err) || !strings.Contains(err.Error(), "310000") {
		t.Fatalf("wrong secret: %v", err)
	}
	if strings.Contains(err.Error(), "tok-1") || strings.Contains(err.Error(), "SEC") {
		t.Fatalf("error carries a secret: %v", err)
	}
	// Beyond 20 a minute the robot answers 130101: retried after a minute.
	for i := 0; i < 19; i++ {
		if err := d.Send(ctx, channel.Message{Text: text}); err != nil {
			t.Fatal(i, err)
		}
	}
	err = d.Send(ctx, channel.Message{Text: text})
	if channel.RetryAfter(err) != time.Minute || channel.Permanent(err) {
		t.Fatalf("21st message: %v", err)
	}
}

// The signature for a fixed timestamp and secret, computed with Python from
// DingTalk's documented Python example:
// base64(hmac_sha256(b"SECabc", b"1700000000000\nSECabc")).
func TestDingTalkSignKnownValue(t *testing.T) {
	got := channel.DingTalkSign("SECabc", 1700000000000)
	if got != "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=" {
		t.Fatalf("sign %s", got)
	}
	// Feishu: base64(hmac_sha256(key=b"1700000000\nsecret", msg=b"")).
	if got := channel.FeishuSign("secret", 1700000000); got != "fiWS2+gh28DOydAv7hzONH/mDn9+b1Y4Y5ivXWXy8vA=" {
		t.Fatalf("feishu sign %s", got)
	}
}

func TestWeCom(t *testing.T) {
	rcv := chantest.WeCom("k-1", nil)
	defer rcv.Close()
	w := &channel.WeCom{URL: rcv.URL + "/cgi-bin/webhook/send?key=k-1"}
	for i := 0; i < 20; i++ {
		if err := w.Send(ctx, channel.Message{Text: text}); err != nil {
			t.Fatal(i, err)
		}
	}
	if err := w.Send(ctx, channel.Message{Text: text}); channel.RetryAfter(err) == 0 || !strings.Contains(err.Error(), "45009") {
		t.Fatalf("21st: %v", err)
	}
	bad := &channel.WeCom{URL: rcv.URL + "/cgi-bin/webhook/send?key=k-2"}
	if err := bad.Send(ctx, channel.Message{Text: text}); !channel.Permanent(err) || strings.Contains(err.Error(), "k-2") {
		t.Fatalf("bad key: %v", err)
	}
}

func TestFeishu(t *testing.T) {
	rcv := chantest.Feishu("fs-secret", nil)
	defer rcv.Close()
	f := &channel.Feishu{URL: rcv.URL + "/open-apis/bot/v2/hook/x", Secret: "fs-secret"}
	n := 0
	var limited error
	for i := 0; i < 6; i++ {
		if err := f.Send(ctx, channel.Message{Text: text}); err != nil {
			limited = err
			break
		}
		n++
	}
	if n != 5 || channel.RetryAfter(limited) == 0 || !strings.Contains(limited.Error(), "11232") {
		t.Fatalf("sent %d, then %v", n, limited)
	}
	bad := &channel.Feishu{URL: f.URL, Secret: "other"}
	time.Sleep(1100 * time.Millisecond) // out of the 5/s window
	if err := bad.Send(ctx, channel.Message{Text: text}); !channel.Permanent(err) || !strings.Contains(err.Error(), "19021") {
		t.Fatalf("bad secret: %v", err)
	}
}

func TestWebhookSigned(t *testing.T) {
	rcv := chantest.Webhook("wh-secret")
	defer rcv.Close()
	w := &channel.Webhook{URL: rcv.URL, Secret: "wh-secret"}
	if err := w.Send(ctx, channel.Message{Key: "k1", Text: text}); err != nil {
		t.Fatal(err)
	}
	if rcv.Keys()["k1"] != 1 {
		t.Fatalf("keys %v", rcv.Keys())
	}
	w.Secret = "wrong"
	w.Send(ctx, channel.Message{Key: "k2", Text: text})
	if rcv.Refused()["bad-signature"] != 1 || rcv.Keys()["k2"] != 0 {
		t.Fatalf("refused %v", rcv.Refused())
	}
}

func TestSMSTemplate(t *testing.T) {
	rcv := chantest.SMSGateway("gw-token")
	defer rcv.Close()
	s := &channel.SMS{URL: rcv.URL + "/send", Headers: map[string]string{"Authorization": "Bearer gw-token"},
		Body: `{"mobile":"{{phone}}","content":"{{text}}","ref":"{{key}}"}`, SuccessBody: `"code":0`}
	msg := "引号\"和换行\n都要转义：" + text
	if err := s.Send(ctx, channel.Message{Key: "d-1", To: "13800000001", Text: msg}); err != nil {
		t.Fatal(err)
	}
	if got := rcv.Texts(); len(got) != 1 || got[0] != "13800000001:"+msg {
		t.Fatalf("gateway got %q", got)
	}
	// The gateway refuses the number: permanent, with its answer.
	if err := s.Send(ctx, channel.Message{Key: "d-2", To: "123", Text: text}); !channel.Permanent(err) || !strings.Contains(err.Error(), "bad number") {
		t.Fatalf("bad number: %v", err)
	}
	// A wrong token: the error never repeats it.
	s.Headers["Authorization"] = "Bearer wrong-token"
	if err := s.Send(ctx, channel.Message{Key: "d-3", To: "13800000001", Text: text}); err == nil || strings.Contains(err.Error(), "wrong-token") {
		t.Fatalf("wrong token: %v", err)
	}
}

func TestEmailStartTLSAuthUTF8(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		srv := chantest.StartSMTP(t, implicit, "yingji", "pw-123")
		sec := "starttls"
		if implicit {
			sec = "tls"
		}
		e := &channel.Email{Host: srv.Host, Port: srv.Port, Security: sec, Username: "yingji", Password: "pw-123",
			From: "yingji@gaj.example", TLS: &tls.Config{RootCAs: srv.RootCAs}}
		subject := "应急通知：预案已启动"
		if err := e.Send(ctx, channel.Message{Key: "m-1", To: "chief@gaj.example", Subject: subject, Text: text}); err != nil {
			t.Fatal(sec, err)
		}
		m := srv.Mails()
		if len(m) != 1 || !m[0].TLS || m[0].User != "yingji" || m[0].To != "chief@gaj.example" {
			t.Fatalf("%s: %+v", sec, m)
		}
		dec := new(mime.WordDecoder)
		if s, _ := dec.DecodeHeader(m[0].Header.Get("Subject")); s != subject {
			t.Fatalf("subject %q", s)
		}
		if m[0].Header.Get("Message-Id") != "<m-1@yingji>" {
			t.Fatalf("message-id %q", m[0].Header.Get("Message-Id"))
		}
		msg, _ := mail.ReadMessage(strings.NewReader(string(m[0].Data)))
		_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		mr := multipart.NewReader(msg.Body, params["boundary"])
		var parts []string
		for {
			p, err := mr.NextPart() // decodes base64 Content-Transfer-Encoding? no: only quoted-printable
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, p.Header.Get("Content-Type"))
		}
		if len(parts) != 2 || !strings.HasPrefix(parts[0], "text/plain; charset=UTF-8") || !strings.HasPrefix(parts[1], "text/html") {
			t.Fatalf("parts %q", parts)
		}
		// A wrong password is refused as permanent and not echoed.
		e.Password = "pw-wrong"
		if err := e.Send(ctx, channel.Message{Key: "m-2", To: "chief@gaj.example", Subject: subject, Text: text}); err == nil || strings.Contains(err.Error(), "pw-wrong") {
			t.Fatalf("wrong password: %v", err)
		}
	}
}

func TestLimiterWindows(t *testing.T) {
	l := channel.NewLimiter([]channel.Window{{5, time.Second}, {100, time.Minute}})
	t0 := time.Unix(1_700_000_000, 0)
	sent := 0
	for ms := 0; ms < 60_000; ms += 10 {
		if ok, _ := l.Take(t0.Add(time.Duration(ms) * time.Millisecond)); ok {
			sent++
		}
	}
	if sent != 100 {
		t.Fatalf("sent %d in a minute, want 100", sent)
	}
	ok, wait := l.Take(t0.Add(59 * time.Second))
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("after 100: %v %v", ok, wait)
	}
}

func TestConfigEnvAndSecretsKept(t *testing.T) {
	env := map[string]string{"DT_SECRET": "SECfromenv", "SMTP_PW": "pw"}
	c, err := channel.ParseConfig([]byte(`{"base_url":"https://yj.example/","email":{"host":"mail.example","security":"starttls","username":"u","password":"env:SMTP_PW","from":"yj@example"},
	  "robots":[{"name":"bureau-ding","kind":"dingtalk","url":"https://oapi.dingtalk.com/robot/send?access_token=x","secret":"env:DT_SECRET","orgs":[1]}]}`),
		func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Robots[0].Secret != "SECfromenv" || c.Email.Password != "pw" || c.Email.Port != 587 {
		t.Fatalf("%+v", c)
	}
	s := channel.Build(c, nil)
	if got := s.RobotsFor(1); len(got) != 1 || got[0] != "bureau-ding" {
		t.Fatalf("robots for 1: %v", got)
	}
	if got := s.RobotsFor(2); len(got) != 0 {
		t.Fatalf("robots for 2: %v", got)
	}
	if _, err := channel.ParseConfig([]byte(`{"robots":[{"name":"x","kind":"dingtalk","url":"u","secret":"env:MISSING"}]}`), func(string) string { return "" }); err == nil {
		t.Fatal("empty environment variable accepted")
	}
	if _, err := channel.ParseConfig([]byte(`{"robots":[{"name":"x","kind":"pager","url":"u"}]}`), os0); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

func os0(string) string { return "" }

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"sms":{"url":"http://x/?p={{phone}}&t={{text}}"},"robots":[{"name":"a","kind":"feishu","url":"u","secret":"env:X"}]}`))
	f.Add([]byte(`{"email":{"host":"h","from":"f","security":"tls"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := channel.ParseConfig(data, os0)
		if err == nil {
			channel.Build(c, nil)
		}
	})
}

func FuzzExpand(f *testing.F) {
	f.Add(`{"m":"{{phone}}","c":"{{text}}"}`, "13800000001", "引号\"\\\n")
	f.Fuzz(func(t *testing.T, tmpl, phone, text string) {
		channel.Expand(tmpl, nil, channel.Message{To: phone, Text: text})
	})
}

// Kept connections: several messages over one authenticated STARTTLS
// connection, each arriving whole.
func TestEmailKeepOpen(t *testing.T) {
	srv := chantest.StartSMTP(t, false, "yingji", "pw-123")
	e := &channel.Email{Host: srv.Host, Port: srv.Port, Username: "yingji", Password: "pw-123", From: "yingji@gaj.example",
		TLS: &tls.Config{RootCAs: srv.RootCAs}, KeepOpen: 2}
	for i := 0; i < 5; i++ {
		if err := e.Send(ctx, channel.Message{Key: "k" + string(rune('a'+i)), To: "chief@gaj.example", Subject: "主题", Text: text}); err != nil {
			t.Fatal(i, err)
		}
	}
	m := srv.Mails()
	if len(m) != 5 || m[4].Header.Get("Message-Id") != "<ke@yingji>" || !m[4].TLS || m[4].User != "yingji" {
		t.Fatalf("%d mails: %+v", len(m), m[len(m)-1])
	}
}
