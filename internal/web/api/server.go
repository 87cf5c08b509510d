// Package api is the JSON API under /api/v1. Handlers decode, call one use
// case and encode; permissions live in the use cases. Its routes are in
// routes.go, its contract in openapi.json.
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"yingji/internal/app"
	"yingji/internal/user"
	"yingji/internal/web/httpx"
)

//go:embed openapi.json
var openapi []byte

// Server serves the API on a mux it shares with the console.
type Server struct {
	App *app.App
	Log *slog.Logger
	Loc *time.Location // where times are shown when no plan says otherwise
	mux *http.ServeMux
	// apiPatterns lists the API routes, so that a test can hold the OpenAPI
	// document to them.
	apiPatterns []string
	limits      *httpx.State // set by web.Server.HTTPServer; none before
}

// New registers the API's routes on mux; limits are read per request, so
// that limits set after the routes apply.
func New(a *app.App, log *slog.Logger, loc *time.Location, mux *http.ServeMux, limits *httpx.State) *Server {
	s := &Server{App: a, Log: log, Loc: loc, mux: mux, limits: limits}
	s.routes()
	return s
}

// apiHandler is an API endpoint that runs as an authenticated user.
type apiHandler func(w http.ResponseWriter, r *http.Request, u *user.User) error

// api registers an authenticated JSON endpoint.
func (s *Server) api(pattern string, h apiHandler) {
	s.apiPatterns = append(s.apiPatterns, pattern)
	s.mux.Handle(pattern, s.auth(cleanQuery(h)))
}

// APIPatterns returns the registered API routes ("METHOD /path").
func (s *Server) APIPatterns() []string { return s.apiPatterns }

type ctxKey struct{}

// auth resolves the bearer token to a user and runs h, turning its error
// into problem details.
func (s *Server) auth(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.App.Accounts.Authenticate(r.Context(), bearer(r))
		if unauthenticated(err) && !s.allow(w, r, s.limits.Anon) {
			return
		}
		if err != nil {
			s.writeProblem(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, u))
		if err := h(w, r, u); err != nil {
			s.writeProblem(w, r, err)
		}
	})
}

// allow spends a token of l for r's client; when there is none it answers
// 429 with Retry-After and returns false.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, l *httpx.Limiter) bool {
	ok, secs := s.limits.Take(w, r, l)
	if !ok {
		s.writeStatusProblem(w, r, http.StatusTooManyRequests, "rate_limited", "error.rate_limited", secs)
	}
	return ok
}
