package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"

	"yingji/internal/i18n"
)

// Texts as Go 1.26's net/http, net, crypto/tls and crypto/x509 wrote them
// for real failures (internal/monitors TestFailureReasons makes most of
// them against servers of its own), as earlier versions stored them
// (whitespace collapsed, cut at 300 bytes), and a few from the field that
// a test machine cannot make (no route, a resolver that times out).
func TestReason(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", ""},
		{"   ", ""},
		{`Get "http://127.0.0.1:34499/": dial tcp 127.0.0.1:34499: connect: connection refused`, ReasonRefused},
		{`Get "https://x": dial tcp 10.0.0.5:443: connect: connection refused`, ReasonRefused},
		{`Get "http://127.0.0.1:32973/": net/http: timeout awaiting response headers (Client.Timeout exceeded while awaiting headers)`, ReasonTimeout},
		{`Get "https://www.qingshen.gov.cn/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, ReasonTimeout},
		{`Get "https://127.0.0.1:32973/": net/http: TLS handshake timeout`, ReasonTimeout},
		{`Get "http://[2001:db8::1]:80/": dial tcp [2001:db8::1]:80: i/o timeout`, ReasonTimeout},
		{`context deadline exceeded (Client.Timeout or context cancellation while reading body)`, ReasonTimeout},
		{`Get "http://nosuch.invalid/": dial tcp: lookup nosuch.invalid on 10.255.255.53:53: no such host`, ReasonDNS},
		{`lookup x.gov.cn on 127.0.0.53:53: no such host`, ReasonDNS},
		// The resolver's own socket refused or timed out: still a DNS fault.
		{`Get "http://a.gov.cn/": dial tcp: lookup a.gov.cn on 10.51.0.53:53: read udp 127.0.0.1:39254->10.51.0.53:53: read: connection refused`, ReasonDNS},
		{`lookup a.gov.cn on 10.51.0.53:53: read udp 10.51.1.2:40488->10.51.0.53:53: i/o timeout`, ReasonDNS},
		{`lookup a.gov.cn on 10.51.0.53:53: server misbehaving`, ReasonDNS},
		{`Get "https://127.0.0.1:41001/": x509: certificate has expired or is not yet valid: current time 2026-11-30T18:00:00+08:00 is after 2026-11-29T10:00:00Z`, ReasonCertExpired},
		{`tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-30T10:00:00Z is after 2026-01-01T00:00:00Z`, ReasonCertExpired},
		{`Get "https://a/": x509: certificate has expired or is not yet valid: current time 2026-11-30T10:00:00Z is before 2027-01-01T00:00:00Z`, ReasonCertNotYet},
		{`Get "https://localhost:39137": x509: certificate is valid for example.com, *.example.com, not localhost`, ReasonCertName},
		{`Get "https://127.0.0.1:1/": x509: certificate is valid for 127.0.0.2, not 127.0.0.1`, ReasonCertName},
		// A name with "dns" in it is not a DNS fault.
		{`Get "https://dns.qingshen.gov.cn/": tls: failed to verify certificate: x509: certificate is valid for dns.qingshen.gov.cn, not www.qingshen.gov.cn`, ReasonCertName},
		{`Get "http://10.0.0.9/": dial tcp 10.0.0.9:80: connect: connection refused (dnsmasq)`, ReasonRefused},
		{`Get "https://a/": x509: certificate is not valid for any names, but wanted to match a`, ReasonCertName},
		{`Get "https://127.0.0.1/": x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs`, ReasonCertName},
		{`Get "https://127.0.0.1:39137": x509: certificate signed by unknown authority`, ReasonCertUnknown},
		{`Get "https://a/": tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "a")`, ReasonCertUnknown},
		{`Get "https://a/": x509: certificate specifies an incompatible key usage`, ReasonCertInvalid},
		{`Get "https://a/": no certificate`, ReasonCertInvalid},
		{`Get "https://127.0.0.1:32833/": http: server gave HTTP response to HTTPS client`, ReasonTLS},
		{`Get "https://a/": remote error: tls: handshake failure`, ReasonTLS},
		{`Get "https://a/": remote error: tls: bad certificate`, ReasonTLS},
		{`Get "https://a/": remote error: tls: certificate required`, ReasonTLS},
		{`Get "https://a/": tls: first record does not look like a TLS handshake`, ReasonTLS},
		{`Get "http://127.0.0.1:41845/": read tcp 127.0.0.1:45088->127.0.0.1:41845: read: connection reset by peer`, ReasonReset},
		{`Get "http://a/": write tcp 10.0.0.1:5000->10.0.0.5:80: write: broken pipe`, ReasonReset},
		{`Get "http://127.0.0.1:35441/": EOF`, ReasonClosed},
		{`Get "http://a/": unexpected EOF`, ReasonClosed},
		{`Get "http://a/": dial tcp 10.0.0.5:80: connect: no route to host`, ReasonUnreachable},
		{`Get "http://a/": dial tcp 10.0.0.5:80: connect: network is unreachable`, ReasonUnreachable},
		{`Get "/xxxxx": too many redirects`, ReasonRedirects},
		{`Get "http://127.0.0.1:45913/": net/http: HTTP/1.x transport connection broken: malformed HTTP response "SSH-2.0-OpenSSH_9.6"`, ReasonBadResponse},
		{`Get "http://a/": net/http: server response headers exceeded 65536 bytes; aborted`, ReasonBadResponse},
		{`Get "ftp://a/": unsupported protocol scheme "ftp"`, ReasonOther},
		{`Get "http://a/": context canceled`, ReasonOther},
		// The URL never decides: a path that names a failure.
		{`Get "http://a/timeout/tls/x509/lookup%20eof": dial tcp 10.0.0.5:80: connect: connection refused`, ReasonRefused},
		{`Get "http://a/\"refused\"": EOF`, ReasonClosed},
		// A change kept by an earlier version: the alert's sentence with the text in it.
		{`访问http://127.0.0.1:1/失败：Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused`, ReasonRefused},
		// Cut at 300 bytes inside the URL: the quote never closes.
		{`Get "http://a/` + strings.Repeat("x", 290), ReasonOther},
	} {
		if got := Reason(c.text); got != c.want {
			t.Errorf("Reason(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// Every code has its sentence in both languages, and the Chinese one is
// Chinese.
func TestReasonsInCatalogue(t *testing.T) {
	for _, code := range Reasons {
		zh, en := i18n.T(i18n.ZH, ReasonKey(code)), i18n.T(i18n.EN, ReasonKey(code))
		if !i18n.Has(ReasonKey(code)) || zh == en {
			t.Errorf("%s: zh %q, en %q", code, zh, en)
		}
	}
	if got := ReasonText(i18n.ZH, `Get "http://a/": dial tcp 10.0.0.5:80: connect: connection refused`); got != "连接被拒绝" {
		t.Errorf("refused reads %q", got)
	}
	if got := ReasonText(i18n.EN, ""); got != "" {
		t.Errorf("no error reads %q", got)
	}
}

// The down alert's detail names the reason in Chinese and keeps Go's
// text; its key (and so its fingerprint) does not depend on either.
func TestDownSignalNamesTheReason(t *testing.T) {
	m := &Monitor{ID: 3, WebsiteID: 7, SiteName: "县政府门户网站", Domain: "www.qingshen.gov.cn", URL: "https://www.qingshen.gov.cn/"}
	refused := `Get "https://www.qingshen.gov.cn/": dial tcp 10.0.0.5:443: connect: connection refused`
	a := (&Event{Kind: EvDown, Firing: true, Error: refused}).Signal(m, time.Time{})
	b := (&Event{Kind: EvDown, Firing: true, Error: "Get \"https://www.qingshen.gov.cn/\": EOF"}).Signal(m, time.Time{})
	up := (&Event{Kind: EvUp, Status: 200}).Signal(m, time.Time{})
	if want := "访问https://www.qingshen.gov.cn/失败：连接被拒绝。技术信息：" + refused; a.Detail != want {
		t.Errorf("detail %q, want %q", a.Detail, want)
	}
	if a.Fingerprint() != b.Fingerprint() || a.Fingerprint() != up.Fingerprint() {
		t.Error("the reason splits one outage into several alerts")
	}
	c := (&Event{Kind: EvDown, Firing: true, Status: 200, Error: "context deadline exceeded (Client.Timeout or context cancellation while reading body)"}).Signal(m, time.Time{})
	if !strings.HasPrefix(c.Detail, "访问https://www.qingshen.gov.cn/失败（状态码200）：超时未响应。技术信息：context deadline") {
		t.Errorf("a page that stopped half-way: %q", c.Detail)
	}
	if d := (&Event{Kind: EvDown, Firing: true, Status: 503}).Signal(m, time.Time{}); strings.Contains(d.Detail, "技术信息") {
		t.Errorf("a 503 has no technical detail to show: %q", d.Detail)
	}
}

func FuzzReason(f *testing.F) {
	for _, s := range []string{"", `Get "http://a/": EOF`, `Get "`, `Get "\`, `Get "http://a/\"x": dial tcp: lookup a on b: no such host`,
		"x509: certificate has expired or is not yet valid: current time a is before b", "\xff\xfe", "访问失败：timeout"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Reason(s)
		if strings.TrimSpace(s) == "" {
			if got != "" {
				t.Fatalf("Reason(%q) = %q for no error", s, got)
			}
			return
		}
		if !slices.Contains(Reasons, got) {
			t.Fatalf("Reason(%q) = %q, not a known code", s, got)
		}
	})
}

// A down change's Go text, as this version keeps it and as earlier ones
// did (inside the alert's sentence), read without a migration.
func TestChangeError(t *testing.T) {
	const url, raw = "http://127.0.0.1:1/", `Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused`
	for _, c := range []struct {
		name string
		ch   Change
		want string
	}{
		{"kept apart", Change{Kind: "down", Detail: map[string]any{"error": raw, "detail": "whatever"}}, raw},
		{"an earlier version's sentence", Change{Kind: "down", Detail: map[string]any{"detail": "访问" + url + "失败：" + raw}}, raw},
		{"down by status code", Change{Kind: "down", Detail: map[string]any{"detail": "访问" + url + "失败（状态码503）"}}, ""},
		{"another site's sentence", Change{Kind: "down", Detail: map[string]any{"detail": "访问http://x/失败：" + raw}}, ""},
		{"not a down", Change{Kind: "up", Detail: map[string]any{"error": raw}}, ""},
		{"no detail", Change{Kind: "down"}, ""},
	} {
		if got := ChangeError(&c.ch, url); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
