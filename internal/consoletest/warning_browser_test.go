package consoletest

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/testkit"
)

// TestBrowserWarning is issue 14's public warning in the browser: the duty
// officer drafts a yellow warning from a virus-outbreak incident on the
// console's form, the 组长 approves it on its page (with his second
// factor), the duty officer releases it, and a phone with no session (390
// px) reads it on the public page without sideways scrolling. With
// YINGJI_SCREENSHOTS=1 it writes docs/screenshots/public-warnings-*.png.
func TestBrowserWarning(t *testing.T) {
	env, base := browserEnv(t)
	in := testkit.NewIncident(t, env, "virus_outbreak")
	testkit.Activate(t, env, in)
	duty := uiBrowser(t, base, "duty")
	headline := "“勒索病毒”在我县传播 <b>请注意</b>"
	run(t, duty, "draft",
		chromedp.Navigate(base+"/incidents/"+itoa(in.ID)),
		chromedp.Click(chromedp.CSS(`main a[href="/incidents/`+itoa(in.ID)+`/warnings"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="incident"][value="`+itoa(in.ID)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#w-headline")),
		chromedp.SendKeys(chromedp.CSS("#w-headline"), headline),
		chromedp.SendKeys(chromedp.CSS("#w-description"), "近日我县多家单位计算机感染勒索病毒，文件被加密并被勒索比特币。"),
		chromedp.SendKeys(chromedp.CSS("#w-instruction"), "请及时安装系统补丁，不打开来历不明的邮件附件，重要数据离线备份。发现感染请立即断网并报警。"),
		chromedp.SendKeys(chromedp.CSS("#w-area"), "青神县"),
		chromedp.Click(chromedp.CSS(`form[action="/warnings"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	page := value(t, duty, chromedp.Location())
	if !strings.Contains(page, "/warnings/") || !strings.Contains(value(t, duty, chromedp.Text(chromedp.CSS("main h1"))), "请注意") {
		t.Fatalf("after draft at %s", page)
	}
	// Drafted on the incident: its page links to it, and its timeline says so.
	if !value(t, duty, chromedp.Evaluate[bool](`document.querySelector('main a[href="/incidents/`+itoa(in.ID)+`"]') !== null`)) {
		t.Fatal("the warning is not on its incident")
	}
	// The drafter has no approve button.
	if value(t, duty, chromedp.Evaluate[bool](`document.querySelector('form[action$="/approval"]') !== null`)) {
		t.Fatal("the drafter is offered approval")
	}
	chief := uiBrowser(t, base, "chief")
	run(t, chief, "approve",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/approval"] button`)),
		chromedp.SendKeys(chromedp.CSS("#note"), "同意发布"),
		chromedp.Click(chromedp.CSS(`form[action$="/approval"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)
	run(t, duty, "release",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/release"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/release"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash.ok")),
	)

	phone := chromium(t)
	run(t, phone, "public page",
		phoneScreen.emulate(),
		chromedp.Navigate(base+"/public/warnings"),
		chromedp.WaitVisible(chromedp.CSS("article.pw")),
	)
	text := value(t, phone, chromedp.Text(chromedp.CSS("article.pw")))
	if !strings.Contains(text, "黄色预警") || !strings.Contains(text, "<b>请注意</b>") || !strings.Contains(text, "发现感染请立即断网") {
		t.Fatalf("public page reads %q", text)
	}
	if wide := value(t, phone, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); wide {
		t.Fatal("the public page scrolls sideways at 390 px")
	}
	if os.Getenv("YINGJI_SCREENSHOTS") == "1" {
		screenshot(t, phone, base, "public-warnings", "/public/warnings")
		screenshot(t, duty, base, "warning", strings.TrimPrefix(page, base))
	}
}
