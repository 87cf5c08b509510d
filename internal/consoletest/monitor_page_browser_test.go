package consoletest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// On a monitor's page the table of last checks and the settings card
// below it stand apart (they touched, the table's border on the card's),
// on a desktop and on a phone.
func TestMonitorPageTableApartFromSettings(t *testing.T) {
	env, base := browserEnv(t)
	site, _ := keySite(t, env)
	hb := loggedIn(t, base, "duty")
	r := hb.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "interval_minutes": {"10"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantStatus(t, hb.post(r.Location+"/check", nil), http.StatusSeeOther)
	b := uiBrowser(t, base, "duty")
	for _, s := range screens {
		run(t, b, s.name, s.emulate(), chromedp.Navigate(base+r.Location), chromedp.WaitVisible(chromedp.CSS("#h-set")))
		gap := value(t, b, chromedp.Evaluate[float64](`document.querySelector("#h-set").closest("section").getBoundingClientRect().top -
			document.querySelector("#h-results").closest("section").getBoundingClientRect().bottom`))
		if gap < 8 {
			t.Errorf("%s: the settings card is %v px below the checks' table", s.name, gap)
		}
	}
}
