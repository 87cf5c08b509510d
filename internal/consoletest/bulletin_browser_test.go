package consoletest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yingji/internal/bulletin"
	"yingji/internal/bulletins"
	"yingji/internal/registry"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// Issue 14 in a real browser at a phone's width (390 px), with no login: a
// unit opens its 通报 link (opening changes nothing), signs for it (签收),
// reports 已处置 with notes and an attachment whose SHA-256 the page
// computes (the file is not uploaded), and the office's table shows it; the
// link is then used up and says so.
func TestBrowserUnitAnswersBulletin(t *testing.T) {
	env, base := browserEnv(t)
	key := []byte("0123456789abcdef0123456789abcdef")
	svc := env.App.Bulletins
	svc.Key, svc.BaseURL = key, base
	county, err := env.App.Units.OrgIDByName(ctx, "青神县公安局")
	if err != nil {
		t.Fatal(err)
	}
	unit := &registry.Unit{Name: "青神县某科技有限公司", Kind: "企业", Region: "青城镇", CreditCode: registry.CreditCodeFor(1), ContactName: "李四", ContactPhone: "13800000001"}
	if err := env.App.Units.CreateUnit(ctx, user.System(), county, unit); err != nil {
		t.Fatal(err)
	}
	in := testkit.NewIncident(t, env, "virus_outbreak")
	b, err := svc.Draft(ctx, env.Users["duty"], bulletin.Input{IncidentID: in.ID, Title: "关于防范勒索病毒攻击的通报", Body: "近期我县发现勒索病毒感染情况。",
		Actions: "立即排查本单位主机。", Deadline: env.Clock.Now().Add(48 * time.Hour), Contact: "张值班", Phone: "028-38800000"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Sign(ctx, env.Users["chief"], b.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Send(ctx, env.Users["duty"], b.ID, bulletin.Selector{UnitIDs: []int64{unit.ID}}, bulletins.Expect{Units: 1}); err != nil {
		t.Fatal(err)
	}
	tab, err := svc.Table(ctx, env.Users["duty"], b.ID, bulletin.TableFilter{})
	if err != nil || len(tab.Rows) != 1 {
		t.Fatalf("table: %v", err)
	}
	link := base + bulletin.LinkPath(key, tab.Rows[0])

	file := filepath.Join(t.TempDir(), "处置记录.txt")
	content := []byte("已隔离感染主机2台，已修补漏洞。\n")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	want := hex.EncodeToString(sum[:])

	phone := chromium(t)
	run(t, phone, "open link", chromedp.EmulateViewport(390, 844), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#bl-receive button")))
	if w := value(t, phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Fatalf("page is %d px wide at 390", w)
	}
	txt := value(t, phone, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(txt, "关于防范勒索病毒攻击的通报") || !strings.Contains(txt, "青神县某科技有限公司") || strings.Contains(txt, in.Number) {
		t.Fatalf("page:\n%s", txt)
	}
	if tab, _ := svc.Table(ctx, env.Users["duty"], b.ID, bulletin.TableFilter{}); tab.Counts.Received != 0 {
		t.Fatal("opening the link signed for it")
	}
	run(t, phone, "receive", chromedp.Click(chromedp.CSS("#bl-receive button")), chromedp.WaitVisible(chromedp.CSS("#bl-received")))
	run(t, phone, "answer",
		chromedp.Click(chromedp.CSS(`input[name=answer][value=mitigated]`)),
		chromedp.SendKeys(chromedp.CSS("#bl-notes"), "已隔离感染主机2台"),
		chromedp.SetUploadFiles(chromedp.CSS("#bl-files"), []string{file}),
		chromedp.WaitVisible(chromedp.CSS(`#bl-files[data-hashed="1"]`)),
	)
	if got := value(t, phone, chromedp.Evaluate[string](`document.getElementById("bl-attachments").value`)); got != want+" 处置记录.txt" {
		t.Fatalf("hash field %q, want %s", got, want)
	}
	run(t, phone, "submit", chromedp.Click(chromedp.CSS("#bl-answer button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("#bl-answered")))
	txt = value(t, phone, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(txt, "已处置") || !strings.Contains(txt, want) || !strings.Contains(txt, "该链接已使用") {
		t.Fatalf("after answering:\n%s", txt)
	}

	tab, err = svc.Table(ctx, env.Users["duty"], b.ID, bulletin.TableFilter{})
	if err != nil {
		t.Fatal(err)
	}
	r := tab.Rows[0]
	if tab.Counts.Done != 1 || r.Answer != bulletin.Mitigated || r.ReceivedAt == nil || len(r.Attachments) != 1 || r.Attachments[0].SHA256 != want {
		t.Fatalf("office's table: %+v %+v", tab.Counts, r)
	}
}
