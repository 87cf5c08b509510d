package console

import (
	"net/http"
	"net/url"
	"strings"

	"yingji/internal/bulletin"
	"yingji/internal/errs"
	"yingji/internal/i18n"
)

// maxBulletinAnswer bounds a unit's answer form: notes of 2,000 characters and
// ten attachments' names and hashes fit many times over.
const maxBulletinAnswer = 64 << 10

// bulletinLink is a unit's page (issue 14): no login, the token is the
// credential. GET shows the 通报 and, until the unit answered, the 签收
// button and the answer form; POST action=receive signs for it, POST
// action=answer reports what the unit did (and uses the link up).
func (s *Server) bulletinLink(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	c := &req{l: consoleLang(r)}
	svc := s.App.Bulletins
	tok := r.PathValue("token")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxBulletinAnswer)
		var err error
		if err = r.ParseForm(); err == nil {
			switch r.PostForm.Get("action") {
			case "receive":
				err = svc.Receive(r.Context(), tok)
			default:
				err = svc.Answer(r.Context(), tok, unitReply(r))
			}
		}
		if err == nil {
			http.Redirect(w, r, "/b/"+url.PathEscape(tok), http.StatusSeeOther)
			return
		}
		if v, verr := svc.ByToken(r.Context(), tok); verr == nil {
			// Bad input: the page again, with the message and what was typed.
			p := s.newPage(w, r, c, i18n.T(c.l, "bl.page_title"), "")
			e := errs.As(err)
			p.Data = map[string]any{"V": v, "Token": tok, "Answers": bulletin.Answers, "Error": i18n.T(c.l, e.Key, e.Args...), "Field": e.Field, "Notes": r.PostForm.Get("notes")}
			s.render(w, status[e.Code], "bulletin_unit", p)
			return
		}
		s.renderError(w, r, c, err)
		return
	}
	v, err := svc.ByToken(r.Context(), tok)
	if err != nil {
		s.renderError(w, r, c, err)
		return
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "bl.page_title"), "")
	p.Data = map[string]any{"V": v, "Token": tok, "Answers": bulletin.Answers}
	s.render(w, http.StatusOK, "bulletin_unit", p)
}

// unitReply reads the answer form. The browser puts each attachment's
// SHA-256 and name, one per line ("<hex> <name>"), in the hidden field
// "attachments"; the files themselves are never sent.
func unitReply(r *http.Request) bulletin.Reply {
	rep := bulletin.Reply{Answer: bulletin.Answer(r.PostForm.Get("answer")), Notes: r.PostForm.Get("notes")}
	for _, line := range strings.Split(r.PostForm.Get("attachments"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		sum, name, _ := strings.Cut(line, " ")
		rep.Attachments = append(rep.Attachments, bulletin.Attachment{Name: strings.TrimSpace(name), SHA256: sum})
	}
	return rep
}
