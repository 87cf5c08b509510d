package consoletest

import (
	"net/http"
	"strconv"
	"testing"

	"yingji/internal/alertrule"
	"yingji/internal/i18n"
	"yingji/internal/signal"
	"yingji/internal/testkit"
	"yingji/internal/user"
)

// TestAlertPageNamesItsSource: an alert's page says where it came from in
// words: the format's name and the intake source by its name, marked once
// the source is revoked; in zh-CN and English. Every format has a name.
func TestAlertPageNamesItsSource(t *testing.T) {
	for _, f := range []string{signal.FormatAlertmanager, signal.FormatSuricata, signal.FormatJSON, signal.FormatSyslog,
		signal.FormatMonitor, signal.FormatUnit} {
		if k := "src.fmt." + f; !i18n.Has(k) {
			t.Errorf("format %s has no name (%s)", f, k)
		}
	}
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := env.Users["duty"]
		src, key, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "县局监控平台", signal.FormatAlertmanager)
		if err != nil {
			t.Fatal(err)
		}
		if st := sendWebhook(t, base, key); st != http.StatusOK {
			t.Fatalf("webhook: %d", st)
		}
		q, err := env.App.Alerts.List(ctx, duty, duty.OrgID, alertrule.Filter{})
		if err != nil || len(q.Items) != 1 {
			t.Fatalf("queue: %v %v", q, err)
		}
		page := "/alerts/" + strconv.FormatInt(q.Items[0].ID, 10)
		b := loggedIn(t, base, "duty")
		wantBody(t, b.get(page), `<dt>来源</dt><dd id="alert-source">Prometheus 告警（Alertmanager）：县局监控平台</dd>`)

		if _, err := env.App.Intake.RevokeSource(ctx, duty, src.ID); err != nil {
			t.Fatal(err)
		}
		wantBody(t, b.get(page), `id="alert-source">Prometheus 告警（Alertmanager）：县局监控平台（接入源已吊销）</dd>`)
		tok, err := env.App.Accounts.IssueToken(ctx, user.System(), "duty", "source", 0)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Source struct {
				ID      int64  `json:"id"`
				Name    string `json:"name"`
				Revoked bool   `json:"revoked"`
			} `json:"source"`
		}
		apiGet(t, base+"/api/v1"+page, tok, &got)
		if got.Source.ID != src.ID || got.Source.Name != "县局监控平台" || !got.Source.Revoked {
			t.Fatalf("API source: %+v", got.Source)
		}
		b.get("/lang?to=en")
		wantBody(t, b.get(page), `<dt>Came from</dt><dd id="alert-source">Prometheus alerts (Alertmanager): 县局监控平台 (source revoked since)</dd>`)
	})
}
