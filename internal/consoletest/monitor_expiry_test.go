package consoletest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"yingji/internal/monitor"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// A certificate that has expired is not listed as 证书即将到期 above the
// words 证书已过期3天: the change is a certificate expiry (证书到期提醒),
// its detail says which, in the reader's language.
func TestMonitorExpiredCertificateChange(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	site, _ := keySite(t, env)
	base := newServer(t, env)
	b := loggedIn(t, base, "duty")
	r := b.post("/monitors", url.Values{"website_id": {itoa(site.ID)}, "interval_minutes": {"10"}})
	wantStatus(t, r, http.StatusSeeOther)
	id := mustID(t, strings.TrimPrefix(r.Location, "/monitors/"))
	m := &monitor.Monitor{ID: id, SiteName: site.Name, Domain: site.Domain, URL: site.URL}
	ev := monitor.Event{Kind: monitor.EvExpiring, Firing: true, Expired: true, DaysLeft: -3}
	sig := ev.Signal(m, env.Clock.Now())
	ch := &monitor.Change{At: env.Clock.Now(), Kind: string(ev.Kind), Firing: true,
		Detail: map[string]any{"title": sig.Title, "detail": sig.Detail, "days_left": ev.DaysLeft, "expired": true}}
	if err := env.DB.Write(ctx, func(tx *store.Tx) error { return tx.AddMonitorEvent(id, ch) }); err != nil {
		t.Fatal(err)
	}
	page := b.get(r.Location)
	wantBody(t, page, "<strong>证书到期提醒</strong> 证书已过期3天")
	en := loggedIn(t, base, "duty")
	en.get("/lang?to=en")
	// Read in the reader's language from the stored count.
	wantBody(t, en.get(r.Location), "<strong>Certificate expiry</strong> The certificate expired 3 days ago")
}
