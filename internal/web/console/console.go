package console

import (
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"yingji/internal/accounts"
	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/user"
)

// The console (指挥台) is server-rendered HTML that works without
// JavaScript; a small script adds live updates, countdowns and
// confirmations. Handlers decode the form, call one service method and
// redirect (POST/redirect/GET), or render a page.

//go:embed templates static
var consoleFS embed.FS

const (
	sessionCookie = "yingji_session"
	flashCookie   = "yingji_flash"
	loginCSRF     = "yingji_login_csrf"
	langCookie    = "lang"
)

type console struct {
	pages map[string]*template.Template
	done  chan struct{} // closed when the server shuts down: streams end
	once  sync.Once
}

// req is one console request of a logged-in user.
type req struct {
	sess *accounts.Session
	u    *user.User
	l    i18n.Lang
}

type consoleHandler func(w http.ResponseWriter, r *http.Request, c *req) error

// page runs h for a logged-in user. Without a session a page redirects to
// the login form; a POST must carry the session's CSRF token, else it is
// refused with 403 before anything runs.
func (s *Server) page(h consoleHandler) http.Handler { return s.pageIn(h) }

// pageIn is page for a handler that also serves sessions in the given
// stages of a login (second factor awaited, enrolment required); any other
// page sends such a session to where its login goes on.
func (s *Server) pageIn(h consoleHandler, stages ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		l := consoleLang(r)
		ck, _ := r.Cookie(sessionCookie)
		var token string
		if ck != nil {
			token = ck.Value
		}
		sess, err := s.App.Accounts.Visit(r.Context(), token)
		if err != nil {
			if errs.CodeOf(err) == errs.Unauthorized {
				if !s.allow(w, r, s.limits.Anon) {
					return
				}
				if ck != nil {
					clearCookie(w, r, sessionCookie)
				}
				next := r.URL.RequestURI()
				if r.Method != http.MethodGet {
					next = "/"
				}
				http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, &req{l: l}, err)
			return
		}
		if sess.Stage != "" && !slices.Contains(stages, sess.Stage) {
			http.Redirect(w, r, stagePage[sess.Stage], http.StatusSeeOther)
			return
		}
		c := &req{sess: sess, u: sess.User, l: l}
		if r.Method == http.MethodPost {
			if tooLarge(w, r) {
				s.renderTooLarge(w, r, c)
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.CSRF)) != 1 {
				s.renderError(w, r, c, errs.New(errs.Forbidden, "error.csrf"))
				return
			}
		}
		if err := cleanForm(r, l); err != nil { // form_text.go: NUL, control characters, invalid UTF-8
			s.renderError(w, r, c, err)
			return
		}
		if err := h(w, r, c); err != nil {
			s.renderError(w, r, c, err)
		}
	})
}

func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

func consoleLang(r *http.Request) i18n.Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		return i18n.Parse(c.Value)
	}
	return i18n.ZH
}

// secure reports whether the browser reached us over TLS, directly or
// through a proxy that terminated it.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) { setCookie(w, r, name, "", -1) }

// flash is a one-shot message shown on the next page.
type flash struct {
	Kind string // ok, error
	Text string
}

func setFlash(w http.ResponseWriter, r *http.Request, kind, text string) {
	setCookie(w, r, flashCookie, kind+":"+url.QueryEscape(boundFlash(text)), 60)
}

func takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	clearCookie(w, r, flashCookie)
	kind, text, _ := strings.Cut(c.Value, ":")
	text, _ = url.QueryUnescape(text)
	if text == "" || (kind != "ok" && kind != "error") {
		return nil
	}
	return &flash{Kind: kind, Text: text}
}

// errText is the message for err, naming the field when there is one.
func errText(l i18n.Lang, err error) string {
	e := errs.As(err)
	msg := i18n.T(l, e.Key, e.Args...)
	if e.Field != "" {
		if k := "field." + fieldLabels[e.Field]; fieldLabels[e.Field] != "" && i18n.Has(k) {
			return i18n.T(l, "error.field_in", i18n.T(l, k), msg)
		}
	}
	return msg
}

var fieldLabels = map[string]string{"reason": "reason", "opinion": "opinion", "text": "note", "note": "task_note", "title": "sum_title",
	"body": "sum_body", "assignee_id": "assignee", "status": "status", "decision": "opinion", "org": "org", "level": "level",
	"until": "silence_until", "category": "category"}

// back redirects to where the form came from, with a flash message.
func back(w http.ResponseWriter, r *http.Request, fallback, kind, text string) error {
	setFlash(w, r, kind, text)
	http.Redirect(w, r, localRedirect(r.PostFormValue("back"), fallback), http.StatusSeeOther)
	return nil
}

// done finishes a form: on success a flash and a redirect; on bad input or
// a refused transition the same, with the error; anything else is an error page.
func done(w http.ResponseWriter, r *http.Request, c *req, fallback string, err error, ok string) error {
	if err == nil {
		return back(w, r, fallback, "ok", ok)
	}
	switch errs.CodeOf(err) {
	case errs.Invalid, errs.Conflict:
		return back(w, r, fallback, "error", errText(c.l, err))
	}
	return err
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, c *req, err error) {
	e := errs.As(err)
	st := status[e.Code]
	if e.Code == errs.Internal {
		s.logError("console error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		st = http.StatusRequestEntityTooLarge
	}
	p := s.newPage(w, r, c, i18n.T(c.l, "error.title"), "")
	p.Data = map[string]any{"Status": st, "Message": i18n.T(c.l, e.Key, e.Args...)}
	s.render(w, st, "error", p)
}

// timeIn renders a time in the plan's zone whatever the server's: Chinese as
// 2026年11月28日 17:00, English as 2026-11-28 17:00.
func timeIn(l i18n.Lang, loc *time.Location, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	if l == i18n.EN {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006年1月2日 15:04")
}
