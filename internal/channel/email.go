package channel

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Email sends over SMTP: implicit TLS (port 465), STARTTLS (587, refused
// when the server does not offer it) or none (a relay on the same host);
// PLAIN auth when a username is set. Subject and body are UTF-8; the body
// is multipart/alternative with a plain and an HTML part.
type Email struct {
	Host     string
	Port     int
	Security string // "tls", "starttls" (default) or "none"
	Username string
	Password string
	From     string
	// TLS overrides the TLS configuration (a private CA); nil: the system's.
	TLS     *tls.Config
	Timeout time.Duration
	Now     func() time.Time
	// KeepOpen is how many authenticated connections are kept between
	// sends (RSET before reuse), so that a burst does not pay the TCP, TLS
	// and AUTH handshakes for every message. 0: none.
	KeepOpen int

	mu   sync.Mutex
	idle []kept
}

// kept is an idle connection and when it was dialled: its deadline is two
// minutes after, and it is not reused after one.
type kept struct {
	c    *smtp.Client
	born time.Time
}

func (e *Email) Kind() string { return "email" }

func (e *Email) addr() string { return net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) }

func (e *Email) tlsConfig() *tls.Config {
	if e.TLS != nil {
		c := e.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = e.Host
		}
		return c
	}
	return &tls.Config{ServerName: e.Host, MinVersion: tls.VersionTLS12}
}

func (e *Email) Send(ctx context.Context, m Message) error {
	if _, err := mail.ParseAddress(m.To); err != nil {
		return &Error{Msg: "email: bad address", Permanent: true}
	}
	k, err := e.client(ctx)
	if err != nil {
		return err
	}
	if err := e.transact(k.c, m); err != nil {
		k.c.Close()
		return err
	}
	e.mu.Lock()
	if len(e.idle) < e.KeepOpen {
		e.idle = append(e.idle, k)
		k.c = nil
	}
	e.mu.Unlock()
	if k.c != nil {
		k.c.Quit()
		k.c.Close()
	}
	return nil
}

// client takes a kept connection that still answers RSET, or dials.
func (e *Email) client(ctx context.Context) (kept, error) {
	for {
		e.mu.Lock()
		var k kept
		if n := len(e.idle); n > 0 {
			k, e.idle = e.idle[n-1], e.idle[:n-1]
		}
		e.mu.Unlock()
		if k.c == nil {
			c, err := e.dial(ctx)
			return kept{c, time.Now()}, err
		}
		if time.Since(k.born) < time.Minute && k.c.Reset() == nil {
			return k, nil
		}
		k.c.Close()
	}
}

func (e *Email) transact(c *smtp.Client, m Message) error {
	if err := c.Mail(e.From); err != nil {
		return smtpError(err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return smtpError(err)
	}
	w, err := c.Data()
	if err != nil {
		return smtpError(err)
	}
	if _, err := w.Write(e.compose(m)); err != nil {
		return smtpError(err)
	}
	return smtpError(w.Close())
}

// dial connects, secures and authenticates a connection.
func (e *Email) dial(ctx context.Context) (*smtp.Client, error) {
	timeout := e.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	var conn net.Conn
	var err error
	if e.Security == "tls" {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: e.tlsConfig()}).DialContext(ctx, "tcp", e.addr())
	} else {
		conn, err = d.DialContext(ctx, "tcp", e.addr())
	}
	if err != nil {
		return nil, &Error{Msg: "smtp " + e.addr() + ": " + err.Error()}
	}
	// A deadline per connection; a kept one is not reused after a minute.
	conn.SetDeadline(time.Now().Add(max(timeout, 2*time.Minute)))
	c, err := smtp.NewClient(conn, e.Host)
	if err != nil {
		conn.Close()
		return nil, smtpError(err)
	}
	fail := func(err error) (*smtp.Client, error) {
		c.Close()
		return nil, err
	}
	if err := c.Hello("yingji"); err != nil {
		return fail(smtpError(err))
	}
	if e.Security == "" || e.Security == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			// Never fall back to sending the password and the notice in clear.
			return fail(&Error{Msg: "smtp " + e.addr() + ": server does not offer STARTTLS", Permanent: true})
		}
		if err := c.StartTLS(e.tlsConfig()); err != nil {
			return fail(smtpError(err))
		}
	}
	if e.Username != "" {
		if err := c.Auth(plainAuth{e.Username, e.Password, e.Security != "none"}); err != nil {
			return fail(smtpError(err))
		}
	}
	return c, nil
}

// plainAuth is PLAIN over a TLS connection; net/smtp's refuses anything but
// TLS or localhost, and a relay on the same host with Security none is the
// operator's explicit choice.
type plainAuth struct {
	user, pass string
	tls        bool
}

func (a plainAuth) Start(s *smtp.ServerInfo) (string, []byte, error) {
	if !s.TLS && a.tls {
		return "", nil, fmt.Errorf("refusing to send the password without TLS")
	}
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next([]byte, bool) ([]byte, error) { return nil, nil }

// smtpError classifies an SMTP error: 5xx answers are permanent.
func smtpError(err error) error {
	if err == nil {
		return nil
	}
	if tp, ok := err.(*textproto.Error); ok && tp.Code >= 500 {
		return &Error{Msg: "smtp: " + tp.Error(), Permanent: true}
	}
	return &Error{Msg: "smtp: " + err.Error()}
}

// compose builds the message: UTF-8 headers in RFC 2047 encoded words,
// both parts base64 so that no line is too long.
func (e *Email) compose(m Message) []byte {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", e.From)
	hdr("To", m.To)
	hdr("Subject", mime.BEncoding.Encode("UTF-8", m.Subject))
	hdr("Date", now(e.Now).Format(time.RFC1123Z))
	hdr("Message-ID", "<"+m.Key+"@yingji>")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	part := func(ctype, body string) {
		w, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {ctype + "; charset=UTF-8"}, "Content-Transfer-Encoding": {"base64"}})
		enc := base64.StdEncoding.EncodeToString([]byte(body))
		for len(enc) > 76 {
			w.Write([]byte(enc[:76] + "\r\n"))
			enc = enc[76:]
		}
		w.Write([]byte(enc + "\r\n"))
	}
	part("text/plain", m.Text)
	html := m.HTML
	if html == "" {
		html = "<p>" + strings.ReplaceAll(htmlEscape(m.Text), "\n", "<br>") + "</p>"
	}
	part("text/html", html)
	mw.Close()
	return b.Bytes()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
