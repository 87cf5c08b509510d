package consoletest

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// TestSignalsReachTheQueue (issue 12), end to end on both databases: an
// Alertmanager webhook and a Suricata EVE batch over HTTP with their
// sources' keys, and an RFC 5424 message over syslog TCP, each committed
// before it is answered; the alert handler then matches them to the
// registry and the duty officer sees all three in the console's queue,
// the one on a key website first.
func TestSignalsReachTheQueue(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		base := newServer(t, env)
		duty := env.Users["duty"]
		site := &registry.Website{Name: "预约挂号系统", Domain: "guahao.qsyy.cn", IPs: []netip.Addr{netip.MustParseAddr("10.51.20.8")}, KeySite: true}
		testkit.UnitWebsite(t, env, testkit.Unit(3, "青神县人民医院"), site)
		key, ids := map[string]string{}, map[string]int64{}
		for _, f := range []string{"alertmanager", "suricata", "syslog"} {
			src, k, err := env.App.Intake.CreateSource(ctx, duty, duty.OrgID, "县局"+f, f)
			if err != nil {
				t.Fatal(err)
			}
			key[f], ids[f] = k, src.ID
		}
		send := func(format, body string) {
			t.Helper()
			req, _ := http.NewRequest("POST", base+"/api/v1/intake/"+format, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+key[format])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d", format, res.StatusCode)
			}
		}
		send("alertmanager", `{"version":"4","groupKey":"{}:{}","status":"firing","receiver":"yingji","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am",
"alerts":[{"status":"firing","labels":{"alertname":"SiteDown","instance":"guahao.qsyy.cn:443","severity":"critical"},"annotations":{"summary":"预约挂号系统无法访问"},
"startsAt":"2026-11-28T00:59:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom","fingerprint":"5f3c"}]}`)
		eve := `{"timestamp":"2026-11-28T09:01:02.123456+0800","event_type":"alert","src_ip":"203.0.113.9","src_port":51234,"dest_ip":"10.51.20.8","dest_port":80,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2011768,"rev":4,"signature":"ET WEB_SERVER PHP tags in HTTP POST","category":"Web Application Attack","severity":1}}
{"timestamp":"2026-11-28T09:01:03.000000+0800","event_type":"flow","src_ip":"203.0.113.9","dest_ip":"10.51.20.8"}
`
		send("suricata", eve+eve)

		// A firewall on syslog TCP, octet-counted (RFC 6587).
		src, err := env.App.Intake.SyslogSource(ctx, ids["syslog"])
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go env.App.Intake.ServeSyslogTCP(ctx, ln, src.ID)
		defer ln.Close()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		msg := `<34>1 2026-11-28T09:02:00+08:00 fw01 firewall - DENY - 防火墙阻断来自203.0.113.9的暴力破解`
		fmt.Fprintf(c, "%d %s", len(msg), msg)
		c.Close()
		deadline := time.Now().Add(20 * time.Second)
		for env.App.Intake.Counts().Accepted < 4 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}

		if r, err := env.App.Alerts.Tick(ctx, "t"); err != nil || r.Handled != 3 {
			t.Fatalf("handled %+v %v", r, err)
		}
		b := newBrowser(t, base)
		b.login("duty", testkit.Password)
		page := b.get("/alerts")
		for _, want := range []string{"预约挂号系统无法访问", "ET WEB_SERVER PHP tags in HTTP POST", "暴力破解"} {
			if !strings.Contains(page.Body, want) {
				t.Fatalf("the queue lacks %q:\n%.3000s", want, page.Body)
			}
		}
		if i, j := strings.Index(page.Body, "预约挂号系统无法访问"), strings.Index(page.Body, "暴力破解"); i > j {
			t.Fatal("the key website's alert is not above the firewall's")
		}
	})
}
