package bulletins_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yingji/internal/bulletin"
	"yingji/internal/bulletins"
	"yingji/internal/channel"
	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/registry"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// world registers three units of the county: two companies (one in 青城
// with a contacts row besides its contact person, one in 汉阳 with an
// e-mail only) and a hospital.
func world(t testing.TB, env *testkit.Env) (county int64, ids []int64) {
	t.Helper()
	ctx := context.Background()
	county, err := env.App.Units.OrgIDByName(ctx, "青神县公安局")
	if err != nil {
		t.Fatal(err)
	}
	units := []*registry.Unit{
		{Name: "青神县某科技有限公司", Kind: "企业", Region: "青城镇", CreditCode: registry.CreditCodeFor(1), ContactName: "李四", ContactPhone: "13800000001"},
		{Name: "青神县人民医院", Kind: "医院", Region: "青城镇", CreditCode: registry.CreditCodeFor(2), ContactName: "王五", ContactPhone: "13800000002"},
		{Name: "汉阳某竹编厂", Kind: "企业", Region: "汉阳镇", CreditCode: registry.CreditCodeFor(3), ContactName: "赵六", ContactEmail: "zhao@example.cn"},
	}
	for _, u := range units {
		if err := env.App.Units.CreateUnit(ctx, user.System(), county, u); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if err := env.App.Units.SaveContact(ctx, user.System(), county, 0, &registry.Contact{UnitID: units[0].ID, Name: "钱七", Role: "网管", Phone: "13800000011", Email: "qian@example.cn"}); err != nil {
		t.Fatal(err)
	}
	return county, ids
}

func draftInput(env *testkit.Env, incidentID int64) bulletin.Input {
	return bulletin.Input{IncidentID: incidentID, Title: "关于防范勒索病毒攻击的通报", Body: "近期我县发现勒索病毒感染情况。",
		Actions: "1．立即排查本单位主机。\n2．及时修补漏洞。", Deadline: env.Clock.Now().Add(48 * time.Hour), Contact: "张值班", Phone: "028-38800000"}
}

var linkRE = regexp.MustCompile(`/b/[0-9a-z]+\.[A-Za-z0-9_-]{16}`)

func TestBulletinFlow(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		ctx := context.Background()
		_, ids := world(t, env)
		in := testkit.NewIncident(t, env, "virus_outbreak")
		svc := env.App.Bulletins
		duty, chief, deputy := env.Users["duty"], env.Users["chief"], env.Users["deputy"]

		// Bad input names the field and writes nothing.
		bad := draftInput(env, in.ID)
		bad.Deadline = env.Clock.Now().Add(-time.Hour)
		_, err := svc.Draft(ctx, duty, bad)
		testkit.WantField(t, err, "deadline")

		b, err := svc.Draft(ctx, duty, draftInput(env, in.ID))
		if err != nil {
			t.Fatal(err)
		}
		sel := bulletin.Selector{Kinds: []string{"企业"}}
		svc.Key, svc.BaseURL = chantest.LinkKey, "http://10.51.1.5"

		// Unsigned: refused.
		_, _, err = svc.Send(ctx, duty, b.ID, sel, bulletins.Expect{})
		testkit.WantCode(t, err, errs.Conflict)
		if errs.As(err).Key != "bulletin.unsigned" {
			t.Fatalf("send unsigned: %v", err)
		}
		// The duty officer is no signer; the author may never sign.
		_, err = svc.Sign(ctx, duty, b.ID)
		testkit.WantCode(t, err, errs.Forbidden)
		own, err := svc.Draft(ctx, chief, draftInput(env, in.ID))
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.Sign(ctx, chief, own.ID)
		if errs.As(err) == nil || errs.As(err).Key != "bulletin.sign_own" {
			t.Fatalf("author signs: %v", err)
		}
		if b, err = svc.Sign(ctx, deputy, b.ID); err != nil {
			t.Fatal(err)
		}
		if b.Status != bulletin.Signed || !strings.Contains(b.DocNumber, "〔2026〕") {
			t.Fatalf("signed: %+v", b)
		}
		if _, err := svc.Sign(ctx, chief, b.ID); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("signed twice: %v", err)
		}

		// Preview: two companies, three addresses (the first company's
		// contact person and its contacts row, the second's e-mail).
		p, err := svc.Preview(ctx, duty, b.ID, sel)
		if err != nil {
			t.Fatal(err)
		}
		if p.Units != 2 || p.Addresses != 3 || p.NoContact != 0 {
			t.Fatalf("preview: %+v", p)
		}
		// A count the office did not see is refused.
		_, _, err = svc.Send(ctx, duty, b.ID, sel, bulletins.Expect{Units: 5})
		testkit.WantField(t, err, "expect")
		// So are as many units but other ones (the registry changed).
		_, _, err = svc.Send(ctx, duty, b.ID, sel, bulletins.Expect{Units: 2, Set: bulletins.SelectionSet([]int64{998, 999})})
		testkit.WantField(t, err, "expect_set")
		if p.Set != bulletins.SelectionSet([]int64{p.UnitIDs[1], p.UnitIDs[0]}) {
			t.Fatalf("set %q depends on the order", p.Set)
		}

		// Outsiders see nothing.
		other := testkit.OtherCounty(t, env)
		if _, err := svc.Get(ctx, other, b.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("outsider: %v", err)
		}

		b, p, err = svc.Send(ctx, duty, b.ID, sel, bulletins.Expect{Units: 2, Set: p.Set})
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != bulletin.Sent || b.Recipients != 2 {
			t.Fatalf("sent: %+v", b)
		}
		if _, _, err := svc.Send(ctx, duty, b.ID, sel, bulletins.Expect{Units: 2}); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("sent twice: %v", err)
		}

		// Delivery through the real receivers: SMS gateway and SMTP.
		gw := chantest.SMSGateway("tok")
		defer gw.Close()
		smtp := chantest.StartSMTP(t, false, "", "")
		set := chantest.SMSSet(gw, "tok", chantest.LinkKey)
		set.Add("email", &channel.Email{Host: smtp.Host, Port: smtp.Port, Security: "none", From: "yj@gaj.example"}, nil, false)
		w := &delivery.Worker{DB: env.DB, Channels: set}
		for i := 0; i < 5; i++ {
			if _, err := w.Step(ctx); err != nil {
				t.Fatal(err)
			}
		}
		texts := gw.Texts()
		if len(texts) != 2 {
			t.Fatalf("sms: %q", texts)
		}
		if len(smtp.Mails()) != 2 {
			t.Fatalf("mails: %d", len(smtp.Mails()))
		}
		var tok string
		for _, tx := range texts {
			if strings.HasPrefix(tx, "13800000001:") {
				tok = strings.TrimPrefix(linkRE.FindString(tx), "/b/")
			}
			if !strings.Contains(tx, "关于防范勒索病毒攻击") {
				t.Fatalf("text: %q", tx)
			}
		}
		if tok == "" {
			t.Fatalf("no link in %q", texts)
		}
		tab, err := svc.Table(ctx, duty, b.ID, bulletin.TableFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if tab.Counts.Units != 2 || tab.Counts.Delivered != 2 || tab.Counts.Received != 0 || tab.Total != 2 {
			t.Fatalf("table: %+v", tab.Counts)
		}

		// The unit's page, receipt and answer.
		v, err := svc.ByToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if v.Unit != "青神县某科技有限公司" || v.Title != b.Title || v.DocNumber != b.DocNumber {
			t.Fatalf("view: %+v", v)
		}
		if _, err := svc.ByToken(ctx, tok[:len(tok)-1]+"x"); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("forged: %v", err)
		}
		if err := svc.Receive(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := svc.Receive(ctx, tok); err != nil { // twice: nothing changes
			t.Fatal(err)
		}
		err = svc.Answer(ctx, tok, bulletin.Reply{Answer: bulletin.Mitigated, Notes: strings.Repeat("很", bulletin.MaxNotes+1)})
		testkit.WantField(t, err, "notes")
		err = svc.Answer(ctx, tok, bulletin.Reply{Answer: bulletin.Mitigated, Attachments: []bulletin.Attachment{{Name: "a.log", SHA256: "xyz"}}})
		testkit.WantField(t, err, "attachments")
		err = svc.Answer(ctx, tok, bulletin.Reply{Answer: "maybe"})
		testkit.WantField(t, err, "answer")
		sum := strings.Repeat("ab", 32)
		if err := svc.Answer(ctx, tok, bulletin.Reply{Answer: bulletin.Mitigated, Notes: "已隔离感染主机2台", Attachments: []bulletin.Attachment{{Name: "处置记录.docx", SHA256: sum}}}); err != nil {
			t.Fatal(err)
		}
		// Token reuse: the link is used up.
		err = svc.Answer(ctx, tok, bulletin.Reply{Answer: bulletin.NotAffected})
		if errs.As(err) == nil || errs.As(err).Key != "bulletin.link_used" {
			t.Fatalf("reuse: %v", err)
		}
		if err := svc.Receive(ctx, tok); errs.As(err) == nil || errs.As(err).Key != "bulletin.link_used" {
			t.Fatalf("receive after answer: %v", err)
		}
		v, err = svc.ByToken(ctx, tok) // still shows what was answered
		if err != nil || v.Answer != bulletin.Mitigated {
			t.Fatalf("answered view: %+v %v", v, err)
		}

		// Past the deadline: one reminder to the unit that has not answered,
		// never twice.
		env.Clock.Add(49 * time.Hour)
		n, leader, err := svc.Tick(ctx, "node-a")
		if err != nil || !leader || n != 1 {
			t.Fatalf("tick: %d %v %v", n, leader, err)
		}
		if n, _, err := svc.Tick(ctx, "node-a"); err != nil || n != 0 {
			t.Fatalf("second tick: %d %v", n, err)
		}
		if _, leader, _ := svc.Tick(ctx, "node-b"); leader {
			t.Fatal("two leaders")
		}
		for i := 0; i < 3; i++ {
			if _, err := w.Step(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if m := smtp.Mails(); len(m) != 3 {
			t.Fatalf("reminder mail: %d", len(m))
		}

		tab, err = svc.Table(ctx, duty, b.ID, bulletin.TableFilter{State: "overdue"})
		if err != nil {
			t.Fatal(err)
		}
		if tab.Counts.Done != 1 || tab.Counts.Overdue != 1 || tab.Total != 1 || tab.Rows[0].UnitID != ids[2] {
			t.Fatalf("overdue table: %+v %d", tab.Counts, tab.Total)
		}

		// The counts' totals agree with the rows each state filter selects.
		for _, st := range []string{"", "sent", "delivered", "received", "done", "revoked", "overdue"} {
			tt, err := svc.Table(ctx, duty, b.ID, bulletin.TableFilter{State: st, Limit: 200})
			if err != nil || tt.Total != len(tt.Rows) {
				t.Fatalf("state %q: total %d, rows %d, %v", st, tt.Total, len(tt.Rows), err)
			}
		}

		// Revoking the late unit's link gives it a clear refusal.
		if err := svc.Revoke(ctx, duty, b.ID, tab.Rows[0].ID); err != nil {
			t.Fatal(err)
		}
		r2 := &bulletin.Recipient{ID: tab.Rows[0].ID, BulletinID: b.ID, UnitID: ids[2], ExpiresAt: tab.Rows[0].ExpiresAt}
		if _, err := svc.ByToken(ctx, bulletin.Token(chantest.LinkKey, r2)); errs.As(err) == nil || errs.As(err).Key != "bulletin.link_revoked" {
			t.Fatalf("revoked: %v", err)
		}

		// The export, opened with excelize.
		data, err := svc.XLSX(ctx, duty, b.ID, bulletin.TableFilter{}, i18n.ZH)
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][0] != "单位" || rows[1][0] != "青神县某科技有限公司" || rows[1][4] != "已反馈" || rows[1][7] != "已处置" ||
			!strings.Contains(rows[1][10], sum) || rows[2][4] != "已作废" {
			t.Fatalf("xlsx: %q", rows)
		}

		// The daily report's draft states it.
		lines, err := draftLines(env, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1 || !strings.Contains(lines[0], "向2个单位通报") || !strings.Contains(lines[0], "已签收1个") {
			t.Fatalf("draft lines: %q", lines)
		}
		testkit.AuditCount(t, env)
	})
}
