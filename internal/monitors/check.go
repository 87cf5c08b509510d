package monitors

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"yingji/internal/errs"
	"yingji/internal/monitor"
	"yingji/internal/store"
)

// maxRedirects bounds the redirects a check follows.
const maxRedirects = 5

// resolver asks the configured DNS server, or the system's.
func (s *Service) resolver() *net.Resolver {
	if s.DNSServer == "" {
		return net.DefaultResolver
	}
	server := s.DNSServer
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, server)
	}}
}

// observe checks a site over the network: one GET of its URL (a bounded
// read of the page), the certificate the handshake showed (kept even when
// it does not verify, so that an expired one is reported as such) and the
// domain's addresses.
func (s *Service) observe(ctx context.Context, m *monitor.Monitor) monitor.Observation {
	o := monitor.Observation{At: s.Now()}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	res := s.resolver()
	u, _ := url.Parse(m.URL)
	host := ""
	if u != nil {
		host = u.Hostname()
	}
	var cert *monitor.Cert
	roots := s.RootCAs
	tlsConf := &tls.Config{
		// Verified below, after the certificate is noted.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("no certificate")
			}
			leaf := cs.PeerCertificates[0]
			if cert == nil {
				sum := sha256.Sum256(leaf.Raw)
				cert = &monitor.Cert{Fingerprint: hex.EncodeToString(sum[:]), NotAfter: leaf.NotAfter}
			}
			name := cs.ServerName
			if name == "" {
				name = host
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: name, Intermediates: inter, CurrentTime: o.At})
			return err
		},
	}
	dialer := &net.Dialer{Timeout: timeout / 2, Resolver: res}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSClientConfig: tlsConf, TLSHandshakeTimeout: timeout / 2,
		ResponseHeaderTimeout: timeout, DisableKeepAlives: true, MaxResponseHeaderBytes: 64 << 10}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errors.New("too many redirects")
		}
		// Only the registered site is checked: a redirect elsewhere (an
		// intranet address, say, from a site taken over) is not followed;
		// the check records the redirect itself.
		if !sameSite(req.URL.Hostname(), via[0].URL.Hostname(), m.Domain) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	var body []byte
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL, nil)
	if err == nil {
		req.Header.Set("User-Agent", "yingji-monitor/1 (registered key website check)")
		var resp *http.Response
		if resp, err = client.Do(req); err == nil {
			o.Status = resp.StatusCode
			body, err = io.ReadAll(io.LimitReader(resp.Body, monitor.MaxBody))
			resp.Body.Close()
		}
	}
	o.Latency = time.Since(start)
	o.Cert = cert
	if err != nil {
		o.Err = shortErr(err)
	} else if m.CheckContent && o.OK() {
		o.Text, o.Read = monitor.Normalise(body), true
	}
	if m.CheckDNS && m.Domain != "" {
		dctx, cancel := context.WithTimeout(ctx, timeout/2)
		addrs, err := res.LookupHost(dctx, m.Domain)
		cancel()
		o.DNSChecked, o.DNS = true, addrs
		if err != nil {
			o.DNSErr = shortErr(err)
		}
	}
	return o
}

// shortErr is an error as kept in the history: bounded, one line.
func shortErr(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 300 {
		s = s[:300]
	}
	return strings.ToValidUTF8(s, "")
}

// errLeaseLost says another node took the worker's lease during a tick.
var errLeaseLost = errors.New("monitors: lease lost")

// check observes a monitor and records what it found. A worker's check
// (holder set) renews the lease in the transaction that records it, so a
// tick longer than the lease keeps it, and records nothing once another
// node holds it: two nodes never record one site's check twice. A person's
// check now (holder "") takes no lease.
func (s *Service) check(ctx context.Context, m *monitor.Monitor, holder string) error {
	o := s.observe(ctx, m)
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if holder != "" {
			ok, err := tx.AcquireLease(LeaseName, holder, Lease)
			if err != nil {
				return err
			}
			if !ok {
				return errLeaseLost
			}
		}
		return record(tx, m.ID, o)
	})
}

// record applies an observation in one transaction: the new state, the
// result in the history and, for each change of state, its history entry,
// its signal on the alerts and its audit record. A monitor deleted
// meanwhile is left alone.
func record(tx *store.Tx, id int64, o monitor.Observation) error {
	m, err := tx.Monitor(id)
	if errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	st, ev := monitor.Evaluate(m, o)
	if err := tx.SaveMonitorState(id, &st); err != nil {
		return err
	}
	res := &monitor.Result{At: o.At, OK: o.OK(), Status: o.Status, Latency: o.Latency, Error: o.Err}
	if o.Read {
		res.ContentHash = st.ContentHash
	}
	if err := tx.AddMonitorResult(id, res); err != nil {
		return err
	}
	m.State = st
	return signalEvents(tx, m, ev)
}

// signalEvents writes each change of state: its signal (counted on the
// alert of its aspect), its history entry and its audit record.
func signalEvents(tx *store.Tx, m *monitor.Monitor, ev []monitor.Event) error {
	for _, e := range ev {
		sig := e.Signal(m, tx.Now)
		alertID, _, err := tx.UpsertAlert(m.OrgID, 0, &sig)
		if err != nil {
			return err
		}
		detail := map[string]any{"title": sig.Title, "detail": sig.Detail}
		if e.Diff != nil {
			detail["lines_added"], detail["lines_removed"], detail["bytes_changed"] = e.Diff.LinesAdded, e.Diff.LinesRemoved, e.Diff.BytesChanged()
		}
		if e.Kind == monitor.EvExpiring || e.Kind == monitor.EvRenewed {
			detail["days_left"], detail["expired"] = e.DaysLeft, e.Expired
		}
		if e.Error != "" {
			// Go's text on its own, so that the history line is written in
			// the reader's language (monitor.Reason) with the text as detail.
			detail["error"] = e.Error
		}
		if e.Old != "" || e.New != "" {
			detail["old"], detail["new"] = e.Old, e.New
		}
		if err := tx.AddMonitorEvent(m.ID, &monitor.Change{At: tx.Now, Kind: string(e.Kind), Firing: e.Firing, Detail: detail, AlertID: alertID}); err != nil {
			return err
		}
		if err := tx.Audit(store.AuditEntry{Actor: "monitor", Action: "monitor." + string(e.Kind), ObjectType: "monitor", ObjectID: m.ID,
			OrgID: m.OrgID, Detail: map[string]any{"alert_id": alertID, "url": m.URL, "detail": detail}}); err != nil {
			return err
		}
	}
	return nil
}

// The worker's lease, as escalation's: several nodes on one database, one
// of them checks.
const (
	LeaseName = "monitors"
	Lease     = 2 * time.Minute
	Interval  = 30 * time.Second
	// perTick bounds the checks of one tick; parallel how many run at once.
	perTick  = 200
	parallel = 4
)

// TickResult says what one tick did.
type TickResult struct {
	Leader  bool
	Checked int
}

// Tick takes the lease and checks the monitors due, a few at a time, each
// recorded in its own transaction.
func (s *Service) Tick(ctx context.Context, holder string) (TickResult, error) {
	var res TickResult
	var err error
	res.Leader, err = s.TakeLease(ctx, LeaseName, holder, Lease)
	if err != nil || !res.Leader {
		return res, err
	}
	var due []*monitor.Monitor
	if err := s.DB.Read(ctx, func(q *store.Q) error {
		var err error
		due, err = q.DueMonitors(q.Now, perTick)
		return err
	}); err != nil {
		return res, err
	}
	sem := make(chan struct{}, parallel)
	errc := make(chan error, len(due))
	var lost atomic.Bool
	started := 0
	for _, m := range due {
		sem <- struct{}{}
		if lost.Load() { // the rest is the new holder's
			<-sem
			break
		}
		started++
		go func() {
			defer func() { <-sem }()
			err := s.check(ctx, m, holder)
			if errors.Is(err, errLeaseLost) {
				lost.Store(true)
			}
			errc <- err
		}()
	}
	var first error
	for range started {
		err := <-errc
		switch {
		case err == nil:
			res.Checked++
		case errors.Is(err, errLeaseLost):
		case first == nil:
			first = fmt.Errorf("monitor: %w", err)
		}
	}
	res.Leader = !lost.Load()
	return res, first
}

// Run ticks every interval until ctx ends, then gives the lease up.
func (s *Service) Run(ctx context.Context, holder string, interval time.Duration) {
	s.RunLeased(ctx, LeaseName, holder, "monitors", interval, func(ctx context.Context) error {
		res, err := s.Tick(ctx, holder)
		if err == nil && res.Checked > 0 {
			s.Log.Debug("monitors", "checked", res.Checked)
		}
		return err
	})
}

// sameSite reports whether host is the checked URL's host or on the
// registered domain (the domain itself, www. or another name below it).
func sameSite(host, first, domain string) bool {
	host, first, domain = strings.ToLower(host), strings.ToLower(first), strings.ToLower(strings.TrimSpace(domain))
	if host == first {
		return true
	}
	domain = strings.TrimPrefix(domain, "www.")
	return domain != "" && (host == domain || strings.HasSuffix(host, "."+domain))
}
