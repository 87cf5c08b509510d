package warnings_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/incident"
	"yingji/internal/report"
	"yingji/internal/testkit"
	"yingji/internal/user"
	"yingji/internal/warning"
	"yingji/internal/warnings"
)

var ctx = context.Background()

func yellow(incidentID int64, now time.Time) warnings.Input {
	return warnings.Input{IncidentID: incidentID, Level: "yellow", Headline: "“勒索病毒”在我县传播",
		Description: "近日我县多家单位计算机感染勒索病毒，文件被加密。", Instruction: "请及时安装系统补丁，不打开来历不明的邮件附件，重要数据离线备份。",
		Area: "青神县", Effective: now, Expires: now.Add(72 * time.Hour)}
}

// validateCAP checks a CAP document with xmllint against the OASIS schema
// when xmllint is installed (CI installs it; internal/warning tests it).
func validateCAP(t *testing.T, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		return
	}
	f := filepath.Join(t.TempDir(), "cap.xml")
	os.WriteFile(f, doc, 0o600)
	if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", "../warning/testdata/CAP-v1.2.xsd", f).CombinedOutput(); err != nil {
		t.Fatalf("CAP does not validate: %v\n%s\n%s", err, out, doc)
	}
}

// TestWarningDoneWhen is issue 14's path for public warnings on both
// databases: a virus-outbreak incident; a yellow warning drafted by the
// duty officer, refused release unapproved, refused approval by its
// drafter, a member, the city; approved by the 组长; released once; shown
// on the public page, the feed and as CAP; updated; cancelled; gone from
// the page; an update drafted before the cancellation refused; the daily
// report's draft counts it; an outsider sees nothing.
func TestWarningDoneWhen(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty, chief, deputy, member, city := env.Users["duty"], env.Users["chief"], env.Users["deputy"], env.Users["xingjing"], env.Users["citydeputy"]
		in := testkit.NewIncident(t, env, "virus_outbreak")
		testkit.Activate(t, env, in)
		now := env.Clock.Now()
		audits := testkit.AuditCount(t, env)

		m, err := env.App.Warnings.Draft(ctx, duty, yellow(in.ID, now))
		if err != nil {
			t.Fatal(err)
		}
		if m.Event == "" {
			t.Fatalf("event %q", m.Event)
		}
		// The approvers are asked; the drafter and the city are not.
		for name, want := range map[string]bool{"chief": true, "deputy": true, "duty": false, "citydeputy": false} {
			box, err := env.App.Notices.Mine(ctx, env.Users[name], 100)
			if err != nil {
				t.Fatal(err)
			}
			got := false
			for _, n := range box.Items {
				got = got || n.Kind == "warning_approval_requested"
			}
			if got != want {
				t.Errorf("%s asked to approve: %v, want %v", name, got, want)
			}
		}
		_, err = env.App.Warnings.Release(ctx, duty, m.ID)
		testkit.WantKey(t, err, errs.Conflict, "error.warning_not_approved")
		_, err = env.App.Warnings.Approve(ctx, duty, m.ID, "")
		testkit.WantCode(t, err, errs.Forbidden)
		for _, u := range []string{"xingjing", "citydeputy"} {
			_, err = env.App.Warnings.Approve(ctx, env.Users[u], m.ID, "")
			testkit.WantKey(t, err, errs.Forbidden, "error.not_approver")
		}
		_ = member
		_ = city
		if _, err := env.App.Warnings.Approve(ctx, chief, m.ID, "同意发布"); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Warnings.Approve(ctx, deputy, m.ID, "")
		testkit.WantKey(t, err, errs.Conflict, "error.warning_approved_already")
		env.Clock.Add(5 * time.Minute)
		if m, err = env.App.Warnings.Release(ctx, duty, m.ID); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Warnings.Release(ctx, duty, m.ID)
		testkit.WantKey(t, err, errs.Conflict, "error.warning_released_already")
		if got := testkit.AuditCount(t, env) - audits; got != 3 {
			t.Fatalf("%d audit records, want 3 (draft, approve, release)", got)
		}

		pub, err := env.App.Warnings.Public(ctx)
		if err != nil || len(pub.Warnings) != 1 || pub.Warnings[0].ID != m.ID || pub.Warnings[0].OrgName != "青神县公安局" {
			t.Fatalf("public: %v %+v", err, pub)
		}
		feed, err := pub.Feed("网络安全预警信息", "/public/warnings.atom", "/public/warnings")
		if err != nil || !strings.Contains(string(feed), "urn:uuid:"+m.ThreadUUID) || !strings.Contains(string(feed), "【黄色预警】") {
			t.Fatalf("feed: %v\n%s", err, feed)
		}
		doc, _, err := env.App.Warnings.CAP(ctx, m.UUID)
		if err != nil || !strings.Contains(string(doc), "<msgType>Alert</msgType>") {
			t.Fatalf("cap: %v\n%s", err, doc)
		}
		validateCAP(t, doc)

		// An update: a new message, approved by the deputy, released.
		env.Clock.Add(time.Hour)
		up, err := env.App.Warnings.Revise(ctx, duty, m.ID, "update", warnings.Input{Level: "orange", Description: "病毒感染范围扩大，已波及30余家单位。"})
		if err != nil {
			t.Fatal(err)
		}
		if up.ThreadUUID != m.ThreadUUID || up.UUID == m.UUID || up.Headline != m.Headline || up.Level != warning.Orange {
			t.Fatalf("update %+v", up)
		}
		// A second update drafted now is released after the cancellation: refused.
		late, err := env.App.Warnings.Revise(ctx, duty, m.ID, "update", warnings.Input{Description: "再次更新"})
		if err != nil {
			t.Fatal(err)
		}
		mustApprove(t, env, deputy, up.ID)
		if _, err := env.App.Warnings.Release(ctx, duty, up.ID); err != nil {
			t.Fatal(err)
		}
		pub, _ = env.App.Warnings.Public(ctx)
		if len(pub.Warnings) != 1 || pub.Warnings[0].ID != up.ID || pub.Warnings[0].Level != warning.Orange {
			t.Fatalf("after update: %+v", pub.Warnings)
		}
		doc, _, err = env.App.Warnings.CAP(ctx, up.UUID)
		if err != nil || !strings.Contains(string(doc), "<msgType>Update</msgType>") || !strings.Contains(string(doc), ","+m.UUID+",") {
			t.Fatalf("update cap: %v\n%s", err, doc)
		}
		validateCAP(t, doc)
		mustApprove(t, env, chief, late.ID)
		_, err = env.App.Warnings.Release(ctx, duty, late.ID)
		testkit.WantKey(t, err, errs.Conflict, "error.warning_superseded")

		// The cancellation.
		_, err = env.App.Warnings.Revise(ctx, duty, up.ID, "cancel", warnings.Input{})
		testkit.WantField(t, err, "description")
		c, err := env.App.Warnings.Revise(ctx, duty, up.ID, "cancel", warnings.Input{Description: "病毒传播已得到控制。"})
		if err != nil {
			t.Fatal(err)
		}
		late2, err := env.App.Warnings.Revise(ctx, duty, up.ID, "update", warnings.Input{Description: "解除前起草的更新"})
		if err != nil {
			t.Fatal(err)
		}
		mustApprove(t, env, chief, c.ID)
		mustApprove(t, env, chief, late2.ID)
		if _, err := env.App.Warnings.Release(ctx, duty, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = env.App.Warnings.Release(ctx, duty, late2.ID)
		testkit.WantKey(t, err, errs.Conflict, "error.warning_cancelled")
		_, err = env.App.Warnings.Revise(ctx, duty, up.ID, "update", warnings.Input{Description: "x"})
		testkit.WantKey(t, err, errs.Conflict, "error.warning_cancelled")
		pub, _ = env.App.Warnings.Public(ctx)
		if len(pub.Warnings) != 0 {
			t.Fatalf("cancelled warning still public: %+v", pub.Warnings)
		}
		feed, _ = pub.Feed("网络安全预警信息", "/public/warnings.atom", "/public/warnings")
		if strings.Count(string(feed), "<entry>") != 1 || !strings.Contains(string(feed), "解除：") {
			t.Fatalf("feed after cancel:\n%s", feed)
		}
		doc, _, err = env.App.Warnings.CAP(ctx, c.UUID)
		if err != nil || !strings.Contains(string(doc), "<msgType>Cancel</msgType>") || !strings.Contains(string(doc), m.UUID) || !strings.Contains(string(doc), up.UUID) {
			t.Fatalf("cancel cap: %v\n%s", err, doc)
		}
		validateCAP(t, doc)
		// A draft is never public.
		_, _, err = env.App.Warnings.CAP(ctx, late2.UUID)
		testkit.WantCode(t, err, errs.NotFound)

		// The timeline carries each step; the daily report's draft counts them.
		tl, err := env.App.Incidents.Timeline(ctx, duty, in.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[incident.EntryKind]int{}
		for _, e := range tl {
			kinds[e.Kind]++
		}
		if kinds[event.KindWarningReleased] != 3 || kinds[event.KindWarningApproved] != 5 || kinds[event.KindWarningDrafted] != 5 {
			t.Fatalf("timeline %v", kinds)
		}
		r, err := env.App.Reports.CreateReport(ctx, duty, in.ID, report.Daily)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Fields.Measures, "向社会发布预警信息1条，更新1次，解除1条。") {
			t.Fatalf("daily draft: %s", r.Fields.Measures)
		}

		// Need-to-know: another county's officer learns nothing.
		other := testkit.OtherCounty(t, env)
		_, err = env.App.Warnings.Get(ctx, other, m.ID)
		testkit.WantCode(t, err, errs.NotFound)
		_, err = env.App.Warnings.Draft(ctx, other, yellow(in.ID, env.Clock.Now()))
		testkit.WantCode(t, err, errs.NotFound)
		list, err := env.App.Warnings.List(ctx, other, 0)
		if err != nil || len(list) != 0 {
			t.Fatalf("outsider lists %d", len(list))
		}
		v, err := env.App.Warnings.Get(ctx, duty, m.ID)
		if err != nil || len(v.Thread) != 5 || v.Status != warning.Superseded {
			t.Fatalf("view: %v %+v", err, v)
		}
	})
}

func mustApprove(t *testing.T, env *testkit.Env, u *user.User, id int64) {
	t.Helper()
	if _, err := env.App.Warnings.Approve(ctx, u, id, ""); err != nil {
		t.Fatal(err)
	}
}

// TestPublicURL: with the public address set, the feed's links are absolute
// (feed readers resolve no relative links) and CAP senders are at its domain.
func TestPublicURL(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		in := testkit.NewIncident(t, env, "virus_outbreak")
		testkit.Activate(t, env, in)
		m, err := env.App.Warnings.Draft(ctx, duty, yellow(in.ID, env.Clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		m = testkit.ReleaseWarning(t, env, m.ID)
		env.App.Warnings.PublicURL, env.App.Warnings.Domain = "https://gaj.qingshen.gov.cn/", "gaj.qingshen.gov.cn"
		pub, err := env.App.Warnings.Public(ctx)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := pub.Feed("网络安全预警信息", "/public/warnings.atom", "/public/warnings")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			`href="https://gaj.qingshen.gov.cn/public/warnings.atom"`,
			`href="https://gaj.qingshen.gov.cn/public/warnings#w-` + m.ThreadUUID + `"`,
			`href="https://gaj.qingshen.gov.cn/public/warnings/` + m.UUID + `/cap"`,
		} {
			if !strings.Contains(string(feed), want) {
				t.Errorf("feed lacks %s:\n%s", want, feed)
			}
		}
		doc, _, err := env.App.Warnings.CAP(ctx, m.UUID)
		if err != nil || !strings.Contains(string(doc), "@gaj.qingshen.gov.cn</sender>") {
			t.Fatalf("cap sender: %v\n%s", err, doc)
		}
		validateCAP(t, doc)
	})
}
