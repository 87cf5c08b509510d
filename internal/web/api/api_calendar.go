package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/service"
	"yingji/internal/user"
)

// calendarFeed serves the organisation's roster for the past week and the
// next eight weeks as iCalendar (RFC 5545).
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	var u *user.User
	var err error
	if tok := r.URL.Query().Get("token"); tok != "" {
		u, err = s.Svc.FeedUser(r.Context(), tok)
	} else {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		u, err = s.Svc.Authenticate(r.Context(), strings.TrimSpace(token))
	}
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	now := s.Svc.Now()
	sc, err := s.Svc.DutySchedule(r.Context(), u, 0, now.AddDate(0, 0, -7), now.AddDate(0, 0, 56))
	if err != nil {
		s.writeProblem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write([]byte(Calendar(sc, now, i18n.ZH)))
}

// Calendar renders a schedule as an RFC 5545 calendar with UTC times.
func Calendar(sc *service.Schedule, stamp time.Time, l i18n.Lang) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICS(s)) }
	utc := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//yingji//duty roster//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escICS("值班表"))
	line("X-WR-TIMEZONE:Asia/Shanghai")
	for _, v := range sc.Shifts {
		sh := v.Shift
		var names []string
		for _, o := range v.Officers {
			names = append(names, o.DisplayName)
		}
		leader := "（未排）"
		if v.Leader != nil {
			leader = v.Leader.DisplayName
		}
		summary := i18n.T(l, "duty.kind."+string(sh.Kind)) + " 值班领导：" + leader + "；值班员：" + strings.Join(names, "、")
		if !sh.Staffed() {
			summary = "【缺岗】" + summary
		}
		line("BEGIN:VEVENT")
		line("UID:shift-" + strconv.FormatInt(sh.ID, 10) + "@yingji")
		line("DTSTAMP:" + utc(stamp))
		line("DTSTART:" + utc(sh.Start))
		line("DTEND:" + utc(sh.End))
		line("SUMMARY:" + escICS(summary))
		if sh.Note != "" {
			line("DESCRIPTION:" + escICS(sh.Note))
		}
		line("END:VEVENT")
	}
	for _, p := range sc.Periods {
		line("BEGIN:VEVENT")
		line("UID:period-" + strconv.FormatInt(p.ID, 10) + "@yingji")
		line("DTSTAMP:" + utc(stamp))
		line("DTSTART:" + utc(p.Start))
		line("DTEND:" + utc(p.End))
		line("SUMMARY:" + escICS("【敏感时期】"+p.Name+" "+p.Level))
		line("DESCRIPTION:" + escICS("值班领导不少于 "+strconv.Itoa(p.MinLeaders)+" 人，值班员不少于 "+strconv.Itoa(p.MinOfficers)+" 人。\n"+p.Note))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}

// escICS escapes a TEXT value (RFC 5545 3.3.11).
func escICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it at 75 octets without
// splitting a UTF-8 sequence (RFC 5545 3.1).
func foldICS(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}
