package web

import (
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
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
		WriteTimeout:         60 * time.Second,
		IdleTimeout:          60 * time.Second,
		MaxHeaderBytes:       64 << 10,
		MaxConns:             1024,
		MaxStreams:           512,
		MaxStreamsPerSession: 8,
		LoginRate:            Rate{Burst: 10, Every: 6 * time.Second},
		AnonRate:             Rate{Burst: 60, Every: time.Second},
	}
}

// HTTPServer returns the server for s with lim applied; s takes its stream
// caps and rate limits from lim too, so call it before serving. Serve it on
// Listen's listener for the connection cap.
func (s *Server) HTTPServer(lim Limits) *http.Server {
	s.setLimits(lim)
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
	}
	srv.RegisterOnShutdown(s.Close) // end the console's live-update streams
	return srv
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

// transportLimits are the Limits in force and the state they need.
type transportLimits struct {
	Limits
	login, anon *limiter
	streams     streamCounter // console_events.go
}

func (s *Server) setLimits(lim Limits) {
	s.limits.Limits = lim
	s.limits.login, s.limits.anon = newLimiter(lim.LoginRate), newLimiter(lim.AnonRate)
}
