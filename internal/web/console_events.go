package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
)

// pollEvery is how often a live-update stream asks the database whether
// anything changed: nodes share one database, so a change made on another
// node is only seen there. The in-process hub makes local changes instant.
const pollEvery = time.Second

// events is a Server-Sent Events stream saying "change" whenever the
// incident (or, without ?incident, anything the user may see) changes; the
// page then reloads its live fragments.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	sess, err := s.Svc.SessionUser(r.Context(), ck.Value)
	if err != nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var id int64
	if v := r.URL.Query().Get("incident"); v != "" {
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			http.Error(w, "bad incident", http.StatusBadRequest)
			return
		}
	}
	mark, _, err := s.Svc.Changes(r.Context(), sess.User, id, -1)
	// A reconnecting browser says what it last saw: anything newer is a
	// change it has missed while away.
	last, perr := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if err != nil {
		st := status[errs.CodeOf(err)]
		http.Error(w, http.StatusText(st), st)
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	if perr == nil && last != mark {
		fmt.Fprintf(w, "retry: 3000\nid: %d\nevent: change\ndata: %d\n\n", mark, mark)
	} else {
		fmt.Fprintf(w, "retry: 3000\nid: %d\nevent: hello\ndata: %d\n\n", mark, mark)
	}
	fl.Flush()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-r.Context().Done():
			return
		case <-s.console.done:
			return
		case <-tick.C:
		case <-s.console.hub.wait():
		}
		// A stream outlives neither its session nor the user's right to see.
		if n%30 == 29 {
			if _, err := s.Svc.SessionUser(r.Context(), ck.Value); err != nil {
				fmt.Fprint(w, "event: gone\ndata: session\n\n")
				fl.Flush()
				return
			}
		}
		next, changed, err := s.Svc.Changes(r.Context(), sess.User, id, mark)
		if err != nil {
			if r.Context().Err() == nil {
				fmt.Fprint(w, "event: gone\ndata: error\n\n")
				fl.Flush()
			}
			return
		}
		if changed {
			fmt.Fprintf(w, "id: %d\nevent: change\ndata: %d\n\n", next, next)
			fl.Flush()
		} else if n%15 == 14 {
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		}
		mark = next
	}
}
