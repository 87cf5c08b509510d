package consoletest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"yingji/internal/testkit"
)

// forgedHost sends every request with another Host header than the
// server's address, as a browser or a proxy may.
type forgedHost string

func (h forgedHost) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Host = string(h)
	return http.DefaultTransport.RoundTrip(r)
}

var (
	linkURLRe = regexp.MustCompile(`id="new-link" href="([^"]*)/u/[A-Za-z0-9_-]{43}"`)
	loggerRe  = regexp.MustCompile(`<pre class="example">logger --server (\S+) `)
)

// The absolute addresses the console hands out (the link a unit is sent,
// the sources page's webhook address, curl line and syslog host) start
// with serve --public-url when it is set, whatever Host the request
// carried; without it they are on the host the request came by, as
// before. One database: the addresses are made without it.
func TestPublicURLInLinks(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	site, _ := keySite(t, env)
	b := loggedIn(t, base, "duty")
	b.c.Transport = forgedHost("forged.example:8443")
	issue := func(name string) (link, curl, logger string) {
		t.Helper()
		r := b.post("/unit-links", url.Values{"unit_id": {itoa(site.UnitID)}, "valid_days": {"7"}})
		wantStatus(t, r, http.StatusOK)
		m := linkURLRe.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no link shown:\n%s", r.Body)
		}
		link = m[1]
		r = b.post("/intake/sources", url.Values{"name": {name + "告警"}, "format": {"alertmanager"}})
		wantStatus(t, r, http.StatusCreated)
		c := curlRe.FindStringSubmatch(r.Body)
		if c == nil {
			t.Fatal("no curl example")
		}
		if !strings.Contains(r.Body, "url: "+strings.Fields(c[1])[4]) {
			t.Errorf("the webhook configuration and the curl line name other addresses:\n%s", r.Body)
		}
		r = b.post("/intake/sources", url.Values{"name": {name + "防火墙"}, "format": {"syslog"}})
		wantStatus(t, r, http.StatusCreated)
		l := loggerRe.FindStringSubmatch(r.Body)
		if l == nil {
			t.Fatal("no logger example")
		}
		return link, c[1], l[1]
	}

	// Without --public-url: the request's host, forged or not.
	link, curl, logger := issue("甲")
	if link != "http://forged.example:8443" || !strings.Contains(curl, " http://forged.example:8443/api/v1/intake/alertmanager ") || logger != "forged.example" {
		t.Errorf("without a public URL: link %q, curl %q, logger %q", link, curl, logger)
	}

	// With it: the public address, never the forged host.
	env.App.PublicURL = "https://gaj.qingshen.gov.cn/yingji"
	link, curl, logger = issue("乙")
	if link != "https://gaj.qingshen.gov.cn/yingji" || !strings.Contains(curl, " https://gaj.qingshen.gov.cn/yingji/api/v1/intake/alertmanager ") ||
		logger != "gaj.qingshen.gov.cn" || strings.Contains(curl, "forged") {
		t.Errorf("with a public URL: link %q, curl %q, logger %q", link, curl, logger)
	}
}
