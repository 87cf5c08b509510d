package main

import (
	"strings"
	"testing"
	"yingji/internal/app"
	"yingji/internal/bulletins"
	"yingji/internal/channel"
)

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

// TestBulletinLinksOutside: a 通报's link goes to units outside the bureau,
// so it starts with the public URL when one is given (the channels'
// base_url is often an intranet address), and with base_url otherwise.
func TestBulletinLinksOutside(t *testing.T) {
	chans := &channel.Set{BaseURL: "http://10.51.1.5", LinkKey: []byte(strings.Repeat("k", 32))}
	for _, c := range []struct{ pub, want string }{
		{"https://gaj.qingshen.gov.cn", "https://gaj.qingshen.gov.cn"},
		{"", "http://10.51.1.5"},
	} {
		a := &app.App{Bulletins: &bulletins.Service{}}
		wireBulletinLinks(a, chans, c.pub)
		if a.Bulletins.BaseURL != c.want || string(a.Bulletins.Key) != string(chans.LinkKey) {
			t.Errorf("public %q: base %q, want %q", c.pub, a.Bulletins.BaseURL, c.want)
		}
	}
}
