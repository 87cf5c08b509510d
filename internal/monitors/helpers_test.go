package monitors_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"yingji/internal/monitor"
	"yingji/internal/monitors"
	"yingji/internal/registry"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

var ctx = context.Background()

// site is a registered key website served by a real HTTP server whose page
// and status the test switches.
type site struct {
	srv    *httptest.Server
	url    string
	page   atomic.Value // string
	status atomic.Int64
	web    *registry.Website
	hook   atomic.Pointer[func()] // run while answering, if set
}

// during sets what the site does while answering a check.
func (s *site) during(f func()) { s.hook.Store(&f) }

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f := s.hook.Load(); f != nil {
		(*f)()
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(int(s.status.Load()))
	w.Write([]byte(s.page.Load().(string)))
}

// watch has the duty officer monitor s with the default settings.
func (s *site) watch(t testing.TB, env *testkit.Env) *monitor.Monitor {
	t.Helper()
	m, err := env.App.Monitors.Create(ctx, env.Users["duty"], s.web.ID, monitors.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// newSite starts the server and registers it (a unit and its key website
// whose URL is the server's) as the duty officer does.
func newSite(t *testing.T, env *testkit.Env, n int, key bool, tlsCert *atomic.Pointer[tls.Certificate]) *site {
	return newSiteTB(t, env, n, key, tlsCert)
}

func newSiteTB(t testing.TB, env *testkit.Env, n int, key bool, tlsCert *atomic.Pointer[tls.Certificate]) *site {
	t.Helper()
	s := &site{}
	s.page.Store(pageA)
	s.status.Store(200)
	if tlsCert != nil {
		// Not StartTLS: its own certificate would win over GetCertificate
		// for a client that sends no server name (an IP address).
		s.srv = httptest.NewUnstartedServer(s)
		s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the expired certificate's refused handshakes
		s.srv.Listener = tls.NewListener(s.srv.Listener, &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return tlsCert.Load(), nil }})
		s.srv.Start()
		s.url = "https://" + s.srv.Listener.Addr().String()
	} else {
		s.srv = httptest.NewServer(s)
		s.url = s.srv.URL
	}
	t.Cleanup(s.srv.Close)
	s.web = &registry.Website{Name: "县政府门户网站", Domain: "www.qingshen.gov.cn", URL: s.url + "/", KeySite: key}
	if n > 1 {
		s.web.Domain = "site" + string(rune('a'+n)) + ".qingshen.gov.cn"
	}
	testkit.UnitWebsite(t, env, testkit.Unit(n, "青神县人民政府办公室"), s.web)
	// The checks ask a DNS server of the test's own: none reaches the network.
	if env.App.Monitors.DNSServer == "" {
		env.App.Monitors.DNSServer = newDNS(t, s.web.Domain, [4]byte{127, 0, 0, 1}).conn.LocalAddr().String()
	}
	return s
}

const (
	pageA = `<html><head><title>青神县人民政府</title></head><body><h1>青神县人民政府门户网站</h1><p>政务公开</p><p>通知公告</p></body></html>`
	pageB = `<html><head><title>hacked</title></head><body><h1>Hacked by someone</h1><p>政务公开</p><p>通知公告</p><p>we were here</p></body></html>`
)

func alert(t *testing.T, env *testkit.Env, id int64) *signal.Alert {
	t.Helper()
	var a *signal.Alert
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		var err error
		a, err = q.Alert(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return a
}

// newCert makes a self-signed certificate for 127.0.0.1 valid until notAfter.
func newCert(t *testing.T, notBefore, notAfter time.Time) (*tls.Certificate, *x509.Certificate) {
	t.Helper()
	return certFor(t, notBefore, notAfter, "127.0.0.1")
}

// certFor makes a self-signed certificate for one IP address.
func certFor(t *testing.T, notBefore, notAfter time.Time, ip string) (*tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: ip},
		NotBefore: notBefore, NotAfter: notAfter, IPAddresses: []net.IP{net.ParseIP(ip)},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, c
}

// dnsServer is a DNS server on 127.0.0.1 (UDP) answering A questions for
// one name with the addresses the test sets, built from the wire format
// (golang.org/x/net/dns/dnsmessage).
type dnsServer struct {
	conn net.PacketConn
	mu   sync.Mutex
	name string
	a    [][4]byte
}

func newDNS(t testing.TB, name string, addrs ...[4]byte) *dnsServer {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dnsServer{conn: c, name: name + ".", a: addrs}
	t.Cleanup(func() { c.Close() })
	go d.serve()
	return d
}

func (d *dnsServer) set(addrs ...[4]byte) { d.mu.Lock(); d.a = addrs; d.mu.Unlock() }

func (d *dnsServer) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		var p dnsmessage.Parser
		h, err := p.Start(buf[:n])
		if err != nil {
			continue
		}
		q, err := p.Question()
		if err != nil {
			continue
		}
		b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true})
		b.EnableCompression()
		b.StartQuestions()
		b.Question(q)
		b.StartAnswers()
		d.mu.Lock()
		if q.Type == dnsmessage.TypeA && q.Name.String() == d.name {
			for _, a := range d.a {
				b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 1}, dnsmessage.AResource{A: a})
			}
		}
		d.mu.Unlock()
		out, err := b.Finish()
		if err == nil {
			d.conn.WriteTo(out, from)
		}
	}
}

func kinds(v []*monitor.Change) []string {
	var s []string
	for _, c := range v {
		s = append(s, c.Kind)
	}
	return s
}
