package console

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFlashBounded: a flash quoting 630 KB of input stays a cookie browsers
// keep (finding 12 of issue 9).
func TestFlashBounded(t *testing.T) {
	rec := httptest.NewRecorder()
	setFlash(rec, httptest.NewRequest("POST", "/", nil), "error", "单位名称"+strings.Repeat("长", 210_000)+"已登记")
	if n := len(rec.Header().Get("Set-Cookie")); n > 4000 {
		t.Fatalf("Set-Cookie of %d bytes", n)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", strings.SplitN(rec.Header().Get("Set-Cookie"), ";", 2)[0])
	f := takeFlash(httptest.NewRecorder(), req)
	if f == nil || !strings.HasPrefix(f.Text, "单位名称长") || !strings.HasSuffix(f.Text, "…") {
		t.Fatalf("flash %+v", f)
	}
}
