package monitor

import (
	"fmt"
	"strings"
	"testing"
)

// page is a portal front page of about 200 KB: 2,000 news items.
func page(mark string) []byte {
	var b strings.Builder
	b.WriteString("<html><head><title>青神县人民政府</title><script>var a=1;</script></head><body>")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, `<div class="item"><a href="/n/%d">关于做好第%d项政务公开工作的通知%s</a><span>2026-11-%02d</span></div>`, i, i, mark, i%28+1)
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

func BenchmarkNormalise(b *testing.B) {
	p := page("")
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		Normalise(p)
	}
}

// BenchmarkDiffDefaced: the 2,000-line text of page against one whose
// every 20th line was changed.
func BenchmarkDiffDefaced(b *testing.B) {
	a := Normalise(page(""))
	lines := strings.Split(a, "\n")
	for i := range lines {
		if i%20 == 0 {
			lines[i] += " hacked"
		}
	}
	c := strings.Join(lines, "\n")
	for b.Loop() {
		Diff(a, c)
	}
}

// BenchmarkReason: the reason is derived from the text each time a page
// shows it (50 results a monitor page), so it must cost next to nothing.
func BenchmarkReason(b *testing.B) {
	texts := []string{
		`Get "https://www.qingshen.gov.cn/": dial tcp 10.0.0.5:443: connect: connection refused`,
		`Get "https://www.qingshen.gov.cn/": x509: certificate has expired or is not yet valid: current time 2026-11-30T18:00:00+08:00 is after 2026-11-29T10:00:00Z`,
		`Get "http://127.0.0.1:35441/": EOF`,
		`Get "ftp://a/": unsupported protocol scheme "ftp"`, // the longest path: every rule tried
	}
	for b.Loop() {
		for _, s := range texts {
			Reason(s)
		}
	}
}
