package console

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"yingji/internal/errs"
	"yingji/internal/i18n"
)

const (
	// keepAliveEvery is how often an idle stream writes a comment, so that
	// proxies keep it open and a closed browser is noticed.
	keepAliveEvery = 15 * time.Second
	// recheckEvery is how often a stream asks again whether its session is
	// alive and the user may still see what it watches: a stream outlives
	// neither.
	recheckEvery = 30 * time.Second
	// streamWriteWindow is the write deadline a stream grants each event when
	// the server has a WriteTimeout (which would otherwise end it).
	streamWriteWindow = 2 * keepAliveEvery
)

// events is a Server-Sent Events stream saying "change" whenever the
// incident (or, without ?incident, anything the user may see) changes; the
// page then reloads its live fragments. It listens to the node's change
// feed (store.Feed), which every commit on this node and, on PostgreSQL,
// on every node feeds: no stream polls the database.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		if s.allow(w, r, s.limits.Anon) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
		}
		return
	}
	sess, err := s.App.Accounts.SessionUser(r.Context(), ck.Value)
	if err != nil {
		if s.allow(w, r, s.limits.Anon) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
		}
		return
	}
	var id int64
	if v := r.URL.Query().Get("incident"); v != "" {
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			http.Error(w, "bad incident", http.StatusBadRequest)
			return
		}
	}
	// The feed's mark is taken before the database's, so that nothing
	// committed in between is missed (at worst it is announced twice).
	feed := s.App.Core.DB.Feed()
	fmark := feed.Mark()
	mark, _, err := s.App.Dashboard.Changes(r.Context(), sess.User, id, -1)
	if err != nil {
		st := status[errs.CodeOf(err)]
		http.Error(w, http.StatusText(st), st)
		return
	}
	concerns := func(int64) bool { return true }
	if id == 0 {
		if concerns, err = s.App.Dashboard.ChangeConcerns(r.Context(), sess.User); err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
	}
	if !s.limits.Streams.Acquire(sess.ID, s.limits.MaxStreams, s.limits.MaxStreamsPerSession) {
		w.Header().Set("Retry-After", "30")
		http.Error(w, i18n.T(consoleLang(r), "error.too_many_streams"), http.StatusTooManyRequests)
		return
	}
	defer s.limits.Streams.Release(sess.ID)
	// A reconnecting browser says what it last saw: anything newer is a
	// change it has missed while away.
	last, perr := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	rc := http.NewResponseController(w)
	// The server's read deadline would end the request (and this stream)
	// once it passed; a stream reads nothing, so lift it.
	rc.SetReadDeadline(time.Time{})
	write := func(format string, args ...any) bool {
		if s.limits.WriteTimeout > 0 {
			rc.SetWriteDeadline(time.Now().Add(streamWriteWindow))
		}
		fmt.Fprintf(w, format, args...)
		return rc.Flush() == nil
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	hello := "hello"
	if perr == nil && last != mark {
		hello = "change"
	}
	if !write("retry: 3000\nid: %d\nevent: %s\ndata: %d\n\n", mark, hello, mark) {
		return
	}
	keepAlive := time.NewTicker(keepAliveEvery)
	defer keepAlive.Stop()
	recheck := time.NewTicker(recheckEvery)
	defer recheck.Stop()
	for {
		cs, next, wake, lost := feed.Since(fmark)
		fmark = next
		changed, resync := false, lost
		for _, c := range cs {
			switch {
			case c.Incident == 0:
				resync = true
			case id != 0 && c.Incident == id:
				changed, mark = true, max(mark, c.Entry)
			case id == 0: // the overview's mark is the newest entry anywhere, as Changes has it
				changed, mark = changed || concerns(c.Org), max(mark, c.Entry)
			}
		}
		if resync {
			// The feed cannot say what changed: ask the database, once.
			n, ch, err := s.App.Dashboard.Changes(r.Context(), sess.User, id, mark)
			if err != nil {
				s.endStream(r, write)
				return
			}
			changed, mark = changed || ch, max(mark, n)
		}
		if changed && !write("id: %d\nevent: change\ndata: %d\n\n", mark, mark) {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-s.console.done:
			return
		case <-wake:
		case <-keepAlive.C:
			if !write(": keep-alive\n\n") {
				return
			}
		case <-recheck.C:
			if _, err := s.App.Accounts.SessionUser(r.Context(), ck.Value); err != nil {
				write("event: gone\ndata: session\n\n")
				return
			}
			if _, _, err := s.App.Dashboard.Changes(r.Context(), sess.User, id, mark); err != nil {
				s.endStream(r, write)
				return
			}
			if id == 0 { // organisations may have been added meanwhile
				if c, err := s.App.Dashboard.ChangeConcerns(r.Context(), sess.User); err == nil {
					concerns = c
				}
			}
		}
	}
}

// endStream tells the browser the stream ended for good (it may no longer
// see the incident, or the database failed), unless the browser left.
func (s *Server) endStream(r *http.Request, write func(string, ...any) bool) {
	if r.Context().Err() == nil {
		write("event: gone\ndata: error\n\n")
	}
}
