package ingest

import (
	"maps"
	"testing"
)

// completeEVE are Suricata alert records with every part intake reads:
// their fingerprints and details are pinned (TestCompleteEVEUnchanged), so
// that leaving out empty parts changes nothing for them.
const completeEVE = `{"timestamp":"2026-11-30T09:58:01.123456+0800","flow_id":1,"event_type":"alert","src_ip":"203.0.113.9","src_port":51000,"dest_ip":"10.1.2.3","dest_port":80,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2100498,"rev":7,"signature":"GPL ATTACK_RESPONSE id check returned root","category":"Potentially Bad Traffic","severity":2},"http":{"hostname":"www.xx.gov.cn","url":"/"}}
{"timestamp":"2026-11-30T09:59:00Z","event_type":"alert","src_ip":"2001:db8::1","src_port":443,"dest_ip":"10.51.1.22","dest_port":3306,"proto":"TCP","alert":{"action":"blocked","signature_id":2010935,"signature":"ET SCAN Suspicious inbound to mySQL port 3306","category":"Potentially Bad Traffic","severity":1}}
{"timestamp":"2026-11-30T10:00:00Z","event_type":"alert","src_ip":"198.51.100.7","src_port":0,"dest_ip":"10.51.1.23","dest_port":0,"proto":"ICMP","alert":{"signature_id":1,"signature":"ICMP flood","severity":3}}`

// Leaving out empty labels must not move a complete record to another
// alert: its fingerprint (and its detail) are what they were before.
func TestCompleteEVEUnchanged(t *testing.T) {
	want := []struct{ fingerprint, detail string }{
		{"7ee9db95e8253758effb3c988ac20b37", "TCP 203.0.113.9:51000 -> 10.1.2.3:80\nPotentially Bad Traffic (allowed)"},
		{"22df15a072b37d4e06cb970102185f21", "TCP 2001:db8::1:443 -> 10.51.1.22:3306\nPotentially Bad Traffic (blocked)"},
		{"718db19d27e56983543d60594e9bd4a3", "ICMP 198.51.100.7:0 -> 10.51.1.23:0"},
	}
	res := ParseSuricata([]byte(completeEVE), now)
	if len(res.Signals) != len(want) || len(res.Rejected) != 0 {
		t.Fatalf("%d signals, rejects %+v", len(res.Signals), res.Rejected)
	}
	for i, s := range res.Signals {
		if s.Fingerprint() != want[i].fingerprint || s.Detail != want[i].detail || len(s.Labels) != 3 {
			t.Errorf("record %d: %s %q %v, want %s %q", i+1, s.Fingerprint(), s.Detail, s.Labels, want[i].fingerprint, want[i].detail)
		}
	}
}

// A record without port, protocol or signature id has no empty labels
// for them, and its detail is written from the parts it has.
func TestIncompleteEVE(t *testing.T) {
	cases := []struct {
		line, detail string
		labels       map[string]string
	}{
		{`{"event_type":"alert","dest_ip":"10.51.1.22","alert":{"signature":"ET SCAN","severity":2}}`,
			"-> 10.51.1.22", nil},
		{`{"event_type":"alert","dest_ip":"10.51.1.22","dest_port":80,"alert":{"signature":"ET SCAN","severity":2,"category":"Attempted Recon"}}`,
			"-> 10.51.1.22:80\nAttempted Recon", map[string]string{"dest_port": "80"}},
		{`{"event_type":"alert","src_ip":"203.0.113.9","proto":"UDP","alert":{"signature":"ET SCAN","signature_id":7,"severity":2,"action":"blocked"}}`,
			"UDP 203.0.113.9 (blocked)", map[string]string{"proto": "UDP", "signature_id": "7"}},
		{`{"event_type":"alert","proto":" ","alert":{"signature":"ET SCAN","severity":2,"category":"Misc"}}`,
			"Misc", nil},
		{`{"event_type":"alert","alert":{"signature":"ET SCAN","severity":2}}`, "", nil},
	}
	for _, c := range cases {
		res := ParseSuricata([]byte(c.line), now)
		if len(res.Signals) != 1 {
			t.Fatalf("%s: %+v", c.line, res)
		}
		s := res.Signals[0]
		if s.Detail != c.detail || !maps.Equal(s.Labels, c.labels) {
			t.Errorf("%s:\n got %q %v\nwant %q %v", c.line, s.Detail, s.Labels, c.detail, c.labels)
		}
	}
}
