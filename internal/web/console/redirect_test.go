package console

import "testing"

// TestLocalRedirect: only a path on this site survives; everything a browser
// could resolve to another host falls back (finding 4 of issue 9).
func TestLocalRedirect(t *testing.T) {
	ok := []string{"/", "/incidents/3", "/incidents?status=active&q=%E5%8D%B1", "/registry#units", "/a/b/c?next=//x"}
	for _, p := range ok {
		if got := localRedirect(p, "/fallback"); got != p {
			t.Errorf("%q: got %q, want it kept", p, got)
		}
	}
	bad := []string{
		"", "incidents", "//evil.example", "///evil.example", "/\\evil.example", "/\\/evil.example", "\\\\evil.example",
		"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/ /evil.example", "/\x00/evil.example",
		"/\x7f/evil.example", "/\u00a0/evil.example", "/\u3000/evil.example", "/\u2028/evil.example", "/\u0085/x",
		"/a\\b", "https://evil.example", "http:/evil.example", "javascript:alert(1)", "/%2F/evil.example",
		"/%2f%2fevil.example", " /incidents", "/incidents ", "\t/incidents", "/\xff/x", "/%zz",
		"/" + string(make([]byte, maxRedirect)),
	}
	for _, p := range bad {
		if got := localRedirect(p, "/fallback"); got != "/fallback" {
			t.Errorf("%q: got %q, want the fallback", p, got)
		}
	}
}
