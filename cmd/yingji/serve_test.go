package main

import "testing"

func TestParsePublicURL(t *testing.T) {
	for _, c := range []struct {
		in, base, domain string
		bad              bool
	}{
		{"", "", "", false},
		{"https://gaj.QingShen.gov.cn/", "https://gaj.QingShen.gov.cn", "gaj.qingshen.gov.cn", false},
		{"http://10.51.1.5:8080", "http://10.51.1.5:8080", "", false},
		{"https://gaj.qingshen.gov.cn/yj", "https://gaj.qingshen.gov.cn/yj", "gaj.qingshen.gov.cn", false},
		{"gaj.qingshen.gov.cn", "", "", true},
		{"ftp://gaj.qingshen.gov.cn", "", "", true},
		{"https://user@gaj.qingshen.gov.cn", "", "", true},
		{"https://gaj.qingshen.gov.cn/?a=1", "", "", true},
	} {
		base, domain, err := parsePublicURL(c.in)
		if (err != nil) != c.bad || base != c.base || domain != c.domain {
			t.Errorf("%q: %q %q %v", c.in, base, domain, err)
		}
	}
}
