package api

import (
	"net/http"
	"strings"

	"yingji/internal/errs"
)

// bearer returns the token of an "Authorization: Bearer …" header, or "" for
// anything else: a bare token is refused rather than guessed at, so that a
// token pasted into the wrong header or a proxy's Basic credentials are
// never taken for one (RFC 6750 §2.1; the scheme is case-insensitive).
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// apiMethods are the methods the API routes use; probing them tells which a
// path allows.
var apiMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// apiNoRoute answers requests no API route took. The catch-all "/api/"
// pattern is more specific than Go's automatic 405, so it must tell a path
// that exists with another method (405 with Allow) from one that does not
// exist (404) itself.
func (s *Server) apiNoRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range apiMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/" {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) == 0 {
		s.writeProblem(w, r, errs.New(errs.NotFound, "error.not_found_route"))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.writeStatusProblem(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "error.method_not_allowed", r.Method, strings.Join(allow, ", "))
}
