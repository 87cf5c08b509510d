// Package web is the HTTP adapter: the JSON API under /api/v1 and (later) the
// console. Handlers decode, call one service method and encode; permissions
// live in the service.
package web

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"yingji/internal/errs"
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

	console *console // the HTML console's templates and live-update hub (console.go)
}

// New builds the server and its routes.
func New(svc *service.Service, log *slog.Logger, loc *time.Location) *Server {
	s := &Server{Svc: svc, Log: log, Loc: loc, mux: http.NewServeMux()}
	s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// apiHandler is an API endpoint that runs as an authenticated user.
type apiHandler func(w http.ResponseWriter, r *http.Request, u *user.User) error

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapi)
	})
	api := func(pattern string, h apiHandler) { m.Handle(pattern, s.auth(h)) }
	api("GET /api/v1/me", s.apiMe)
	api("GET /api/v1/plans", s.apiPlans)
	api("GET /api/v1/incidents", s.apiListIncidents)
	api("POST /api/v1/incidents", s.apiCreateIncident)
	api("GET /api/v1/incidents/{id}", s.apiGetIncident)
	api("GET /api/v1/incidents/{id}/timeline", s.apiTimeline)
	api("POST /api/v1/incidents/{id}/notes", s.apiNote)
	api("POST /api/v1/incidents/{id}/activation", s.apiRequestActivation)
	api("POST /api/v1/incidents/{id}/termination", s.apiRequestTermination)
	api("POST /api/v1/incidents/{id}/summary", s.apiSummary)
	api("PATCH /api/v1/incidents/{id}/tasks/{taskId}", s.apiUpdateTask)
	api("GET /api/v1/approvals", s.apiPendingApprovals)
	api("POST /api/v1/approvals/{id}/decision", s.apiDecide)
	api("GET /api/v1/audit/verify", s.apiVerify)
	s.consoleRoutes()
	s.reportRoutes()
	s.dutyRoutes()
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeProblem(w, r, errs.New(errs.NotFound, "error.not_found_route"))
	})
}

type ctxKey struct{}

// auth resolves the bearer token to a user and runs h, turning its error
// into problem details.
func (s *Server) auth(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		u, err := s.Svc.Authenticate(r.Context(), strings.TrimSpace(token))
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
