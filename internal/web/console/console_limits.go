package console

import (
	"errors"
	"mime"
	"net/http"
	"unicode/utf8"

	"yingji/internal/i18n"
)

// maxConsoleBody bounds a console form, file uploads included: larger
// ledgers go through the API or the CLI.
const (
	maxConsoleBody      = 1 << 20
	maxConsoleBodyLabel = "1 MiB"
)

// tooLarge reads the form of a console POST under maxConsoleBody and reports
// whether it was over. Parsing here, before the CSRF check, lets an oversized
// upload be told as such rather than as a form that has expired (the token
// sits after the file and was never reached).
func tooLarge(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxConsoleBody)
	var err error
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxConsoleBody)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func (s *Server) renderTooLarge(w http.ResponseWriter, r *http.Request, c *req) {
	st := http.StatusRequestEntityTooLarge
	p := s.newPage(w, r, c, i18n.T(c.l, "error.title"), "")
	p.Data = map[string]any{"Status": st, "Message": i18n.T(c.l, "error.form_too_large", maxConsoleBodyLabel)}
	s.render(w, st, "error", p)
}

// maxFlash bounds the one-shot message, which often quotes what the user
// typed: the cookie carrying it must stay far below the 4 KB browsers keep
// (escaped, a Chinese character takes 9 bytes).
const maxFlash = 300

func boundFlash(text string) string {
	if utf8.RuneCountInString(text) <= maxFlash {
		return text
	}
	return string([]rune(text)[:maxFlash-1]) + "…"
}
