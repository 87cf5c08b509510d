package web

import (
	"net"
	"net/http"

	"yingji/internal/web/httpx"
)

// Limits are what one node grants its clients before it has any idea who
// they are (httpx.Limits).
type Limits = httpx.Limits

// Rate is a token bucket: Burst requests at once, then one every Every.
type Rate = httpx.Rate

// DefaultLimits are the limits of `yingji serve` unless flags say otherwise.
func DefaultLimits() Limits { return httpx.DefaultLimits() }

// Listen opens a TCP listener on addr that holds at most lim.MaxConns
// connections at once (no cap when it is 0).
func Listen(addr string, lim Limits) (net.Listener, error) { return httpx.Listen(addr, lim) }

// HTTPServer returns the server for s with lim applied; s takes its stream
// caps and rate limits from lim too, so call it before serving. Serve it on
// Listen's listener for the connection cap.
func (s *Server) HTTPServer(lim Limits) *http.Server {
	s.limits.Set(lim)
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
