package capture

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// Response is what response-headers.json holds: the request as sent and
// the response's status line and headers as received. Go folds header
// names into canonical case and loses their order, so Headers is sorted by
// name; the values keep their order.
type Response struct {
	URL        string              `json:"url"`
	Method     string              `json:"method"`
	Request    map[string][]string `json:"request_headers"`
	RemoteAddr string              `json:"remote_addr"`
	At         time.Time           `json:"at"` // when the status line and headers arrived
	Proto      string              `json:"proto"`
	Status     string              `json:"status"`
	StatusCode int                 `json:"status_code"`
	Headers    []Header            `json:"headers"`
	// BodyBytes is how much of the body response.html holds; Truncated says
	// the body went on past the limit.
	BodyBytes int64     `json:"body_bytes"`
	Truncated bool      `json:"body_truncated,omitempty"`
	BodyAt    time.Time `json:"body_at"` // when the body was read
}

// Header is one response header with its values in the order received.
type Header struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// Cert is one certificate of the chain as tls.json summarises it.
type Cert struct {
	Subject      string    `json:"subject"`
	Issuer       string    `json:"issuer"`
	Serial       string    `json:"serial"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	DNSNames     []string  `json:"dns_names,omitempty"`
	IPAddresses  []string  `json:"ip_addresses,omitempty"`
	SHA256       string    `json:"sha256"`        // of the DER certificate
	SPKISHA256   string    `json:"spki_sha256"`   // of the public key info, as pinned by HPKP and others
	SignatureAlg string    `json:"signature_alg"` // e.g. SHA256-RSA
}

// TLSInfo is what tls.json holds. The chain is recorded as the server sent
// it whether or not it verifies: a defaced or hijacked site's certificate
// is evidence too. Verified says whether it chains to a trusted root for
// the host at the time of capture, VerifyError why not.
type TLSInfo struct {
	At          time.Time `json:"at"`
	ServerName  string    `json:"server_name"`
	Version     string    `json:"version"`
	CipherSuite string    `json:"cipher_suite"`
	ALPN        string    `json:"alpn,omitempty"`
	Chain       []Cert    `json:"chain"`
	Verified    bool      `json:"verified"`
	VerifyError string    `json:"verify_error,omitempty"`
}

// fetched is the Go side of a capture.
type fetched struct {
	resp  Response
	body  []byte
	tls   *TLSInfo
	chain []*x509.Certificate
}

// fetch requests rawURL once, connecting to addr (the address the DNS
// answers gave), without following redirects: a redirect is recorded as it
// came. The body is read up to maxBody bytes.
func (c *Capturer) fetch(ctx context.Context, u string, host string, addr netip.Addr, maxBody int64) (*fetched, error) {
	dialer := &net.Dialer{Timeout: c.cfg.FetchTimeout}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(hostport)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort(addr.String(), port))
		},
		// The chain is recorded whatever it is and verified below, on its own.
		TLSClientConfig:        &tls.Config{InsecureSkipVerify: true, ServerName: host},
		TLSHandshakeTimeout:    c.cfg.FetchTimeout,
		ResponseHeaderTimeout:  c.cfg.FetchTimeout,
		DisableCompression:     true, // the body as sent, not as decoded
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: 1 << 20,
		ForceAttemptHTTP2:      true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.FetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	var remote string
	req = req.WithContext(withRemote(ctx, &remote))
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	f := &fetched{resp: Response{
		URL: u, Method: req.Method, Request: req.Header.Clone(), RemoteAddr: remote,
		At: time.Now().UTC(), Proto: resp.Proto, Status: resp.Status, StatusCode: resp.StatusCode,
		Headers: sortedHeaders(resp.Header),
	}}
	if resp.TLS != nil {
		f.chain = resp.TLS.PeerCertificates
		f.tls = c.tlsInfo(resp.TLS, host, f.resp.At)
	}
	f.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: body: %w", u, err)
	}
	if int64(len(f.body)) > maxBody {
		f.body, f.resp.Truncated = f.body[:maxBody], true
	}
	f.resp.BodyBytes, f.resp.BodyAt = int64(len(f.body)), time.Now().UTC()
	return f, nil
}

func sortedHeaders(h http.Header) []Header {
	out := make([]Header, 0, len(h))
	for name, v := range h {
		out = append(out, Header{Name: name, Values: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *Capturer) tlsInfo(st *tls.ConnectionState, host string, at time.Time) *TLSInfo {
	info := &TLSInfo{
		At: at, ServerName: host, Version: tls.VersionName(st.Version),
		CipherSuite: tls.CipherSuiteName(st.CipherSuite), ALPN: st.NegotiatedProtocol,
	}
	for _, cert := range st.PeerCertificates {
		info.Chain = append(info.Chain, summarise(cert))
	}
	if len(st.PeerCertificates) == 0 {
		info.VerifyError = "no certificate"
		return info
	}
	inter := x509.NewCertPool()
	for _, cert := range st.PeerCertificates[1:] {
		inter.AddCert(cert)
	}
	_, err := st.PeerCertificates[0].Verify(x509.VerifyOptions{
		DNSName: host, Intermediates: inter, Roots: c.cfg.RootCAs, CurrentTime: at,
	})
	info.Verified = err == nil
	if err != nil {
		info.VerifyError = err.Error()
	}
	return info
}

func summarise(c *x509.Certificate) Cert {
	sum := sha256.Sum256(c.Raw)
	spki := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	out := Cert{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(), Serial: c.SerialNumber.Text(16),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), DNSNames: c.DNSNames,
		SHA256: hex.EncodeToString(sum[:]), SPKISHA256: hex.EncodeToString(spki[:]),
		SignatureAlg: c.SignatureAlgorithm.String(),
	}
	for _, ip := range c.IPAddresses {
		out.IPAddresses = append(out.IPAddresses, ip.String())
	}
	return out
}

// chainPEM encodes the chain as the server sent it, leaf first.
func chainPEM(chain []*x509.Certificate) []byte {
	var b strings.Builder
	for _, c := range chain {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return []byte(b.String())
}

// withRemote records the address the request was sent to.
func withRemote(ctx context.Context, remote *string) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(i httptrace.GotConnInfo) { *remote = i.Conn.RemoteAddr().String() },
	})
}
