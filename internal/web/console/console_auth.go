package console

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"unicode/utf8"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/user"
)

// maxUsername bounds what a login form may name before anyone is
// authenticated (a 60 KB name used to be written whole into the audit log).
const maxUsername = 64

type loginForm struct {
	Username, Next, CSRF, Error string
}

// loginPage shows the login form. Before there is a session the form is
// protected by a double-submit token: a random cookie echoed in the form.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	s.renderLogin(w, r, http.StatusOK, loginForm{Next: localRedirect(r.URL.Query().Get("next"), "/"), CSRF: s.loginToken(w, r)})
}

// loginToken sets (or keeps) the login form's double-submit cookie.
func (s *Server) loginToken(w http.ResponseWriter, r *http.Request) string {
	// Keep an existing token: another tab (or the browser fetching an icon
	// that redirects here) must not invalidate a form already on screen.
	var token string
	if c, err := r.Cookie(loginCSRF); err == nil && len(c.Value) >= 32 {
		token = c.Value
	} else {
		token, _ = user.NewToken()
	}
	setCookie(w, r, loginCSRF, token, 3600)
	return token
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, st int, f loginForm) {
	c := &req{l: consoleLang(r)}
	p := s.newPage(w, r, c, i18n.T(c.l, "login.title"), "login")
	p.Data = f
	s.render(w, st, "login", p)
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	l := consoleLang(r)
	ck, err := r.Cookie(loginCSRF)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.renderError(w, r, &req{l: l}, errs.New(errs.Forbidden, "error.csrf"))
		return
	}
	f := loginForm{Username: r.PostFormValue("username"), Next: localRedirect(r.PostFormValue("next"), "/"), CSRF: ck.Value}
	// Refused here, before it is looked up or quoted in the audit record of
	// a failed login: an anonymous client must not choose how much we write.
	if utf8.RuneCountInString(f.Username) > maxUsername {
		f.Username = ""
		f.Error = i18n.T(l, "error.username_too_long", maxUsername)
		s.renderLogin(w, r, http.StatusBadRequest, f)
		return
	}
	remote, _, _ := net.SplitHostPort(r.RemoteAddr)
	sess, err := s.App.Accounts.Login(r.Context(), f.Username, r.PostFormValue("password"), remote)
	if err != nil {
		e := errs.As(err)
		if e.Code != errs.Unauthorized && e.Code != errs.Invalid {
			s.renderError(w, r, &req{l: l}, err)
			return
		}
		f.Error = errText(l, err)
		st := http.StatusUnauthorized
		if e.Code == errs.Invalid {
			st = http.StatusBadRequest
		}
		s.renderLogin(w, r, st, f)
		return
	}
	clearCookie(w, r, loginCSRF)
	setCookie(w, r, sessionCookie, sess.Token, 0)
	switch sess.Stage {
	case user.StageTOTP:
		http.Redirect(w, r, "/login/totp?next="+url.QueryEscape(f.Next), http.StatusSeeOther)
	case user.StageEnrol:
		http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
	default:
		http.Redirect(w, r, f.Next, http.StatusSeeOther)
	}
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *req) error {
	if err := s.App.Accounts.Logout(r.Context(), c.sess.Token); err != nil {
		return err
	}
	clearCookie(w, r, sessionCookie)
	setFlash(w, r, "ok", i18n.T(c.l, "logout.done"))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// switchLang remembers the reader's language and goes back to the page.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	l := i18n.Parse(r.URL.Query().Get("to"))
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localRedirect(r.URL.Query().Get("back"), "/"), http.StatusSeeOther)
}

type passwordForm struct {
	Errors map[string]string
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, c *req) error {
	p := s.newPage(w, r, c, i18n.T(c.l, "password.title"), "password")
	p.Data = passwordForm{}
	s.render(w, http.StatusOK, "password", p)
	return nil
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	err := s.App.Accounts.ChangePassword(r.Context(), c.sess, r.PostFormValue("old_password"), r.PostFormValue("new_password"), r.PostFormValue("confirm_password"))
	if e := errs.As(err); err != nil && e.Code == errs.Invalid {
		p := s.newPage(w, r, c, i18n.T(c.l, "password.title"), "password")
		p.Data = passwordForm{Errors: map[string]string{e.Field: i18n.T(c.l, e.Key, e.Args...)}}
		s.render(w, http.StatusBadRequest, "password", p)
		return nil
	}
	if errs.CodeOf(err) == errs.Unauthorized { // locked by wrong current passwords: the session has ended
		clearCookie(w, r, sessionCookie)
		setFlash(w, r, "error", errText(c.l, err))
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	setFlash(w, r, "ok", i18n.T(c.l, "password.done"))
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
