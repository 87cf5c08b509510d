package api

import (
	"net/http"
	"time"

	"yingji/internal/registry"
	"yingji/internal/user"
	"yingji/internal/web/httpx"
)

// The shared helpers under the names the handlers were written with.

func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteProblem(s.Log, w, r, err)
}

func (s *Server) writeStatusProblem(w http.ResponseWriter, r *http.Request, st int, code, key string, args ...any) {
	httpx.WriteStatusProblem(w, r, st, code, key, args...)
}

func writeJSON(w http.ResponseWriter, st int, v any) { httpx.WriteJSON(w, st, v) }

// writeItems answers a list as {"items": [...]}, each element as conv
// writes it ([] for none, never null).
func writeItems[T, J any](w http.ResponseWriter, xs []T, conv func(T) J) {
	writeJSON(w, http.StatusOK, map[string]any{"items": convert(xs, conv)})
}

// writePage answers one page of a list: its items and, when the page is
// full, the id to ask for the next page before (null on the last page).
func writePage[T, J any](w http.ResponseWriter, xs []T, conv func(T) J, full bool, id func(T) int64) {
	var next *int64
	if full && len(xs) > 0 {
		n := id(xs[len(xs)-1])
		next = &n
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": convert(xs, conv), "next_before": next})
}

// convert turns each of xs into its JSON form (never a null list).
func convert[T, J any](xs []T, conv func(T) J) []J {
	items := make([]J, 0, len(xs))
	for _, x := range xs {
		items = append(items, conv(x))
	}
	return items
}

func decode(r *http.Request, v any) error { return httpx.Decode(r, v) }

// idBody reads the path's {id}, then decodes the body into a T: what most
// write routes on one record begin with.
func idBody[T any](r *http.Request) (int64, T, error) {
	var b T
	id, err := pathID(r, "id")
	if err != nil {
		return 0, b, err
	}
	err = decode(r, &b) // before b is returned: operand order is unspecified
	return id, b, err
}

// saveBody is idBody for a save route served both without {id} (create:
// id 0) and with it (replace).
func saveBody[T any](r *http.Request) (int64, T, error) {
	if r.PathValue("id") != "" {
		return idBody[T](r)
	}
	var b T
	err := decode(r, &b)
	return 0, b, err
}

// savedStatus answers a save route: 201 for a row created, 200 for one replaced.
func savedStatus(id int64) int {
	if id == 0 {
		return http.StatusCreated
	}
	return http.StatusOK
}

func pathID(r *http.Request, name string) (int64, error) { return httpx.PathID(r, name) }

// idAnd reads the incident id and a second id (a task's, a resource's) from the path.
func idAnd(r *http.Request, name string) (int64, int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	id2, err := pathID(r, name)
	if err != nil {
		return 0, 0, err
	}
	return id, id2, nil
}

func unauthenticated(err error) bool { return httpx.Unauthenticated(err) }

func registryFilter(r *http.Request) (registry.Filter, int64, error) {
	return httpx.RegistryFilter(r)
}

// cleanQuery checks an API request's query string before the handler runs.
func cleanQuery(h apiHandler) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, u *user.User) error {
		if err := httpx.CheckValues(r.URL.Query()); err != nil {
			return err
		}
		return h(w, r, u)
	}
}

const importReadWindow = httpx.ImportReadWindow

func extendBodyDeadline(w http.ResponseWriter, d time.Duration) { httpx.ExtendBodyDeadline(w, d) }

func bodyError(err error) error { return httpx.BodyError(err) }
