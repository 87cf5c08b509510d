package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"yingji/internal/channel"
	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// Issue 10: contacts, my notices, an incident's notices, the delivery log,
// over a real server whose channels are real receivers; no answer carries
// a channel secret.
func TestAPINotices(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		gw := chantest.SMSGateway("gw-token-secret")
		defer gw.Close()
		ding := chantest.DingTalk("ding-token-secret", "SECright", env.Clock.Now)
		defer ding.Close()
		set := chantest.SMSSet(gw, "gw-token-secret", nil)
		// A robot configured with the wrong secret: its deliveries fail.
		set.Add("bureau-ding", &channel.DingTalk{URL: ding.URL + "/robot/send?access_token=ding-token-secret", Secret: "SECwrong-secret", Now: env.Clock.Now}, nil, true)
		env.App.Notices.Channels = set
		_, c := newServer(t, env)
		raw := func(cl *client, path string) string {
			_, b, _ := cl.raw("GET", path, "", nil)
			return string(b)
		}

		// Contacts: bad input names the field and changes nothing.
		p := c["chief"].do("PUT", "/api/v1/me/contacts", `{"phone":"12345","email":"chief@gaj.example"}`, 400)
		if !strings.Contains(fmt.Sprint(p), "phone") {
			t.Fatalf("problem %v", p)
		}
		c["chief"].do("PUT", "/api/v1/me/contacts", `{"phone":"138 0000 0001","email":"chief@gaj.example"}`, 200)
		if got := c["chief"].do("GET", "/api/v1/me/contacts", "", 200); got["phone"] != "13800000001" || got["email"] != "chief@gaj.example" {
			t.Fatalf("contacts %v", got)
		}
		c["chief"].do("PUT", "/api/v1/me/contacts", `{"phone":"\u0000","email":""}`, 400)
		// The administrator sets the deputy's; the duty officer may not.
		c["admin"].do("PUT", "/api/v1/users/deputy/contacts", `{"phone":"13800000002","email":""}`, 200)
		c["duty"].do("PUT", "/api/v1/users/deputy/contacts", `{"phone":"13800000003","email":""}`, 403)
		// A test message reaches the gateway now.
		c["chief"].do("POST", "/api/v1/me/contacts/test", `{"channel":"sms"}`, 200)
		if got := gw.Texts(); len(got) != 1 || !strings.HasPrefix(got[0], "13800000001:【应急】这是一条测试消息") {
			t.Fatalf("gateway %q", got)
		}
		c["chief"].do("POST", "/api/v1/me/contacts/test", `{"channel":"email"}`, 400)

		// An activation request notifies the leaders; the worker sends.
		in := c["duty"].do("POST", "/api/v1/incidents", `{"title":"县政府网站被篡改","category":"network_attack","level":3,"discovered_at":"2026-11-28T08:30:00+08:00","description":"首页被植入非法内容"}`, 201)
		iid := id(in["id"])
		c["duty"].do("POST", "/api/v1/incidents/"+iid+"/activation", `{"reason":"重要会议期间网站遭篡改"}`, 201)
		w := &delivery.Worker{DB: env.DB, Channels: set, Name: "t"}
		for i := 0; i < 5; i++ {
			if _, err := w.Step(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if len(gw.Texts()) < 2 {
			t.Fatalf("gateway got %q", gw.Texts())
		}

		// My notices: unread first; ack moves it down.
		mine := c["chief"].do("GET", "/api/v1/notices", "", 200)
		items := mine["items"].([]any)
		if len(items) == 0 || mine["unread"].(float64) < 1 {
			t.Fatalf("notices %v", mine)
		}
		first := items[0].(map[string]any)
		if first["read_at"] != nil || first["kind"] != "approval_requested" {
			t.Fatalf("first %v", first)
		}
		c["deputy"].do("POST", "/api/v1/notices/"+id(first["id"])+"/ack", "", 404) // not his
		c["chief"].do("POST", "/api/v1/notices/"+id(first["id"])+"/ack", "", 204)
		after := c["chief"].do("GET", "/api/v1/notices", "", 200)
		if after["unread"].(float64) != mine["unread"].(float64)-1 {
			t.Fatalf("unread %v then %v", mine["unread"], after["unread"])
		}

		// The incident's notices: to whom, on which channel, with the
		// robot's refusal as the reason; an outsider gets 404.
		list := c["duty"].do("GET", "/api/v1/incidents/"+iid+"/notices", "", 200)
		var sent, failed int
		for _, it := range list["items"].([]any) {
			for _, d := range it.(map[string]any)["deliveries"].([]any) {
				d := d.(map[string]any)
				switch d["status"] {
				case "sent":
					sent++
					if strings.Contains(d["address"].(string), "0000000") {
						t.Fatalf("address not masked: %v", d)
					}
				case "failed":
					failed++
					if !strings.Contains(d["error"].(string), "310000") {
						t.Fatalf("reason %v", d)
					}
				}
			}
		}
		if sent < 1 || failed != 1 {
			t.Fatalf("sent %d failed %d: %v", sent, failed, list)
		}
		c["auditor"].do("GET", "/api/v1/incidents/"+iid+"/notices", "", 404)

		// The delivery log, filtered; nothing anywhere carries a secret.
		log := c["duty"].do("GET", "/api/v1/deliveries?status=failed", "", 200)
		if n := len(log["items"].([]any)); n != 1 {
			t.Fatalf("failed deliveries %d", n)
		}
		c["xingjing"].do("GET", "/api/v1/deliveries", "", 403)
		c["duty"].do("GET", "/api/v1/deliveries?status=lost", "", 400)
		var audit strings.Builder
		env.DB.Read(ctx, func(q *store.Q) error {
			recs, err := q.AuditRecords(0, 100000)
			for _, r := range recs {
				audit.WriteString(r.Detail)
			}
			return err
		})
		if !strings.Contains(audit.String(), "138****0001") || strings.Contains(audit.String(), "13800000001") {
			t.Fatalf("audit of contacts not masked: %s", audit.String())
		}
		all := raw(c["duty"], "/api/v1/deliveries") + raw(c["duty"], "/api/v1/incidents/"+iid+"/notices") + raw(c["chief"], "/api/v1/notices") + audit.String()
		for _, secret := range []string{"gw-token-secret", "ding-token-secret", "SECwrong-secret", "SECright"} {
			if strings.Contains(all, secret) {
				t.Fatalf("secret %s in an answer or the audit", secret)
			}
		}
	})
}
