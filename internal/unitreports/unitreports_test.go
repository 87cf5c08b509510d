package unitreports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
	"yingji/internal/unitreport"
)

var ctx = context.Background()

func report() *unitreport.Report {
	return &unitreport.Report{What: "门户网站首页被篡改，出现不明标语", System: "门户网站", HappenedAt: time.Date(2026, 11, 28, 0, 30, 0, 0, time.UTC),
		ContactName: "李四", ContactPhone: "13800000001", Attachments: []unitreport.Attachment{{Name: "截图.png", Size: 2048, SHA256: strings.Repeat("ab", 32)}}}
}

// TestUnitReportThroughLink: the office issues a unit a link; the unit's
// report through it becomes a stored report with a receipt number and a
// signal for the duty officer, in one audited transaction; the link then
// works no more, and a revoked, expired or unknown link takes nothing.
func TestUnitReportThroughLink(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		u := testkit.Unit(1, "青神县人民政府办公室")
		testkit.AddUnit(t, env, u)
		svc := env.App.UnitReports
		l, tok, err := svc.IssueLink(ctx, duty, u.ID, 0)
		if err != nil || !unitreport.WellFormed(tok) || l.ExpiresAt != env.Clock.Now().UTC().Add(unitreport.DefaultValid) {
			t.Fatalf("issue: %v %q %+v", err, tok, l)
		}
		o, err := svc.Open(ctx, tok)
		if err != nil || o.State != unitreport.LinkOpen || o.UnitName != u.Name {
			t.Fatalf("open: %v %+v", err, o)
		}
		// Bad input names the field and changes nothing.
		before := testkit.AuditCount(t, env)
		bad := report()
		bad.Attachments[0].SHA256 = "not a hash"
		_, err = svc.Submit(ctx, tok, bad)
		testkit.WantField(t, err, "attachments")
		if o, _ := svc.Open(ctx, tok); o.State != unitreport.LinkOpen || testkit.AuditCount(t, env) != before {
			t.Fatal("a refused report used the link")
		}
		r, err := svc.Submit(ctx, tok, report())
		if err != nil {
			t.Fatal(err)
		}
		if r.Receipt != "2026-11-28-0001" || r.AlertID == 0 {
			t.Fatalf("receipt %q alert %d", r.Receipt, r.AlertID)
		}
		var a *signal.Alert
		env.DB.Read(ctx, func(q *store.Q) error { a, err = q.Alert(r.AlertID); return err })
		if a.Format != signal.FormatUnit || a.Status != signal.Firing || !strings.Contains(a.Title, u.Name) || !strings.Contains(a.Detail, "2026-11-28 08:30") ||
			!strings.Contains(a.Detail, "2026-11-28-0001") || a.Labels["unit_id"] == "" {
			t.Fatalf("alert: %+v", a)
		}
		if got := testkit.AuditCount(t, env) - before; got != 1 {
			t.Errorf("audit records %d", got)
		}
		// Used: a clear answer, with the receipt.
		_, err = svc.Submit(ctx, tok, report())
		testkit.WantCode(t, err, errs.Conflict)
		if o, _ := svc.Open(ctx, tok); o.State != unitreport.LinkUsed || o.Receipt != r.Receipt {
			t.Fatalf("used: %+v", o)
		}
		// The second report of the day is 0002.
		_, tok2, _ := svc.IssueLink(ctx, duty, u.ID, 48*time.Hour)
		if r2, err := svc.Submit(ctx, tok2, report()); err != nil || r2.Receipt != "2026-11-28-0002" {
			t.Fatalf("second: %v", err)
		}
		// Revoked.
		l3, tok3, _ := svc.IssueLink(ctx, duty, u.ID, 0)
		if err := svc.RevokeLink(ctx, duty, l3.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Submit(ctx, tok3, report())
		testkit.WantCode(t, err, errs.Conflict)
		if o, _ := svc.Open(ctx, tok3); o.State != unitreport.LinkRevoked {
			t.Fatalf("revoked: %+v", o)
		}
		testkit.WantCode(t, svc.RevokeLink(ctx, duty, l3.ID), errs.Conflict)
		// Expired.
		_, tok4, _ := svc.IssueLink(ctx, duty, u.ID, 2*time.Hour)
		env.Clock.Add(3 * time.Hour)
		if o, _ := svc.Open(ctx, tok4); o.State != unitreport.LinkExpired {
			t.Fatalf("expired: %+v", o)
		}
		// Unknown.
		_, err = svc.Open(ctx, unitreport.NewToken())
		testkit.WantCode(t, err, errs.NotFound)
		_, err = svc.Submit(ctx, "short", report())
		testkit.WantCode(t, err, errs.NotFound)
		// Who issues and who reads.
		officer := testkit.Officer(t, env, "clerk", "wangjian")
		_, _, err = svc.IssueLink(ctx, officer, u.ID, 0)
		testkit.WantCode(t, err, errs.Forbidden)
		_, _, err = svc.IssueLink(ctx, duty, u.ID, 400*24*time.Hour)
		testkit.WantField(t, err, "valid_days")
		other := testkit.OtherCounty(t, env)
		_, _, err = svc.IssueLink(ctx, other, u.ID, 0)
		testkit.WantField(t, err, "unit_id")
		if rs, err := svc.Reports(ctx, other); err != nil || len(rs) != 0 {
			t.Fatalf("another county reads our reports: %v %d", err, len(rs))
		}
		_, err = svc.Report(ctx, other, r.ID)
		testkit.WantCode(t, err, errs.NotFound)
		rs, err := svc.Reports(ctx, duty)
		if err != nil || len(rs) != 2 || rs[1].Attachments[0].Name != "截图.png" {
			t.Fatalf("reports: %v %+v", err, rs)
		}
		ls, _ := svc.Links(ctx, duty, u.ID)
		if len(ls) != 4 || ls[3].Receipt != r.Receipt {
			t.Fatalf("links: %+v", ls)
		}
		// A unit that reported stays in the registry.
		testkit.WantCode(t, env.App.Units.DeleteUnit(ctx, duty, u.ID), errs.Conflict)
		testkit.AuditCount(t, env)
	})
}

// TestSubmitNamesEveryField: a report wrong in several fields is refused
// with each field's error at once, and nothing is written.
func TestSubmitNamesEveryField(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		u := testkit.Unit(1, "青神县人民政府办公室")
		testkit.AddUnit(t, env, u)
		_, tok, err := env.App.UnitReports.IssueLink(ctx, duty, u.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		before := testkit.AuditCount(t, env)
		_, err = env.App.UnitReports.Submit(ctx, tok, &unitreport.Report{System: "门户网站",
			HappenedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ContactPhone: "abc"})
		var fields []string
		for _, e := range errs.FieldErrors(err) {
			fields = append(fields, e.Field)
		}
		if strings.Join(fields, " ") != "what happened_at contact_name contact_phone" || errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("fields %v (%v)", fields, err)
		}
		if o, _ := env.App.UnitReports.Open(ctx, tok); o.State != unitreport.LinkOpen || testkit.AuditCount(t, env) != before {
			t.Fatal("a refused report changed something")
		}
	})
}
