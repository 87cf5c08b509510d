package consoletest

import (
	"html"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"yingji/internal/testkit"
)

var (
	echoRe      = regexp.MustCompile(`<pre class="example">(echo [^<]+)</pre>`)
	alertLinkRe = regexp.MustCompile(`href="/alerts/(\d+)"`)
)

// The test lines the sources page hands out, run as pasted, make an alert
// at the time they were sent: they read no （设备时间：…） note, which is
// for a device whose clock is wrong (the lines carried 2026-01-01, over 30
// days old, so every first test alert had it).
func TestSourceExamplesCarryNow(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	env := testkit.Open(t, "sqlite")
	base := newServer(t, env)
	b := loggedIn(t, base, "duty")
	for _, c := range []struct {
		format string
		re     *regexp.Regexp
	}{{"alertmanager", curlRe}, {"syslog", echoRe}} {
		r := b.post("/intake/sources", url.Values{"name": {"测试" + c.format}, "format": {c.format}})
		wantStatus(t, r, http.StatusCreated)
		m := c.re.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("%s: no test line", c.format)
		}
		out, err := exec.Command("sh", "-c", html.UnescapeString(m[1])).CombinedOutput()
		if err != nil || !strings.Contains(string(out), `"accepted":1`) {
			t.Fatalf("%s: the page's line: %v %s", c.format, err, out)
		}
	}
	q := alertLinkRe.FindAllStringSubmatch(b.get("/alerts").Body, -1)
	if len(q) != 2 {
		t.Fatalf("%d alerts on the queue, want the two tests", len(q))
	}
	for _, m := range q {
		if a := b.get("/alerts/" + m[1]); strings.Contains(a.Body, "设备时间") {
			t.Errorf("alert %s: the test alert is marked as from a device with a wrong clock", m[1])
		}
	}
}
