package httpx

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"yingji/internal/errs"
)

// maxBuckets bounds the limiter's memory: beyond it, idle (full) buckets are
// dropped, and if all are busy new addresses share one overflow bucket, so an
// attacker with many addresses slows down newcomers, not known clients.
const maxBuckets = 16384

// Limiter is a token bucket per client address.
type Limiter struct {
	rate    Rate
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(r Rate) *Limiter {
	if r.Burst <= 0 || r.Every <= 0 {
		return nil // no limit
	}
	return &Limiter{rate: r, now: time.Now, buckets: map[string]*bucket{}}
}

// take spends one token of key's bucket, or says how long until one is there.
func (l *Limiter) take(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		if len(l.buckets) >= maxBuckets {
			key = ""
			b = l.buckets[key]
		}
		if b == nil {
			b = &bucket{tokens: float64(l.rate.Burst), at: now}
			l.buckets[key] = b
		}
	}
	b.tokens = math.Min(float64(l.rate.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.rate.Every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.rate.Every))
}

// prune drops the buckets that have refilled: they hold nothing to remember.
func (l *Limiter) prune(now time.Time) {
	full := time.Duration(l.rate.Burst) * l.rate.Every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
}

// clientKey is the address a client is limited by: the peer's IP (the last
// X-Forwarded-For hop behind a trusted proxy); an IPv6 client by its /64,
// which one subscriber usually holds whole.
func clientKey(r *http.Request, trustProxy bool) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			host = strings.TrimSpace(hops[len(hops)-1])
		}
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String()
	}
	return ip.String()
}

// Take spends a token of l for r's client. When there is none it sets
// Retry-After and returns false with the seconds to wait, and the caller
// answers 429 its own way (a problem for the API, a page for the console).
func (st *State) Take(w http.ResponseWriter, r *http.Request, l *Limiter) (ok bool, secs int) {
	ok, wait := l.take(clientKey(r, st.TrustProxy))
	if ok {
		return true, 0
	}
	secs = int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return false, secs
}

// Unauthenticated reports whether err means "no valid credentials": such
// requests spend the anonymous budget of their client.
func Unauthenticated(err error) bool { return errs.CodeOf(err) == errs.Unauthorized }
