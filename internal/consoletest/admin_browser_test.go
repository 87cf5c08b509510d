package consoletest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSecondCountyInBrowser: a city with a second county is set up from the
// console alone. The city's system administrator creates 丹棱县公安局 (the
// shipped plan by default) and an account in it, the security administrator
// grants that account the duty officer's role, and the new duty officer logs
// in and registers an incident numbered with the county's code.
func TestSecondCountyInBrowser(t *testing.T) {
	env, base := browserEnv(t)
	city := itoa(env.Users["citydeputy"].OrgID)

	adm := uiBrowser(t, base, "admin")
	run(t, adm, "create the county",
		chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.CSS("#org-form")),
		chromedp.SendKeys(chromedp.CSS(`#org-form input[name="name"]`), "丹棱县公安局"),
		chromedp.SendKeys(chromedp.CSS(`#org-form input[name="code"]`), "DL"),
		chromedp.SetValue(chromedp.CSS(`#org-form select[name="parent_id"]`), city),
		chromedp.Click(chromedp.CSS(`#org-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)),
	)
	if flash := value(t, adm, chromedp.Text(chromedp.CSS(".flash.ok"))); !strings.Contains(flash, "丹棱县公安局") {
		t.Fatalf("flash %q", flash)
	}
	run(t, adm, "create an account in it",
		chromedp.WaitVisible(chromedp.CSS("#user-form")),
		chromedp.SetValue(chromedp.CSS(`#user-form select[name="org"]`), "丹棱县公安局"),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name="username"]`), "dlduty"),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name="display_name"]`), "刘值班"),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name="password"]`), "dl-password-2026"),
		chromedp.Click(chromedp.CSS(`#user-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#user-dlduty`)),
	)
	if roles := value(t, adm, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/roles"]').length`)); roles != 0 {
		t.Fatalf("the system administrator is offered %d role forms", roles)
	}

	sec := uiBrowser(t, base, "secadmin")
	run(t, sec, "grant the duty officer's role",
		chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.CSS("#user-dlduty summary")),
		chromedp.Click(chromedp.CSS("#user-dlduty summary")),
		chromedp.Click(chromedp.CSS(`#roles-dlduty input[value="duty_officer"]`)),
		chromedp.Click(chromedp.CSS(`#roles-dlduty button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)),
	)

	dl := chromium(t)
	uiLogin(t, dl, base, "dlduty", "dl-password-2026")
	uiRegister(t, dl, base, "丹棱县某单位网站被篡改", "4") // in the new county
	if page := value(t, dl, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(page, "DL-2026-001") {
		t.Fatalf("incident page lacks DL-2026-001:\n%s", page)
	}
}
