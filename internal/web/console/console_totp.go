package console

import (
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"yingji/internal/errs"
	"yingji/internal/i18n"
	"yingji/internal/user"
)

// stagePage is where a half-done login goes on.
var stagePage = map[string]string{user.StageTOTP: "/login/totp", user.StageEnrol: "/account/totp"}

type totpLoginForm struct {
	Next, Error string
}

// halfPage is a page for a session whose login is not complete: no
// navigation, since nothing behind it is open yet.
func (s *Server) halfPage(w http.ResponseWriter, r *http.Request, c *req, title, name string) *view {
	p := s.newPage(w, r, c, title, name)
	if c.sess.Stage != "" {
		p.User = nil
	}
	return p
}

func (s *Server) totpLoginPage(w http.ResponseWriter, r *http.Request, c *req) error {
	if c.sess.Stage == "" { // already through (a bookmark, the back button)
		http.Redirect(w, r, localRedirect(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
		return nil
	}
	p := s.halfPage(w, r, c, i18n.T(c.l, "totp.login_title"), "login")
	p.Data = totpLoginForm{Next: localRedirect(r.URL.Query().Get("next"), "/")}
	s.render(w, http.StatusOK, "totp_login", p)
	return nil
}

func (s *Server) totpLoginSubmit(w http.ResponseWriter, r *http.Request, c *req) error {
	remote, _, _ := net.SplitHostPort(r.RemoteAddr)
	next := localRedirect(r.PostFormValue("next"), "/")
	if c.sess.Stage == "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	sess, err := s.App.Accounts.SecondFactor(r.Context(), c.sess, r.PostFormValue("code"), remote)
	if err != nil {
		e := errs.As(err)
		switch e.Code {
		case errs.Invalid: // a wrong code: try again
			p := s.halfPage(w, r, c, i18n.T(c.l, "totp.login_title"), "login")
			p.Data = totpLoginForm{Next: next, Error: errText(c.l, err)}
			s.render(w, http.StatusUnauthorized, "totp_login", p)
			return nil
		case errs.Unauthorized: // locked: the login starts again
			clearCookie(w, r, sessionCookie)
			s.renderLogin(w, r, http.StatusUnauthorized, loginForm{Next: next, CSRF: s.loginToken(w, r), Error: errText(c.l, err)})
			return nil
		}
		return err
	}
	setCookie(w, r, sessionCookie, sess.Token, 0)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

type totpForm struct {
	Required  bool          // the session is held until enrolment
	Enrolled  bool          // status only: the secret is never shown again
	CodesLeft int           //
	Secret    string        // while enrolling
	QR        template.HTML // an inline SVG drawn from the otpauth:// URI
	Codes     []string      // the recovery codes, on the one page that shows them
	Error     string
}

func (s *Server) totpPage(w http.ResponseWriter, r *http.Request, c *req) error {
	f := totpForm{Required: c.sess.Stage == user.StageEnrol}
	enrolled, left, err := s.App.Accounts.TOTPStatus(r.Context(), c.u)
	if err != nil {
		return err
	}
	if enrolled {
		f.Enrolled, f.CodesLeft = true, left
	} else if err := s.startTOTP(r, c, &f); err != nil {
		return err
	}
	p := s.halfPage(w, r, c, i18n.T(c.l, "totp.title"), "totp")
	p.Data = f
	s.render(w, http.StatusOK, "totp", p)
	return nil
}

func (s *Server) startTOTP(r *http.Request, c *req, f *totpForm) error {
	en, err := s.App.Accounts.StartTOTP(r.Context(), c.u)
	if err != nil {
		return err
	}
	qr, err := qrSVG(en.URI)
	if err != nil {
		return err
	}
	f.Secret, f.QR = spaced(en.Secret), qr
	return nil
}

func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request, c *req) error {
	f := totpForm{Required: c.sess.Stage == user.StageEnrol}
	codes, err := s.App.Accounts.ConfirmTOTP(r.Context(), c.sess, r.PostFormValue("code"))
	st := http.StatusOK
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			return err
		}
		f.Error, st = errText(c.l, err), http.StatusBadRequest
		if err := s.startTOTP(r, c, &f); err != nil {
			return err
		}
	} else {
		f = totpForm{Enrolled: true, Codes: codes, CodesLeft: len(codes)}
	}
	p := s.halfPage(w, r, c, i18n.T(c.l, "totp.title"), "totp")
	p.Data = f
	s.render(w, st, "totp", p)
	return nil
}

// qrSVG draws the QR code of text as an SVG of black squares. Drawing it
// here keeps the secret on this server: no chart service, no script.
// skip2/go-qrcode is used for the encoding only (no dependencies of its own).
func qrSVG(text string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", errs.Wrap(err, "qr code")
	}
	bm := q.Bitmap() // with the four-module quiet zone
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="240" height="240" shape-rendering="crispEdges" role="img" class="qr"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bm), len(bm))
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	// Only numbers and fixed markup are written above: safe as HTML.
	return template.HTML(b.String()), nil
}

// spaced groups a base32 secret by four for typing it into an app.
func spaced(secret string) string {
	var b strings.Builder
	for i, c := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
