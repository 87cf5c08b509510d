package chantest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http/httptest"
	"net/mail"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one message the SMTP server accepted.
type Mail struct {
	From, To string
	Data     []byte
	Header   mail.Header
	TLS      bool
	User     string
}

// SMTP is an SMTP server run inside the test. It offers STARTTLS with a
// test certificate (or implicit TLS), requires PLAIN auth when User is set,
// and keeps every message.
type SMTP struct {
	Addr string
	Host string
	Port int
	// RootCAs trusts the server's test certificate.
	RootCAs *x509.CertPool

	srv  *smtp.Server
	ln   net.Listener
	mu   sync.Mutex
	mail []Mail
	user string
	pass string
	down bool
}

// StartSMTP starts a server; implicit selects TLS from the first byte
// instead of STARTTLS. user "" accepts mail without auth.
func StartSMTP(t testing.TB, implicit bool, user, pass string) *SMTP {
	t.Helper()
	// httptest's TLS server gives a certificate for 127.0.0.1 and a pool
	// that trusts it.
	ts := httptest.NewTLSServer(nil)
	cert := ts.TLS.Certificates[0]
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	ts.Close()
	s := &SMTP{RootCAs: pool, user: user, pass: pass}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		down := s.down
		s.mu.Unlock()
		if down {
			return nil, &smtp.SMTPError{Code: 421, Message: "service not available"}
		}
		return &session{s: s, conn: c}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.MaxMessageBytes = 1 << 20
	var err error
	if implicit {
		s.ln, err = tls.Listen("tcp", "127.0.0.1:0", s.srv.TLSConfig)
	} else {
		s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go s.srv.Serve(s.ln)
	t.Cleanup(func() { s.srv.Close() })
	s.Addr = s.ln.Addr().String()
	a := s.ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", a.Port
	return s
}

// Mails returns what was accepted.
func (s *SMTP) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

// Down makes the server answer 421 to every new connection until Up.
func (s *SMTP) Down() { s.mu.Lock(); s.down = true; s.mu.Unlock() }

// Up brings it back.
func (s *SMTP) Up() { s.mu.Lock(); s.down = false; s.mu.Unlock() }

type session struct {
	s    *SMTP
	conn *smtp.Conn
	m    Mail
	auth bool
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.user || password != ss.s.pass {
			return errors.New("invalid credentials")
		}
		ss.auth, ss.m.User = true, username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.auth {
		return smtp.ErrAuthRequired
	}
	ss.m.From = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error { ss.m.To = to; return nil }

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.m.Data = b
	_, ss.m.TLS = ss.conn.TLSConnectionState()
	if msg, err := mail.ReadMessage(bytesReader(b)); err == nil {
		ss.m.Header = msg.Header
	}
	ss.s.mu.Lock()
	ss.s.mail = append(ss.s.mail, ss.m)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.m = Mail{User: ss.m.User} }
func (ss *session) Logout() error { return nil }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
