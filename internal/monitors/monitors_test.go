package monitors_test

import (
	"crypto/tls"
	"crypto/x509"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"yingji/internal/errs"
	"yingji/internal/monitor"
	"yingji/internal/monitors"
	"yingji/internal/signal"
	"yingji/internal/store"
	"yingji/internal/testkit"
)

// TestOutageAndDefacement is the done-when for monitors: a key
// website served by a real HTTP server goes down (two failed checks) and
// comes back, then is defaced after the office accepted its page as the
// baseline; each change of state, and only those, is a signal on the
// alerts, with the diff size for the defacement.
func TestOutageAndDefacement(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		s := newSite(t, env, 1, true, nil)
		svc := env.App.Monitors
		m := s.watch(t, env)
		var err error
		if m.URL != s.url+"/" || m.Interval != monitor.DefaultInterval || m.CheckTLS {
			t.Fatalf("defaults: %+v", m)
		}
		before := testkit.AuditCount(t, env)
		check := func() *monitor.Monitor {
			t.Helper()
			m, err := svc.CheckNow(ctx, duty, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		if m = check(); m.Availability != monitor.Up || m.Content != monitor.NoBaseline || m.LastStatus != 200 || m.ContentHash == "" {
			t.Fatalf("first check: %+v", m.State)
		}
		// Accept what the office saw, naming its hash.
		if _, err := svc.AcceptBaseline(ctx, duty, m.ID, "0000"); errs.As(err) == nil || errs.As(err).Field != "content_hash" {
			t.Fatalf("a page not seen is not accepted: %v", err)
		}
		if m, err = svc.AcceptBaseline(ctx, duty, m.ID, m.ContentHash); err != nil || m.BaselineHash == "" || !strings.Contains(m.BaselineText, "政务公开") {
			t.Fatalf("accept: %v %+v", err, m)
		}
		// Down: one failure is not yet an outage, the second is.
		s.status.Store(503)
		check()
		if m = check(); m.Availability != monitor.Down {
			t.Fatalf("after two failures: %s", m.Availability)
		}
		check() // still down: no new signal
		s.status.Store(200)
		if m = check(); m.Availability != monitor.Up || m.Content != monitor.Same {
			t.Fatalf("back: %+v", m.State)
		}
		// Defaced.
		s.page.Store(pageB)
		if m = check(); m.Content != monitor.Changed {
			t.Fatalf("defaced: %s", m.Content)
		}
		check()
		v, err := svc.Get(ctx, duty, m.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(v.Changes); !slices.Equal(got, []string{"changed", "up", "down"}) {
			t.Fatalf("changes (newest first) %v", got)
		}
		if len(v.Results) != 7 || v.Results[0].OK != true || v.Results[3].Status != 503 {
			t.Fatalf("results: %d", len(v.Results))
		}
		ch := v.Changes[0]
		a := alert(t, env, ch.AlertID)
		if a.Format != signal.FormatMonitor || a.Status != signal.Firing || a.Domain != "www.qingshen.gov.cn" || !strings.Contains(a.Title, "被改动") ||
			a.Labels["lines_added"] != "3" || a.Labels["lines_removed"] != "2" || !strings.Contains(a.Detail, "新增3行") {
			t.Fatalf("defacement alert: %+v", a)
		}
		down := alert(t, env, v.Changes[2].AlertID)
		if down.ID != v.Changes[1].AlertID || down.Status != signal.Resolved || down.Count != 2 {
			t.Fatalf("down and up again are one alert, resolved: %+v", down)
		}
		// Restoring the page resolves the defacement alert.
		s.page.Store(pageA)
		if m = check(); m.Content != monitor.Same || alert(t, env, ch.AlertID).Status != signal.Resolved {
			t.Fatalf("restored: %s", m.Content)
		}
		// Three people's acts and four changes of state are audited; the
		// eight checks without a change are not.
		if got := testkit.AuditCount(t, env) - before; got != 1+4 {
			t.Errorf("audit records: %d, want 5", got)
		}
	})
}

// TestOnlyRegisteredKeySites: nothing but a registered key website's own
// URL can be monitored, and only by the registry's editors.
func TestOnlyRegisteredKeySites(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		duty := env.Users["duty"]
		plain := newSite(t, env, 2, false, nil)
		key := newSite(t, env, 3, true, nil)
		svc := env.App.Monitors
		other := testkit.OtherCounty(t, env)
		officer := testkit.Officer(t, env, "clerk", "wangjian")
		before := testkit.AuditCount(t, env)
		_, err := svc.Create(ctx, duty, plain.web.ID, monitors.Settings{})
		testkit.WantField(t, err, "website_id")
		_, err = svc.Create(ctx, duty, 999999, monitors.Settings{})
		testkit.WantField(t, err, "website_id")
		_, err = svc.Create(ctx, duty, key.web.ID, monitors.Settings{URL: "https://www.example.com/"})
		testkit.WantField(t, err, "url")
		_, err = svc.Create(ctx, duty, key.web.ID, monitors.Settings{Interval: time.Second})
		testkit.WantField(t, err, "interval_seconds")
		_, err = svc.Create(ctx, officer, key.web.ID, monitors.Settings{})
		testkit.WantCode(t, err, errs.Forbidden)
		_, err = svc.Create(ctx, other, key.web.ID, monitors.Settings{})
		testkit.WantField(t, err, "website_id") // another county does not learn the site exists
		if got := testkit.AuditCount(t, env); got != before {
			t.Errorf("refusals wrote audit records: %d → %d", before, got)
		}
		m, err := svc.Create(ctx, duty, key.web.ID, monitors.Settings{URL: "http://sited.qingshen.gov.cn/news", Interval: 10 * time.Minute})
		if err != nil || m.URL != "http://sited.qingshen.gov.cn/news" || m.Interval != 10*time.Minute {
			t.Fatalf("a URL on the registered domain: %v %+v", err, m)
		}
		_, err = svc.Create(ctx, duty, key.web.ID, monitors.Settings{})
		testkit.WantField(t, err, "website_id")
		if _, err := svc.Get(ctx, officer, m.ID, 10); err != nil {
			t.Errorf("the county's officers read monitors: %v", err)
		}
		_, err = svc.AcceptBaseline(ctx, officer, m.ID, "")
		testkit.WantCode(t, err, errs.Forbidden)
		_, err = svc.AcceptBaseline(ctx, duty, m.ID, "")
		testkit.WantCode(t, err, errs.Conflict) // nothing read yet
		off := false
		if m, err = svc.Update(ctx, duty, m.ID, monitors.Settings{Enabled: &off, WarnDays: 30}); err != nil || m.Enabled || m.WarnDays != 30 {
			t.Fatalf("update: %v %+v", err, m)
		}
		if err := svc.Delete(ctx, duty, m.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Get(ctx, duty, m.ID, 10)
		testkit.WantCode(t, err, errs.NotFound)
		// Deleting a monitored website, or its unit, takes its monitor
		// along, and the audit chain still verifies.
		m, _ = svc.Create(ctx, duty, key.web.ID, monitors.Settings{})
		svc.CheckNow(ctx, duty, m.ID)
		if err := env.App.Units.DeleteWebsite(ctx, duty, key.web.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Get(ctx, duty, m.ID, 10)
		testkit.WantCode(t, err, errs.NotFound)
		s7 := newSite(t, env, 7, true, nil)
		m, _ = svc.Create(ctx, duty, s7.web.ID, monitors.Settings{})
		if err := env.App.Units.DeleteUnit(ctx, duty, s7.web.UnitID); err != nil {
			t.Fatal(err)
		}
		testkit.AuditCount(t, env)
	})
}

// TestCertificateExpiryAndChange: an HTTPS key website's certificate, read
// from the handshake, nears its end and is replaced.
func TestCertificateExpiryAndChange(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		now := env.Clock.Now()
		long, c1 := newCert(t, now.Add(-24*time.Hour), now.Add(90*24*time.Hour))
		short, c2 := newCert(t, now.Add(-24*time.Hour), now.Add(5*24*time.Hour))
		var cur atomic.Pointer[tls.Certificate]
		cur.Store(long)
		s := newSite(t, env, 4, true, &cur)
		svc := env.App.Monitors
		pool := x509.NewCertPool()
		pool.AddCert(c1)
		pool.AddCert(c2)
		svc.RootCAs = pool
		duty := env.Users["duty"]
		m := s.watch(t, env)
		var err error
		if !m.CheckTLS {
			t.Fatal(m)
		}
		if m, err = svc.CheckNow(ctx, duty, m.ID); err != nil || m.TLS != monitor.TLSOK || m.Availability != monitor.Up || m.CertFP == "" {
			t.Fatalf("first: %v %+v", err, m.State)
		}
		cur.Store(short)
		if m, err = svc.CheckNow(ctx, duty, m.ID); err != nil || m.TLS != monitor.TLSExpiring {
			t.Fatalf("short certificate: %v %+v", err, m.State)
		}
		v, _ := svc.Get(ctx, duty, m.ID, 10)
		if got := kinds(v.Changes); !slices.Equal(got, []string{"cert_changed", "expiring"}) {
			t.Fatalf("changes %v", got)
		}
		if a := alert(t, env, v.Changes[1].AlertID); !strings.Contains(a.Detail, "剩余4天") && !strings.Contains(a.Detail, "剩余5天") {
			t.Errorf("expiry alert: %+v", a)
		}
		// Past its end the site does not verify (down after two checks) but
		// the certificate is still read and reported expired.
		env.Clock.Add(6 * 24 * time.Hour)
		svc.CheckNow(ctx, duty, m.ID)
		if m, _ = svc.CheckNow(ctx, duty, m.ID); m.TLS != monitor.TLSExpired || m.Availability != monitor.Down || !strings.Contains(m.LastError, "certificate") {
			t.Fatalf("expired: %+v", m.State)
		}
	})
}

// TestDNSAnswerChange runs a DNS server in the test and changes the
// registered domain's answer.
func TestDNSAnswerChange(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		d := newDNS(t, "www.qingshen.gov.cn", [4]byte{10, 0, 0, 1}, [4]byte{10, 0, 0, 2})
		env.App.Monitors.DNSServer = d.conn.LocalAddr().String()
		s := newSite(t, env, 5, true, nil)
		d.mu.Lock() // the server may be answering a stray query
		d.name = s.web.Domain + "."
		d.mu.Unlock()
		svc := env.App.Monitors
		svc.DNSServer = d.conn.LocalAddr().String()
		duty := env.Users["duty"]
		m := s.watch(t, env)
		var err error
		if m, err = svc.CheckNow(ctx, duty, m.ID); err != nil || m.DNS != "10.0.0.1,10.0.0.2" {
			t.Fatalf("first answer: %v %q", err, m.DNS)
		}
		d.set([4]byte{203, 0, 113, 9})
		if m, err = svc.CheckNow(ctx, duty, m.ID); err != nil || m.DNS != "203.0.113.9" {
			t.Fatalf("changed answer: %v %q", err, m.DNS)
		}
		v, _ := svc.Get(ctx, duty, m.ID, 10)
		if len(v.Changes) != 1 || v.Changes[0].Kind != "dns_changed" {
			t.Fatalf("changes %v", kinds(v.Changes))
		}
		if a := alert(t, env, v.Changes[0].AlertID); !strings.Contains(a.Detail, "10.0.0.1,10.0.0.2") || !strings.Contains(a.Detail, "203.0.113.9") {
			t.Errorf("dns alert: %+v", a)
		}
	})
}

// TestWorkerLease: one node holds the lease and checks what is due; a
// checked monitor is not due again before its interval.
func TestWorkerLease(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		s := newSite(t, env, 6, true, nil)
		svc := env.App.Monitors
		s.watch(t, env)
		res, err := svc.Tick(ctx, "node-a")
		if err != nil || !res.Leader || res.Checked != 1 {
			t.Fatalf("a: %+v %v", res, err)
		}
		if res, err = svc.Tick(ctx, "node-b"); err != nil || res.Leader {
			t.Fatalf("b while a holds the lease: %+v %v", res, err)
		}
		if res, _ = svc.Tick(ctx, "node-a"); res.Checked != 0 {
			t.Fatalf("checked again before the interval: %+v", res)
		}
		env.Clock.Add(monitor.DefaultInterval)
		if res, _ = svc.Tick(ctx, "node-a"); res.Checked != 1 {
			t.Fatalf("due after the interval: %+v", res)
		}
	})
}

// TestLongTickKeepsTheLease: a tick whose checks outlast the lease renews it
// as it records them, so another node does not take over mid-tick; a node
// whose lease was taken meanwhile records nothing of the check it was doing.
func TestLongTickKeepsTheLease(t *testing.T) {
	testkit.Each(t, func(t *testing.T, env *testkit.Env) {
		s := newSite(t, env, 6, true, nil)
		svc := env.App.Monitors
		m := s.watch(t, env)
		// The site answers slowly: most of the lease passes during the check.
		s.during(func() { env.Clock.Add(monitors.Lease - 10*time.Second) })
		if res, err := svc.Tick(ctx, "node-a"); err != nil || res.Checked != 1 {
			t.Fatalf("a: %+v %v", res, err)
		}
		env.Clock.Add(20 * time.Second) // past the lease taken at the tick's start
		if res, err := svc.Tick(ctx, "node-b"); err != nil || res.Leader {
			t.Fatalf("b took a lease a renewed while checking: %+v %v", res, err)
		}

		// Now node b takes the lease while a is checking: a records nothing.
		env.Clock.Add(monitor.DefaultInterval)
		before := checkedAt(t, env, m.ID)
		s.during(func() {
			env.Clock.Add(monitors.Lease + time.Second)
			if err := env.DB.Write(ctx, func(tx *store.Tx) error {
				ok, err := tx.AcquireLease(monitors.LeaseName, "node-b", monitors.Lease)
				if !ok && err == nil {
					t.Error("b could not take the expired lease")
				}
				return err
			}); err != nil {
				t.Error(err)
			}
		})
		res, err := svc.Tick(ctx, "node-a")
		if err != nil || res.Checked != 0 || res.Leader {
			t.Fatalf("a after losing the lease: %+v %v", res, err)
		}
		if after := checkedAt(t, env, m.ID); !after.Equal(before) {
			t.Fatalf("a recorded a check after losing the lease: %v -> %v", before, after)
		}
	})
}

// checkedAt is when the monitor's last check was recorded.
func checkedAt(t *testing.T, env *testkit.Env, id int64) time.Time {
	t.Helper()
	var at time.Time
	if err := env.DB.Read(ctx, func(q *store.Q) error {
		m, err := q.Monitor(id)
		if err == nil && m.State.LastCheckAt != nil {
			at = *m.State.LastCheckAt
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return at
}
