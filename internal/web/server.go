// Package web is the HTTP adapter: the JSON API under /api/v1 and (later) the
// console. Handlers decode, call one service method and encode; permissions
// live in the service.
package web

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"yingji/internal/notices"
	"yingji/internal/service"
	"yingji/internal/user"
)

//go:embed openapi.json
var openapi []byte

// Server serves yingji over HTTP.
type Server struct {
	Svc *service.Service
	Log *slog.Logger
	Loc *time.Location // where times are shown when no plan says otherwise
	mux *http.ServeMux
	// apiPatterns lists the API routes, so that a test can hold the OpenAPI
	// document to them.
	apiPatterns []string
	console     *console        // the HTML console's templates (console.go)
	limits      transportLimits // set by HTTPServer (transport.go); none without it

	// Notices is issue 10's use cases; New sets it over Svc.DB without
	// outside channels, serve sets its Channels. PORT: issue 10.
	Notices *notices.Service
}

// New builds the server and its routes.
func New(svc *service.Service, log *slog.Logger, loc *time.Location) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{Svc: svc, Log: log, Loc: loc, mux: http.NewServeMux()}
	s.Notices = &notices.Service{DB: svc.DB} // PORT: issue 10
	s.routes()
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

// apiHandler is an API endpoint that runs as an authenticated user.
type apiHandler func(w http.ResponseWriter, r *http.Request, u *user.User) error

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapi)
	})
	s.api("GET /api/v1/me", s.apiMe)
	s.api("GET /api/v1/me/tokens", s.apiMyTokens)
	s.api("DELETE /api/v1/me/tokens/{id}", s.apiRevokeToken)
	s.api("GET /api/v1/plans", s.apiPlans)
	s.api("GET /api/v1/incidents", s.apiListIncidents)
	s.api("POST /api/v1/incidents", s.apiCreateIncident)
	s.api("GET /api/v1/incidents/{id}", s.apiGetIncident)
	s.api("GET /api/v1/incidents/{id}/timeline", s.apiTimeline)
	s.api("POST /api/v1/incidents/{id}/notes", s.apiNote)
	s.api("POST /api/v1/incidents/{id}/activation", s.apiRequestActivation)
	s.api("POST /api/v1/incidents/{id}/termination", s.apiRequestTermination)
	s.api("POST /api/v1/incidents/{id}/summary", s.apiSummary)
	s.api("PATCH /api/v1/incidents/{id}/tasks/{taskId}", s.apiUpdateTask)
	s.api("GET /api/v1/incidents/{id}/tasks/{taskId}/history", s.apiTaskHistory)
	s.api("POST /api/v1/incidents/{id}/tasks/{taskId}/approval", s.apiRequestTaskApproval)
	s.api("POST /api/v1/incidents/{id}/tasks/{taskId}/approval/decision", s.apiDecideTaskApproval)
	s.api("GET /api/v1/approvals", s.apiPendingApprovals)
	s.api("POST /api/v1/approvals/{id}/decision", s.apiDecide)
	s.api("GET /api/v1/audit/verify", s.apiVerify)
	s.api("GET /api/v1/audit/records", s.apiAuditRecords)
	s.consoleRoutes()
	s.reportRoutes()
	s.dutyRoutes()
	s.adminRoutes()
	s.commandRoutes()
	s.commandConsoleRoutes()
	s.resourceRoutes()
	s.noticeRoutes() // PORT: issue 10 (api_notices.go)
	m.HandleFunc("/api/", s.apiNoRoute)
}

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
		u, err := s.Svc.Authenticate(r.Context(), bearer(r))
		if unauthenticated(err) && !s.allow(w, r, s.limits.anon) {
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

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.Svc.Plans(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
