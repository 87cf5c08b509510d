package capture

import (
	"net"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsServer is a DNS server run in the test: it answers A and AAAA
// questions from zone (name → CNAME target or addresses), NXDOMAIN for any
// other name. It returns its UDP address.
func dnsServer(t *testing.T, zone map[string][]string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if out := answer(buf[:n], zone); out != nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	return pc.LocalAddr().String()
}

func answer(query []byte, zone map[string][]string) []byte {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil
	}
	q, err := p.Question()
	if err != nil {
		return nil
	}
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired})
	b.EnableCompression()
	name := q.Name.String()
	if _, ok := zone[name]; !ok {
		b = dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, RCode: dnsmessage.RCodeNameError})
	}
	b.StartQuestions()
	b.Question(q)
	b.StartAnswers()
	rh := func(n string, t dnsmessage.Type) dnsmessage.ResourceHeader {
		return dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(n), Type: t, Class: dnsmessage.ClassINET, TTL: 300}
	}
	for vals, ok := zone[name]; ok; vals, ok = zone[name] {
		if len(vals) == 1 && strings.HasSuffix(vals[0], ".") { // a CNAME
			b.CNAMEResource(rh(name, dnsmessage.TypeCNAME), dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName(vals[0])})
			name = vals[0]
			continue
		}
		for _, v := range vals {
			ip := netip.MustParseAddr(v)
			switch {
			case ip.Is4() && q.Type == dnsmessage.TypeA:
				b.AResource(rh(name, dnsmessage.TypeA), dnsmessage.AResource{A: ip.As4()})
			case ip.Is6() && q.Type == dnsmessage.TypeAAAA:
				b.AAAAResource(rh(name, dnsmessage.TypeAAAA), dnsmessage.AAAAResource{AAAA: ip.As16()})
			}
		}
		break
	}
	out, err := b.Finish()
	if err != nil {
		return nil
	}
	return out
}

func TestLookupFollowsCNAMEAndRecordsAnswers(t *testing.T) {
	srv := dnsServer(t, map[string][]string{
		"www.site.test.": {"site.test."},
		"site.test.":     {"127.0.0.1", "::1"},
		"v6.test.":       {"::1"},
	})
	res, err := lookup(t.Context(), srv, "www.site.test", 2e9)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, a := range res.Answers {
		got += a.Type + " " + a.Name + " " + a.Value + "; "
	}
	want := "CNAME www.site.test. site.test.; A site.test. 127.0.0.1; AAAA site.test. ::1; "
	if got != want {
		t.Errorf("answers %q, want %q", got, want)
	}
	if a := res.addrs(); len(a) != 2 || a[0].String() != "127.0.0.1" {
		t.Errorf("addresses %v: want the A record first", a)
	}
	if res.Resolver != srv || res.At.IsZero() || res.Rcodes["A"] != "RCodeSuccess" {
		t.Errorf("result %+v", res)
	}
	if _, err := lookup(t.Context(), srv, "nowhere.test", 2e9); err == nil || !strings.Contains(err.Error(), "RCodeNameError") {
		t.Errorf("unknown name: %v", err)
	}
	if res, err := lookup(t.Context(), srv, "v6.test", 2e9); err != nil || res.addrs()[0].String() != "::1" {
		t.Errorf("v6 only: %v %v", res, err)
	}
}

func TestLookupTimesOut(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0") // answers nothing
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if _, err := lookup(t.Context(), pc.LocalAddr().String(), "site.test", 2e8); err == nil {
		t.Fatal("a silent resolver gave no error")
	}
}

// FuzzParseAnswers: any bytes from the network give an error or answers,
// never a panic.
func FuzzParseAnswers(f *testing.F) {
	f.Add(answer(mustQuery(f, "site.test."), map[string][]string{"site.test.": {"127.0.0.1"}}))
	f.Add(answer(mustQuery(f, "www.site.test."), map[string][]string{"www.site.test.": {"site.test."}, "site.test.": {"::1"}}))
	f.Add([]byte{0, 1, 0x80, 0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, answers, err := parseAnswers(raw)
		if err != nil && answers != nil {
			t.Fatal("answers with an error")
		}
		for _, a := range answers {
			if a.Type != "A" && a.Type != "AAAA" && a.Type != "CNAME" {
				t.Fatalf("type %q", a.Type)
			}
		}
	})
}

func mustQuery(f *testing.F, name string) []byte {
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: 7})
	b.StartQuestions()
	b.Question(dnsmessage.Question{Name: dnsmessage.MustNewName(name), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET})
	out, err := b.Finish()
	if err != nil {
		f.Fatal(err)
	}
	return out
}
