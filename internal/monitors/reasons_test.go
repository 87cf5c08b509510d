package monitors_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"yingji/internal/monitor"
	"yingji/internal/monitors"
	"yingji/internal/registry"
	"yingji/internal/testkit"
)

// TestFailureReasons makes each failure the checker can meet, for real,
// against servers and listeners of the test's own, and reads the error
// text the check stored as the reason the duty officer sees: the codes
// come from Go's exact texts, not from texts a test author imagined.
func TestFailureReasons(t *testing.T) {
	env := testkit.Open(t, "sqlite")
	svc := env.App.Monitors
	svc.Timeout = 600 * time.Millisecond // the silent listeners' checks end quickly
	dns := newDNS(t, "known.qingshen.gov.cn", [4]byte{127, 0, 0, 1})
	svc.DNSServer = dns.conn.LocalAddr().String()
	now := env.Clock.Now()

	// listener serves each connection with f until the test ends.
	listener := func(f func(net.Conn)) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go func() { f(c) }()
			}
		}()
		return l.Addr().String()
	}
	readRequest := func(c net.Conn) { c.SetReadDeadline(time.Now().Add(2 * time.Second)); c.Read(make([]byte, 4096)) }
	var mu sync.Mutex
	var held []net.Conn // the silent listener's connections, closed at the end
	silent := listener(func(c net.Conn) { mu.Lock(); held = append(held, c); mu.Unlock() })
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	refused := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		a := l.Addr().String()
		l.Close()
		return a
	}()
	reset := listener(func(c net.Conn) { readRequest(c); c.(*net.TCPConn).SetLinger(0); c.Close() })
	closed := listener(func(c net.Conn) { readRequest(c); c.Close() })
	notHTTP := listener(func(c net.Conn) { readRequest(c); c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n\r\n")); c.Close() })
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound) // forever
	}))
	t.Cleanup(plain.Close)
	tlsSite := func(cert *tls.Certificate) string {
		s := httptest.NewUnstartedServer(http.NotFoundHandler())
		s.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
		s.Listener = tls.NewListener(s.Listener, &tls.Config{Certificates: []tls.Certificate{*cert}})
		s.Start()
		t.Cleanup(s.Close)
		return s.Listener.Addr().String()
	}
	expired, expiredX := certFor(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour), "127.0.0.1")
	notYet, notYetX := certFor(t, now.Add(24*time.Hour), now.Add(48*time.Hour), "127.0.0.1")
	other, otherX := certFor(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "127.0.0.2")
	good, _ := certFor(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "127.0.0.1")
	trusted := x509.NewCertPool()
	for _, c := range []*x509.Certificate{expiredX, notYetX, otherX} {
		trusted.AddCert(c)
	}

	for i, c := range []struct {
		name, url, domain string
		roots             *x509.CertPool
		want              string
	}{
		{"nothing listens", "http://" + refused + "/", "", nil, monitor.ReasonRefused},
		{"no answer to the request", "http://" + silent + "/", "", nil, monitor.ReasonTimeout},
		{"no answer to the TLS handshake", "https://" + silent + "/", "", nil, monitor.ReasonTimeout},
		{"reset after the request", "http://" + reset + "/", "", nil, monitor.ReasonReset},
		{"closed after the request", "http://" + closed + "/", "", nil, monitor.ReasonClosed},
		{"not HTTP", "http://" + notHTTP + "/", "", nil, monitor.ReasonBadResponse},
		{"HTTPS to a plain server", "https://" + plain.Listener.Addr().String() + "/", "", nil, monitor.ReasonTLS},
		{"redirects without end", plain.URL + "/", "", nil, monitor.ReasonRedirects},
		{"expired certificate", "https://" + tlsSite(expired) + "/", "", trusted, monitor.ReasonCertExpired},
		{"certificate not yet valid", "https://" + tlsSite(notYet) + "/", "", trusted, monitor.ReasonCertNotYet},
		{"certificate for another name", "https://" + tlsSite(other) + "/", "", trusted, monitor.ReasonCertName},
		{"certificate of an unknown authority", "https://" + tlsSite(good) + "/", "", x509.NewCertPool(), monitor.ReasonCertUnknown},
		{"a name that does not resolve", "http://nosuch.qingshen.gov.cn:" + strings.Split(plain.Listener.Addr().String(), ":")[1] + "/", "nosuch.qingshen.gov.cn", nil, monitor.ReasonDNS},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc.RootCAs = c.roots
			m := failingMonitor(t, env, 10+i, c.url, c.domain)
			m, err := svc.CheckNow(ctx, env.Users["duty"], m.ID)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(m.LastError)
			if got := monitor.Reason(m.LastError); got != c.want {
				t.Errorf("Reason(%q) = %q, want %q", m.LastError, got, c.want)
			}
			v, err := svc.Get(ctx, env.Users["duty"], m.ID, 1)
			if err != nil || len(v.Results) != 1 || v.Results[0].Error != m.LastError {
				t.Fatalf("the history keeps Go's text: %v %+v", err, v)
			}
		})
	}

	// The DNS aspect's own lookup fails with a text of the same family.
	res := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, svc.DNSServer)
	}}
	if _, err := res.LookupHost(ctx, "nosuch.qingshen.gov.cn"); err == nil || monitor.Reason(err.Error()) != monitor.ReasonDNS {
		t.Errorf("a failed lookup (%v) reads as %q", err, monitor.Reason(err.Error()))
	}
}

// failingMonitor registers a key website at url (a unit of its own) and
// monitors it.
func failingMonitor(t *testing.T, env *testkit.Env, n int, url, domain string) *monitor.Monitor {
	t.Helper()
	if domain == "" {
		domain = "site" + string(rune('a'+n)) + ".qingshen.gov.cn"
	}
	w := &registry.Website{Name: "县某单位网站", Domain: domain, URL: url, KeySite: true}
	testkit.UnitWebsite(t, env, testkit.Unit(n, "青神县某单位"), w)
	m, err := env.App.Monitors.Create(ctx, env.Users["duty"], w.ID, monitors.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
