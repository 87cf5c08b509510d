// Package web assembles yingji's HTTP server: the JSON API (package api)
// and the console (package console) on one mux, behind the headers every
// response carries, the request log and the transport limits (package
// httpx holds what both sides share).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"yingji/internal/app"
	"yingji/internal/web/api"
	"yingji/internal/web/console"
	"yingji/internal/web/httpx"
)

// Server serves yingji over HTTP.
type Server struct {
	App     *app.App
	Log     *slog.Logger
	Loc     *time.Location // where times are shown when no plan says otherwise
	mux     *http.ServeMux
	api     *api.Server
	console *console.Server
	limits  *httpx.State // set by HTTPServer (transport.go); none without it
}

// New builds the server and its routes.
func New(a *app.App, log *slog.Logger, loc *time.Location) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{App: a, Log: log, Loc: loc, mux: http.NewServeMux(), limits: &httpx.State{}}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.api = api.New(a, log, loc, s.mux, s.limits)
	s.console = console.New(a, log, loc, s.mux, s.limits)
	return s
}

// ServeHTTP sets the headers every response carries and logs the request
// (method, path, status, duration; never headers, which hold tokens).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	t0 := time.Now()
	s.mux.ServeHTTP(rec, r)
	if r.URL.Path != "/healthz" {
		s.Log.Info("http", "method", r.Method, "path", r.URL.Path, "status", rec.status, "ms", time.Since(t0).Milliseconds())
	}
}

// statusRecorder remembers the status a handler wrote. It passes Flush
// through so that server-sent events keep working.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// APIPatterns returns the registered API routes ("METHOD /path").
func (s *Server) APIPatterns() []string { return s.api.APIPatterns() }

// Close ends the console's live-update streams (console.Server.Close).
func (s *Server) Close() { s.console.Close() }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.App.Plans.Plans(ctx); err != nil {
		httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
