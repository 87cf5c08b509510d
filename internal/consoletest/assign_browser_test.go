package consoletest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/testkit"
)

// TestBrowserLeaderActivatesNetworkAttack: 四(三)1 "敏感时期和重要会议、活动期间,
// 本地互联网遭到网络攻击,启动预案". Duty registers the attack and asks the
// leading group; the county's 组长 decides on the incident page, worded as a
// decision of the leading group; the tasks (赶赴现场 first) show at once and
// the timeline says the city was informed.
func TestBrowserLeaderActivatesNetworkAttack(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	duty, chief := chromium(t), chromium(t)

	uiLogin(t, duty, base, "duty", testkit.Password)
	run(t, duty, "register",
		chromedp.Navigate(base+"/incidents/new"),
		chromedp.WaitVisible(chromedp.CSS("#title")),
		chromedp.SendKeys(chromedp.CSS("#title"), "重要会议期间县政府门户网站遭受攻击"),
		chromedp.SetValue(chromedp.CSS("#category"), "network_attack"),
		chromedp.SetValue(chromedp.CSS("#level"), "2"),
		chromedp.Click(chromedp.CSS(`form[action="/incidents"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#activation-form")),
	)
	if h := value(t, duty, chromedp.Text(chromedp.CSS("#activation-form h3"))); !strings.Contains(h, "提请领导小组决定启动") {
		t.Fatalf("activation form worded %q", h)
	}
	url := value(t, duty, chromedp.Location())
	run(t, duty, "ask the leading group",
		chromedp.SendKeys(chromedp.CSS("#act-reason"), "重要会议期间门户网站遭攻击"),
		chromedp.Click(chromedp.CSS("#activation-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-status="activation_requested"]`)),
	)

	uiLogin(t, chief, base, "chief", testkit.Password)
	run(t, chief, "open the incident",
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#decide-form")),
	)
	if h := value(t, chief, chromedp.Text(chromedp.CSS("#decide-form h3"))); !strings.Contains(h, "领导小组决定启动") {
		t.Fatalf("decision form worded %q", h)
	}
	run(t, chief, "decide",
		chromedp.SendKeys(chromedp.CSS("#opinion"), "立即启动预案，网监科赶赴现场"),
		chromedp.Click(chromedp.CSS(`#decide-form button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-status="active"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-task-status="todo"]`)),
	)
	body := value(t, chief, chromedp.Text(chromedp.CSS("body")))
	for _, want := range []string{"赶赴案(事)发网站现场", "已报告市局", "立即启动预案，网监科赶赴现场"} {
		if !strings.Contains(body, want) {
			t.Fatalf("page lacks %q:\n%s", want, body)
		}
	}
}
