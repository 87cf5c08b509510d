package console

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/alerts"
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
	ck, sess, ok := s.streamSession(w, r)
	if !ok {
		return
	}
	var err error
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
	// A reconnecting browser says what it last saw: anything newer is a
	// change it has missed while away.
	last, perr := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	st, ok := s.openStream(w, r, sess.ID, perr == nil && last != mark, mark, mark)
	if !ok {
		return
	}
	defer st.close()
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
				s.endStream(r, st.write)
				return
			}
			changed, mark = changed || ch, max(mark, n)
		}
		if changed && !st.write("id: %d\nevent: change\ndata: %d\n\n", mark, mark) {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-s.console.done:
			return
		case <-wake:
		case <-st.keepAlive.C:
			if !st.write(": keep-alive\n\n") {
				return
			}
		case <-st.recheck.C:
			if _, err := s.App.Accounts.SessionUser(r.Context(), ck.Value); err != nil {
				st.write("event: gone\ndata: session\n\n")
				return
			}
			if _, _, err := s.App.Dashboard.Changes(r.Context(), sess.User, id, mark); err != nil {
				s.endStream(r, st.write)
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

// streamSession is the session a stream runs for; without one it answers
// 401 (within the anonymous rate) and returns false.
func (s *Server) streamSession(w http.ResponseWriter, r *http.Request) (*http.Cookie, *accounts.Session, bool) {
	ck, err := r.Cookie(sessionCookie)
	var sess *accounts.Session
	if err == nil {
		sess, err = s.App.Accounts.SessionUser(r.Context(), ck.Value)
	}
	if err != nil {
		if s.allow(w, r, s.limits.Anon) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
		}
		return nil, nil, false
	}
	return ck, sess, true
}

// alertEvents is the alert queue's stream: "change" after a commit on this
// node wrote alerts, at most one a second (signals can come by the
// thousand), so that a new alert shows within about a second rather than
// at the page's next poll. It says nothing of which alerts changed: the
// page fetches itself, and shows only what the user may see.
func (s *Server) alertEvents(w http.ResponseWriter, r *http.Request) {
	ck, sess, ok := s.streamSession(w, r)
	if !ok {
		return
	}
	if !alerts.MayHandle(sess.User) {
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return
	}
	// A reconnecting browser may have missed changes while away.
	st, ok := s.openStream(w, r, sess.ID, r.Header.Get("Last-Event-ID") != "", 1, 0)
	if !ok {
		return
	}
	defer st.close()
	changed := s.App.Alerts.Changed()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.console.done:
			return
		case <-changed:
			// Listen again before writing: a change from now on closes the
			// new channel, and is sent once the gap has passed.
			changed = s.App.Alerts.Changed()
			if !st.write("id: 1\nevent: change\ndata: 0\n\n") {
				return
			}
			select {
			case <-r.Context().Done():
				return
			case <-s.console.done:
				return
			case <-time.After(AlertEventGap):
			}
		case <-st.keepAlive.C:
			if !st.write(": keep-alive\n\n") {
				return
			}
		case <-st.recheck.C:
			if sess, err := s.App.Accounts.SessionUser(r.Context(), ck.Value); err != nil || !alerts.MayHandle(sess.User) {
				st.write("event: gone\ndata: session\n\n")
				return
			}
		}
	}
}

// AlertEventGap is the least time between two changes the alert queue's
// stream sends (a test makes it shorter).
var AlertEventGap = time.Second

// stream is an open event stream. write reports whether the browser is
// still there; keepAlive says when an idle stream writes a comment,
// recheck when it asks again whether it may go on; close stops both and
// gives the stream's slot back.
type stream struct {
	write              func(format string, args ...any) bool
	keepAlive, recheck *time.Ticker
	close              func()
}

// openStream takes one of the node's and the session's stream slots (429
// when there is none: ok false, answered) and starts an event stream on w
// with its first event: the reconnection delay, the event id and data, and
// "change" when the browser missed something, else "hello". ok is false
// when the browser has already gone. Both streams (events, alertEvents)
// open through it.
func (s *Server) openStream(w http.ResponseWriter, r *http.Request, sessID int64, missed bool, id, data int64) (*stream, bool) {
	if !s.limits.Streams.Acquire(sessID, s.limits.MaxStreams, s.limits.MaxStreamsPerSession) {
		w.Header().Set("Retry-After", "30")
		http.Error(w, i18n.T(consoleLang(r), "error.too_many_streams"), http.StatusTooManyRequests)
		return nil, false
	}
	rc := http.NewResponseController(w)
	// The server's read deadline would end the request (and this stream)
	// once it passed; a stream reads nothing, so lift it.
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	st := &stream{keepAlive: time.NewTicker(keepAliveEvery), recheck: time.NewTicker(recheckEvery)}
	st.write = func(format string, args ...any) bool {
		if s.limits.WriteTimeout > 0 {
			rc.SetWriteDeadline(time.Now().Add(streamWriteWindow))
		}
		fmt.Fprintf(w, format, args...)
		return rc.Flush() == nil
	}
	st.close = func() {
		st.keepAlive.Stop()
		st.recheck.Stop()
		s.limits.Streams.Release(sessID)
	}
	hello := "hello"
	if missed {
		hello = "change"
	}
	if !st.write("retry: 3000\nid: %d\nevent: %s\ndata: %d\n\n", id, hello, data) {
		st.close()
		return nil, false
	}
	return st, true
}

// endStream tells the browser the stream ended for good (it may no longer
// see the incident, or the database failed), unless the browser left.
func (s *Server) endStream(r *http.Request, write func(string, ...any) bool) {
	if r.Context().Err() == nil {
		write("event: gone\ndata: error\n\n")
	}
}
