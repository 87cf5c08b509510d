package api

import (
	"net/http"
	"strings"

	"yingji/internal/i18n"
	"yingji/internal/rota"
	"yingji/internal/user"
)

// calendarFeed serves the organisation's roster for the past week and the
// next eight weeks as iCalendar (RFC 5545).
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	var u *user.User
	var err error
	if tok := r.URL.Query().Get("token"); tok != "" {
		u, err = s.App.Rota.FeedUser(r.Context(), tok)
	} else {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		u, err = s.App.Accounts.Authenticate(r.Context(), strings.TrimSpace(token))
	}
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	now := s.App.Core.Now()
	sc, err := s.App.Rota.DutySchedule(r.Context(), u, 0, now.AddDate(0, 0, -7), now.AddDate(0, 0, 56))
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write([]byte(rota.Calendar(sc, now, i18n.ZH)))
}
