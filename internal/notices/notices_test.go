package notices_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/incidents"
	"yingji/internal/notices"
	"yingji/internal/rollcall"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var ctx = context.Background()

func TestContacts(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		s := &notices.Service{DB: env.DB}
		duty, admin := env.Users["duty"], env.Users["admin"]
		if _, err := s.SetContacts(ctx, duty, "", notices.Contacts{Phone: "1380000", Email: "duty@gaj.example"}); errs.As(err) == nil || errs.As(err).Field != "phone" {
			t.Fatalf("short phone: %v", err)
		}
		if _, err := s.SetContacts(ctx, duty, "", notices.Contacts{Phone: "13800000001", Email: "张三 <duty@gaj.example>"}); errs.As(err) == nil || errs.As(err).Field != "email" {
			t.Fatalf("display-name address: %v", err)
		}
		if c, _ := s.GetContacts(ctx, duty, ""); c.Phone != "" || c.Email != "" {
			t.Fatalf("a refused change wrote %+v", c)
		}
		if _, err := s.SetContacts(ctx, duty, "", notices.Contacts{Phone: "13800000001", Email: "duty@gaj.example"}); err != nil {
			t.Fatal(err)
		}
		// Another person's: the county duty officer may not; the city's
		// system administrator may, for the county below.
		if _, err := s.SetContacts(ctx, duty, "chief", notices.Contacts{Phone: "13800000002"}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("duty sets chief's: %v", err)
		}
		if _, err := s.SetContacts(ctx, admin, "chief", notices.Contacts{Phone: "13800000002"}); err != nil {
			t.Fatal(err)
		}
		if c, err := s.GetContacts(ctx, admin, "chief"); err != nil || c.Phone != "13800000002" {
			t.Fatalf("%+v %v", c, err)
		}
		if _, err := s.GetContacts(ctx, admin, "nobody"); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("unknown user: %v", err)
		}
		var err error

		// The report's 联系电话 is its author's phone, set here (the
		// actor as a request loads him).
		env.DB.Read(ctx, func(q *store.Q) error { duty, err = q.User(duty.ID); return err })
		in, err2 := env.App.Incidents.CreateIncident(ctx, duty, incidents.NewIncident{Title: "某网站被篡改", Category: "network_attack", Level: 4,
			DiscoveredAt: env.Clock.Now().Add(-time.Minute)})
		if err2 != nil {
			t.Fatal(err2)
		}
		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, "initial")
		if err != nil {
			t.Fatal(err)
		}
		if r.Fields.Phone != "13800000001" {
			t.Fatalf("联系电话 %q", r.Fields.Phone)
		}
	})
}

func TestMineUnreadFirstAndAck(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	s := &notices.Service{DB: env.DB}
	chief := env.Users["chief"]
	env.DB.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < 3; i++ {
			tx.Enqueue(&store.Message{Channel: "inapp", RecipientID: chief.ID, Kind: "duty_handover", Body: `{}`})
		}
		return nil
	})
	in, _ := s.Mine(ctx, chief, 0)
	if len(in.Items) != 3 || in.Unread != 3 {
		t.Fatalf("%+v", in)
	}
	oldest := in.Items[2].ID
	if err := s.Ack(ctx, chief, oldest); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, env.Users["duty"], oldest); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another's: %v", err)
	}
	in, _ = s.Mine(ctx, chief, 0)
	if in.Unread != 2 || in.Items[2].ID != oldest || in.Items[2].ReadAt == nil || in.Items[0].ReadAt != nil {
		t.Fatalf("after ack %+v", in.Items)
	}
}

func TestMasks(t *testing.T) {
	if got := notices.MaskPhone("13800000001"); got != "138****0001" {
		t.Fatal(got)
	}
	if got := notices.MaskEmail("chief@gaj.example"); got != "c***@gaj.example" {
		t.Fatal(got)
	}
	// A roll-call link confirms its holder without a login: the lists others
	// read keep the row's id and hide the signature.
	tok := rollcall.Token([]byte("walk-link-secret-0123456789abcdef"), &store.RollCall{ID: 40, UserID: 3, OutboxID: 7, ExpiresAt: time.Unix(1796026699, 0)})
	text := "【应急】事件QS-2026-001已启动预案，请到位后点击确认：http://10.51.1.5/r/" + tok
	got := notices.MaskLinks(text)
	if strings.Contains(got, tok) || !strings.HasSuffix(got, "http://10.51.1.5/r/14.****") {
		t.Fatalf("%s → %s", text, got)
	}
	if plain := "【应急】事件QS-2026-001待您审批。http://10.51.1.5/incidents/1"; notices.MaskLinks(plain) != plain {
		t.Fatal(notices.MaskLinks(plain))
	}
}

func FuzzContactsCheck(f *testing.F) {
	f.Add("138 0000 0001", "a@b.example")
	f.Add("\x00", "<a@b>")
	f.Fuzz(func(t *testing.T, phone, email string) {
		c := notices.Contacts{Phone: phone, Email: email}
		if c.Check() == nil && c.Phone != "" && len(c.Phone) != 11 {
			t.Fatalf("accepted phone %q", c.Phone)
		}
	})
}
