package monitors

import "testing"

// A monitor follows redirects only within the registered site.
func TestSameSite(t *testing.T) {
	for _, c := range []struct {
		host, first, domain string
		want                bool
	}{
		{"www.qsyy.cn", "www.qsyy.cn", "www.qsyy.cn", true},
		{"qsyy.cn", "www.qsyy.cn", "www.qsyy.cn", true},
		{"guahao.qsyy.cn", "www.qsyy.cn", "qsyy.cn", true},
		{"127.0.0.1", "www.qsyy.cn", "www.qsyy.cn", false},
		{"169.254.169.254", "10.51.20.8", "", false},
		{"evilqsyy.cn", "www.qsyy.cn", "qsyy.cn", false},
		{"10.51.20.8", "10.51.20.8", "", true},
	} {
		if got := sameSite(c.host, c.first, c.domain); got != c.want {
			t.Errorf("sameSite(%q, %q, %q) = %v, want %v", c.host, c.first, c.domain, got, c.want)
		}
	}
}
