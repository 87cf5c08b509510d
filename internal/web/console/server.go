// Package console is the HTML console (指挥台): server-rendered pages that
// work without JavaScript; a small script adds live updates, countdowns and
// confirmations. Handlers decode the form, call one use case and redirect
// (POST/redirect/GET), or render a page. Its routes are in routes.go, its
// template functions in funcs.go.
package console

import (
	"log/slog"
	"net/http"
	"time"

	"yingji/internal/app"
	"yingji/internal/i18n"
	"yingji/internal/registry"
	"yingji/internal/web/httpx"
)

// Server serves the console on a mux it shares with the API.
type Server struct {
	App *app.App
	Log *slog.Logger
	Loc *time.Location // where times are shown when no plan says otherwise
	mux *http.ServeMux
	// console holds the parsed pages and the end of the live-update streams.
	console *console
	limits  *httpx.State // set by web.Server.HTTPServer; none before
}

// New registers the console's routes on mux; limits are read per request,
// so that limits set after the routes apply.
func New(a *app.App, log *slog.Logger, loc *time.Location, mux *http.ServeMux, limits *httpx.State) *Server {
	s := &Server{App: a, Log: log, Loc: loc, mux: mux, limits: limits,
		console: &console{pages: parsePages(), done: make(chan struct{})}}
	s.routes()
	return s
}

// Close ends the live-update streams, which would otherwise keep a graceful
// shutdown waiting; browsers reconnect to another node by themselves.
// Register it with http.Server.RegisterOnShutdown.
func (s *Server) Close() {
	s.console.once.Do(func() { close(s.console.done) })
}

func staticHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// allow spends a token of l for r's client; when there is none it answers
// 429 with Retry-After and a page, and returns false.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, l *httpx.Limiter) bool {
	ok, secs := s.limits.Take(w, r, l)
	if ok {
		return true
	}
	securityHeaders(w)
	c := &req{l: consoleLang(r)}
	p := s.newPage(w, r, c, i18n.T(c.l, "error.title"), "")
	p.Data = map[string]any{"Status": http.StatusTooManyRequests, "Message": i18n.T(c.l, "error.rate_limited", secs)}
	s.render(w, http.StatusTooManyRequests, "error", p)
	return false
}

// limited runs h only while r's client has tokens left in l (read when the
// request comes, so that limits set after the routes apply).
func (s *Server) limited(l func() *httpx.Limiter, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.allow(w, r, l()) {
			h(w, r)
		}
	}
}

// The shared helpers under the names the handlers were written with.

// status maps each application error code to its one HTTP status.
var status = httpx.Status

func pathID(r *http.Request, name string) (int64, error) { return httpx.PathID(r, name) }

func registryFilter(r *http.Request) (registry.Filter, int64, error) {
	return httpx.RegistryFilter(r)
}
