package httpx

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

func TestClientKey(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "[2001:db8:1:2:aaaa::1]:5000"
	r2 := httptest.NewRequest("GET", "/", nil)
	r2.RemoteAddr = "[2001:db8:1:2:bbbb::9]:6000"
	if clientKey(r, false) != clientKey(r2, false) {
		t.Errorf("one /64, two keys: %s %s", clientKey(r, false), clientKey(r2, false))
	}
	p := httptest.NewRequest("GET", "/", nil)
	p.RemoteAddr = "127.0.0.1:4000"
	p.Header.Add("X-Forwarded-For", "6.6.6.6, 10.1.2.3")
	if got := clientKey(p, false); got != "127.0.0.1" {
		t.Errorf("untrusted proxy header used: %s", got)
	}
	if got := clientKey(p, true); got != "10.1.2.3" {
		t.Errorf("behind a trusted proxy: %s, want the last hop", got)
	}
}

// TestLimiterBounded: the buckets refill, and the limiter's memory stays
// bounded however many addresses come.
func TestLimiterBounded(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLimiter(Rate{Burst: 2, Every: time.Second})
	l.now = func() time.Time { return now }
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.take("a"); ok != want {
			t.Fatalf("take %d: %v", i, ok)
		}
	}
	now = now.Add(time.Second)
	if ok, _ := l.take("a"); !ok {
		t.Fatal("no refill after a second")
	}
	for i := 0; i < 3*maxBuckets; i++ {
		l.take(strconv.Itoa(i))
	}
	if n := len(l.buckets); n > maxBuckets+1 {
		t.Fatalf("%d buckets", n)
	}
	if newLimiter(Rate{}) != nil {
		t.Fatal("a zero rate must mean no limiter")
	}
}
