package httpx

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"yingji/internal/errs"
)

// Limits are what one node grants its clients before it has any idea who
// they are. Every limit is on by default: the probe of issue 9 took a node
// down without credentials by holding connections and dribbling bodies.
type Limits struct {
	// ReadHeaderTimeout bounds the request line and headers; ReadTimeout the
	// whole request, body included (a body sent one byte at a time is cut off).
	ReadHeaderTimeout, ReadTimeout time.Duration
	// WriteTimeout bounds writing a response. Live-update streams push their
	// deadline forward before each event, so they are not cut by it.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sends nothing more.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers.
	MaxHeaderBytes int
	// MaxConns caps simultaneous connections; further clients wait in the
	// kernel's accept queue (they hold no descriptor of ours) until one ends.
	MaxConns int
	// MaxStreams and MaxStreamsPerSession cap the live-update streams of the
	// node and of one login session; beyond them /events answers 429.
	MaxStreams, MaxStreamsPerSession int
	// LoginRate is POST /login attempts per client address; AnonRate every
	// other request that arrives without valid credentials.
	LoginRate, AnonRate Rate
	// TrustProxy takes the client address from the last X-Forwarded-For hop
	// (set it only behind a reverse proxy that writes that header).
	TrustProxy bool
}

// Rate is a token bucket: Burst requests at once, then one every Every.
type Rate struct {
	Burst int
	Every time.Duration
}

// DefaultLimits are the limits of `yingji serve` unless flags say otherwise.
func DefaultLimits() Limits {
	return Limits{
		ReadHeaderTimeout:    10 * time.Second,
		ReadTimeout:          60 * time.Second,
		WriteTimeout:         2 * time.Minute, // exports and PDFs over a slow county link
		IdleTimeout:          60 * time.Second,
		MaxHeaderBytes:       64 << 10,
		MaxConns:             1024,
		MaxStreams:           512,
		MaxStreamsPerSession: 8,
		LoginRate:            Rate{Burst: 20, Every: 3 * time.Second}, // a shift logging in behind one NAT address
		AnonRate:             Rate{Burst: 60, Every: time.Second},
	}
}

// Listen opens a TCP listener on addr that holds at most lim.MaxConns
// connections at once (no cap when it is 0).
func Listen(addr string, lim Limits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if lim.MaxConns > 0 {
		ln = netutil.LimitListener(ln, lim.MaxConns)
	}
	return ln, nil
}

// State is the Limits in force and the state they need, shared by the API
// and the console. Its zero value limits nothing.
type State struct {
	Limits
	Login, Anon *Limiter
	Streams     StreamCounter // the console's live-update streams
}

// Set puts lim in force.
func (st *State) Set(lim Limits) {
	st.Limits = lim
	st.Login, st.Anon = newLimiter(lim.LoginRate), newLimiter(lim.AnonRate)
}

// ImportReadWindow is how long an authenticated upload of a ledger (up to
// 64 MiB) may take to arrive: more than ReadTimeout grants anyone, since a
// county's link may be slow, but only once the sender is known.
const ImportReadWindow = 10 * time.Minute

// ExtendBodyDeadline gives the rest of this request's body d to arrive,
// overriding the server's ReadTimeout; call it only after authentication.
func ExtendBodyDeadline(w http.ResponseWriter, d time.Duration) {
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
}

// BodyError tells a body over its limit from one that stopped arriving.
func BodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.Field("body", "error.body_too_large")
	}
	return &errs.Error{Code: errs.Invalid, Field: "body", Key: "error.body_incomplete", Err: err}
}

// String and Set let a Rate be a flag: "20/3s" is a burst of 20, then one
// every 3 seconds; "0" is no limit.
func (r *Rate) String() string {
	if r == nil || r.Burst <= 0 || r.Every <= 0 {
		return "0"
	}
	return strconv.Itoa(r.Burst) + "/" + r.Every.String()
}

func (r *Rate) Set(v string) error {
	if v == "0" || v == "" {
		*r = Rate{}
		return nil
	}
	b, e, ok := strings.Cut(v, "/")
	burst, err1 := strconv.Atoi(b)
	every, err2 := time.ParseDuration(e)
	if !ok || err1 != nil || err2 != nil || burst <= 0 || every <= 0 {
		return fmt.Errorf("want BURST/INTERVAL such as 20/3s, or 0 for no limit")
	}
	*r = Rate{Burst: burst, Every: every}
	return nil
}
