package consoletest

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// TestPhoneWidth opens every page a person reads on a phone at 390 px (an
// iPhone's width) and fails when the page is wider than the screen, naming
// the elements that stick out. Wide tables scroll inside their own box
// (.scroll), so only the page itself is measured.
func TestPhoneWidth(t *testing.T) {
	env, base := browserEnv(t)
	main, _ := seedScene(t, env)
	rep := seedReport(t, env, main.ID)
	v := testkit.View(t, env, main.ID)
	task := v.Tasks[0].ID
	u := testkit.Unit(7, "青神县人民医院")
	w := &registry.Website{Name: "青神县人民医院门户网站", Domain: "www.qsxrmyy.example.cn", URL: "https://www.qsxrmyy.example.cn/",
		ICP: "蜀ICP备12345678号-1", IPs: []netip.Addr{netip.MustParseAddr("10.51.20.8")}, KeySite: true}
	testkit.UnitWebsite(t, env, u, w)
	pages := map[string][]string{
		"duty": {"/", "/incidents", "/incidents/new", "/incidents/" + itoa(main.ID), "/incidents/" + itoa(main.ID) + "/tasks/" + itoa(task), "/reports/" + itoa(rep), "/plan", "/duty",
			"/registry", "/registry/units/" + itoa(u.ID), "/registry/units/" + itoa(u.ID) + "/edit", "/registry/list/websites",
			"/notices", "/incidents/" + itoa(main.ID) + "/notices", "/password",
			// the second wave: alerts, monitors, the units' channel, evidence, 通报, warnings
			"/alerts", "/monitors", "/unit-reports", "/incidents/" + itoa(main.ID) + "/evidence", "/bulletins",
			"/bulletins?incident=" + itoa(main.ID), "/warnings", "/incidents/" + itoa(main.ID) + "/warnings", "/public/warnings"},
		"citydeputy": {"/approvals", "/timeliness"},
		"admin":      {"/admin"},
	}
	for who, paths := range pages {
		b := uiBrowser(t, base, who)
		run(t, b, "phone", phoneScreen.emulate())
		for _, p := range paths {
			run(t, b, p, chromedp.Navigate(base+p), chromedp.WaitVisible(chromedp.CSS("main")))
			width := value(t, b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if width <= 390 {
				continue
			}
			// What sticks out: a box past the screen's edge, or text running
			// out of its box (a long hash, say).
			wide := value(t, b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("body *"))
				.filter(e => e.getBoundingClientRect().right > 391 ||
					(getComputedStyle(e).overflowX == "visible" && e.scrollWidth > e.clientWidth + 1))
				.slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") +
					" «" + (e.textContent || "").trim().slice(0, 24) + "» " + Math.round(e.getBoundingClientRect().right))`))
			t.Errorf("%s at 390 px is %d px wide; sticking out: %s", p, width, strings.Join(wide, "; "))
		}
	}
}
