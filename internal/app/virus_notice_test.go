package app_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"yingji/internal/bulletin"
	"yingji/internal/bulletins"
	"yingji/internal/channel/chantest"
	"yingji/internal/delivery"
	"yingji/internal/demo"
	"yingji/internal/incidents"
	"yingji/internal/report"
	"yingji/internal/testkit"
	"yingji/internal/warnings"
)

var unitLink = regexp.MustCompile(`/b/([0-9a-z]+\.[A-Za-z0-9_-]+)`)

// Issue 14's walk on the demo world, both databases: a virus outbreak
// (四(四)) gives a signed 通报 to the demo units, delivered by SMS with each
// unit's link; a unit confirms and reports what it did; the office's table
// shows it. A yellow public warning is approved, released with its CAP
// message, updated and cancelled. The summary draft states both.
func TestVirusOutbreakNoticeAndWarning(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		if err := demo.World(ctx, env.App, env.Plan); err != nil {
			t.Fatal(err)
		}
		duty, chief, city := env.Users["duty"], env.Users["chief"], env.Users["citydeputy"]
		in := testkit.NewIncident(t, env, "virus_outbreak")
		testkit.Activate(t, env, in)

		// 通报: drafted, signed by the 组长 (never its author), sent to every
		// demo unit, delivered by SMS with each unit's own link.
		gw := chantest.SMSGateway("tok")
		defer gw.Close()
		env.App.Bulletins.Key, env.App.Bulletins.BaseURL = chantest.LinkKey, "http://10.51.1.5"
		b, err := env.App.Bulletins.Draft(ctx, duty, bulletin.Input{IncidentID: in.ID, Title: "关于防范勒索病毒攻击的通报",
			Body: "近日，我县多家单位办公终端感染勒索病毒，文件被加密。", Actions: "立即排查本单位终端，隔离感染主机，及时报告。",
			Deadline: env.Clock.Now().Add(48 * time.Hour), Contact: "张值班", Phone: "028-38800001"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Bulletins.Sign(ctx, chief, b.ID); err != nil {
			t.Fatal(err)
		}
		sel := bulletin.Selector{Kinds: []string{"党政机关", "医院", "IDC"}}
		pre, err := env.App.Bulletins.Preview(ctx, duty, b.ID, sel)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := env.App.Bulletins.Send(ctx, duty, b.ID, sel, bulletins.Expect{Units: pre.Units}); err != nil {
			t.Fatal(err)
		}
		w := &delivery.Worker{DB: env.DB, Channels: chantest.SMSSet(gw, "tok", chantest.LinkKey)}
		for i := 0; i < 5; i++ {
			if _, err := w.Step(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var tok string
		for _, text := range gw.Texts() {
			if m := unitLink.FindStringSubmatch(text); m != nil && tok == "" {
				tok = m[1]
			}
		}
		if pre.Units < 3 || tok == "" {
			t.Fatalf("sent to %d units; texts %q", pre.Units, gw.Texts())
		}
		// The unit, from its link: 签收, then what it did.
		if err := env.App.Bulletins.Receive(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if err := env.App.Bulletins.Answer(ctx, tok, bulletin.Reply{Answer: bulletin.Mitigated, Notes: "已隔离感染终端2台，备份完好。"}); err != nil {
			t.Fatal(err)
		}
		tab, err := env.App.Bulletins.Table(ctx, duty, b.ID, bulletin.TableFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if tab.Counts.Units != pre.Units || tab.Counts.Received != 1 || tab.Counts.Done != 1 {
			t.Fatalf("table counts %+v", tab.Counts)
		}

		// The public warning: yellow, approved by the 组长, released with its
		// CAP message; then an update and a cancellation, each approved.
		msg, err := env.App.Warnings.Draft(ctx, duty, warnings.Input{IncidentID: in.ID, Level: "yellow", Event: "勒索病毒",
			Headline: "关于防范勒索病毒的黄色预警", Description: "我县多家单位终端感染勒索病毒。", Instruction: "请及时更新系统补丁，不要打开来历不明的邮件附件。",
			Area: "青神县", Expires: env.Clock.Now().Add(72 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		testkit.ReleaseWarning(t, env, msg.ID)
		cap, _, err := env.App.Warnings.CAP(ctx, msg.UUID)
		if err != nil || !strings.Contains(string(cap), "<msgType>Alert</msgType>") || !strings.Contains(string(cap), "黄色预警") {
			t.Fatalf("CAP %v:\n%s", err, cap)
		}
		up, err := env.App.Warnings.Revise(ctx, duty, msg.ID, "update", warnings.Input{Description: "感染范围扩大到五家单位。"})
		if err != nil {
			t.Fatal(err)
		}
		testkit.ReleaseWarning(t, env, up.ID)
		cancel, err := env.App.Warnings.Revise(ctx, duty, up.ID, "cancel", warnings.Input{Description: "病毒传播已得到控制。"})
		if err != nil {
			t.Fatal(err)
		}
		testkit.ReleaseWarning(t, env, cancel.ID)
		if pub, err := env.App.Warnings.Public(ctx); err != nil || len(pub.Warnings) != 0 {
			t.Fatalf("public after the cancellation: %+v %v", pub, err)
		}

		// Terminated, the summary draft says what went to whom.
		testkit.CloseOpenTasks(t, env, duty, in.ID, "本次事件不涉及")
		a, err := env.App.Incidents.RequestTermination(ctx, duty, in.ID, "病毒传播已得到控制")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Incidents.Decide(ctx, city, a.ID, incidents.Decision{Approve: true, Opinion: "同意终止。"}); err != nil {
			t.Fatal(err)
		}
		sum, err := env.App.Reports.CreateReport(ctx, duty, in.ID, report.Summary)
		if err != nil {
			t.Fatal(err)
		}
		body := sum.Body
		for _, want := range []string{"关于防范勒索病毒攻击的通报", "已签收1个", "向社会发布预警信息1条"} {
			if !strings.Contains(body, want) {
				t.Fatalf("summary draft lacks %q:\n%s", want, body)
			}
		}
	})
}
