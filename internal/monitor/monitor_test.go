package monitor

import (
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)

func ok(text string) Observation {
	return Observation{At: t0, Status: 200, Text: text, Read: true}
}

func kinds(ev []Event) string {
	var s []string
	for _, e := range ev {
		s = append(s, string(e.Kind))
	}
	return strings.Join(s, ",")
}

// TestEvaluateTransitions: a signal on a change of state only, never on
// every check.
func TestEvaluateTransitions(t *testing.T) {
	m := &Monitor{ID: 1, Interval: DefaultInterval, CheckContent: true, CheckTLS: true, CheckDNS: true, WarnDays: 14,
		BaselineHash: Hash("A\n"), BaselineText: "A\n", State: State{Availability: Unknown, Content: NoBaseline, TLS: TLSNone}}
	fail := Observation{At: t0, Err: "connection refused"}
	cert := func(days int, fp string) *Cert {
		return &Cert{Fingerprint: fp, NotAfter: t0.Add(time.Duration(days) * 24 * time.Hour)}
	}
	steps := []struct {
		name string
		o    Observation
		want string
		av   Availability
	}{
		{"first check, baseline content", ok("A\n"), "", Up},
		{"same again: no signal", ok("A\n"), "", Up},
		{"one failure is not an outage", fail, "", Up},
		{"second failure: down", fail, "down", Down},
		{"third failure: still down, no new signal", Observation{At: t0, Status: 503}, "", Down},
		{"back: up", ok("A\n"), "up", Up},
		{"defaced", ok("B\nC\n"), "changed", Up},
		{"still defaced", ok("B\nD\n"), "", Up},
		{"restored", ok("A\n"), "restored", Up},
		{"cert fine", Observation{At: t0, Status: 200, Cert: cert(90, "f1")}, "", Up},
		{"cert near expiry and replaced", Observation{At: t0, Status: 200, Cert: cert(5, "f2")}, "expiring,cert_changed", Up},
		{"renewed", Observation{At: t0, Status: 200, Cert: cert(90, "f2")}, "renewed", Up},
		{"dns first answer", Observation{At: t0, Status: 200, DNSChecked: true, DNS: []string{"10.0.0.2", "10.0.0.1"}}, "", Up},
		{"dns same, other order", Observation{At: t0, Status: 200, DNSChecked: true, DNS: []string{"10.0.0.1", "10.0.0.2"}}, "", Up},
		{"dns lookup error is no change", Observation{At: t0, Status: 200, DNSChecked: true, DNSErr: "timeout"}, "", Up},
		{"dns changed", Observation{At: t0, Status: 200, DNSChecked: true, DNS: []string{"203.0.113.9"}}, "dns_changed", Up},
	}
	for _, st := range steps {
		s, ev := Evaluate(m, st.o)
		m.State = s
		if got := kinds(ev); got != st.want || s.Availability != st.av {
			t.Fatalf("%s: events %q availability %s, want %q %s", st.name, got, s.Availability, st.want, st.av)
		}
		for _, e := range ev {
			sig := e.Signal(m, t0)
			if sig.Title == "" || !sig.Severity.Valid() || sig.Key == "" {
				t.Fatalf("%s: bad signal %+v", st.name, sig)
			}
		}
	}
}

func TestSignalKeys(t *testing.T) {
	m := &Monitor{ID: 7, SiteName: "县政府门户", Domain: "gov.example.cn"}
	down, up := Event{Kind: EvDown, Firing: true}, Event{Kind: EvUp}
	if a, b := down.Signal(m, t0), up.Signal(m, t0); a.Fingerprint() != b.Fingerprint() || a.Status == b.Status {
		t.Error("down and up again must be one alert, firing then resolved")
	}
	c1, c2 := Event{Kind: EvCertChanged, New: "a"}, Event{Kind: EvCertChanged, New: "b"}
	if a, b := c1.Signal(m, t0), c2.Signal(m, t0); a.Fingerprint() == b.Fingerprint() {
		t.Error("each new certificate is an alert of its own")
	}
	d := Event{Kind: EvChanged, Firing: true, Diff: &DiffSize{LinesAdded: 2, LinesRemoved: 1, BytesAdded: 10, BytesRemoved: 4}}
	if s := d.Signal(m, t0); s.Labels["bytes_changed"] != "14" || !strings.Contains(s.Detail, "14") {
		t.Errorf("changed content signal carries the diff size: %+v", s)
	}
}

func TestAcceptEndsChange(t *testing.T) {
	m := &Monitor{State: State{Content: Changed, ContentHash: Hash("B\n"), ContentText: "B\n"}}
	h, text, ev := Accept(m)
	if h != Hash("B\n") || text != "B\n" || kinds(ev) != "restored" {
		t.Errorf("accept: %s %q %q", h, text, kinds(ev))
	}
}

func TestNormalise(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<html><head><title>县政府</title><script>var x=1;</script><style>p{}</style></head><body><p>欢迎  访问<b>本站</b></p><div>通知<br>公告</div></body></html>`,
			"县政府\n欢迎 访问本站\n通知\n公告\n"},
		{"plain text\n\n  second   line", "plain text second line\n"},
		{`<p class="a">same</p>`, "same\n"},
		{`<p class="b" data-x="1">same</p><!-- comment --><script src=/track.js></script>`, "same\n"},
		{"", ""},
		{"<p>&lt;b&gt; &amp; 中文</p>", "<b> & 中文\n"},
	} {
		if got := Normalise([]byte(c.in)); got != c.want {
			t.Errorf("Normalise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Normalise([]byte(strings.Repeat("<p>"+strings.Repeat("x", 1000)+"</p>", 1000))); len(got) > MaxText {
		t.Errorf("normalised text not bounded: %d bytes", len(got))
	}
}

func TestDiff(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want DiffSize
	}{
		{"a\nb\nc\n", "a\nb\nc\n", DiffSize{}},
		{"a\nb\nc\n", "a\nX\nc\n", DiffSize{1, 1, 2, 2}},
		{"a\nb\n", "a\nb\nnew line\n", DiffSize{1, 0, 9, 0}},
		{"", "hacked by x\n", DiffSize{1, 0, 12, 0}},
		{"a\nb\nc\nd\n", "d\nc\nb\na\n", DiffSize{3, 3, 6, 6}},
	} {
		if got := Diff(c.a, c.b); got != c.want {
			t.Errorf("Diff(%q, %q) = %+v, want %+v", c.a, c.b, got, c.want)
		}
	}
	// Beyond the table's bound the multiset comparison still counts changes.
	var a, b strings.Builder
	for i := 0; i < 3000; i++ {
		a.WriteString("line " + strings.Repeat("x", i%7) + "\n")
		b.WriteString("other " + strings.Repeat("y", i%5) + "\n")
	}
	if d := Diff(a.String(), b.String()); d.LinesAdded != 3000 || d.LinesRemoved != 3000 {
		t.Errorf("large diff: %+v", d)
	}
}

func FuzzNormalise(f *testing.F) {
	f.Add([]byte(`<html><body><p>x</p><script>y</script></body></html>`))
	f.Add([]byte("<p>a<br>b</p>\x00\xff"))
	f.Fuzz(func(t *testing.T, page []byte) {
		s := Normalise(page)
		if len(s) > MaxText {
			t.Fatalf("too long: %d", len(s))
		}
		if Normalise([]byte(s)) == "" && s != "" && !strings.ContainsAny(s, "<&") {
			t.Fatalf("normalised text lost on a second pass: %q", s)
		}
		d := Diff(s, "x\n")
		if d.LinesAdded > 1 {
			t.Fatalf("diff: %+v", d)
		}
	})
}

// A certificate's days left read as people count them: not 剩余0天 on its
// last day, nor 剩余-3天 once it has expired.
func TestCertificateExpiryInWords(t *testing.T) {
	for _, c := range []struct {
		left time.Duration
		want string
	}{
		{10 * 24 * time.Hour, "证书剩余10天"},
		{36 * time.Hour, "证书剩余1天"},
		{5 * time.Hour, "证书将在1天内到期"},
		{-2 * time.Hour, "证书已过期"},
		{-3*24*time.Hour - time.Hour, "证书已过期3天"},
	} {
		m := &Monitor{ID: 1, SiteName: "县政府门户", Domain: "gov.example.cn", CheckTLS: true, WarnDays: 14,
			State: State{Availability: Up, TLS: TLSOK}}
		_, ev := Evaluate(m, Observation{At: t0, Status: 200, Cert: &Cert{Fingerprint: "f", NotAfter: t0.Add(c.left)}})
		if len(ev) != 1 || ev[0].Kind != EvExpiring {
			t.Fatalf("%v left: events %q", c.left, kinds(ev))
		}
		if got := ev[0].Signal(m, t0).Detail; got != c.want {
			t.Errorf("%v left: %q, want %q", c.left, got, c.want)
		}
	}
}
