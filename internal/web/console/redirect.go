package console

import (
	"net/url"
	"strings"
	"unicode"
)

// maxRedirect bounds a "where to go back to" parameter: a real console path
// is short, and the value is echoed into a Location header and a form.
const maxRedirect = 2048

// localRedirect returns p when it is a path on this site, else fallback.
// Browsers are lenient where net/url is strict: they drop tabs and newlines
// inside URLs ("/\t/evil.example" becomes "//evil.example", another host)
// and read "\" as "/". So a path must start with exactly one "/", carry no
// backslash, control character or white space anywhere, and parse to
// neither a scheme nor a host.
func localRedirect(p, fallback string) string {
	if p == "" || len(p) > maxRedirect || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return fallback
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar {
			return fallback
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	// The path as the browser will resolve it must not begin with "//" either
	// (an escaped "%2F%2F" stays escaped in the Location, so it cannot).
	if strings.HasPrefix(u.Path, "//") {
		return fallback
	}
	return p
}
