package warning

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// capDocs are a released alert, its update and its cancellation, with text
// that needs escaping.
func capDocs(t testing.TB) map[string][]byte {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	sent := t0.Add(time.Hour).UTC() // stored as UTC, written in the plan's zone
	a := msg(Alert, Released)
	a.ReleasedAt = &sent
	a.Headline = `勒索病毒<script>alert("x")</script> & 传播预警`
	in := CAPInput{Sender: "org3@yingji.local", SenderName: "青神县公安局", Zone: shanghai}
	out := map[string][]byte{}
	b, err := CAPXML(a, in)
	if err != nil {
		t.Fatal(err)
	}
	out["alert"] = b
	for _, typ := range []Type{Update, Cancel} {
		m, err := Revise(a, typ, t0)
		if err != nil {
			t.Fatal(err)
		}
		m.UUID = "u-" + string(typ)
		s2 := sent.Add(time.Hour)
		m.ReleasedAt = &s2
		in.Refs = []Ref{{in.Sender, a.UUID, sent}}
		if b, err = CAPXML(m, in); err != nil {
			t.Fatal(err)
		}
		out[string(typ)] = b
	}
	return out
}

// TestCAPValidatesAgainstXSD checks the documents against the OASIS CAP 1.2
// schema (testdata/CAP-v1.2.xsd) with xmllint. Without xmllint the test
// skips, except in CI, where .ci/run installs it.
func TestCAPValidatesAgainstXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found (CI installs libxml2-utils)")
		}
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	dir := t.TempDir()
	for name, doc := range capDocs(t) {
		f := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(f, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", "testdata/CAP-v1.2.xsd", f).CombinedOutput()
		if err != nil {
			t.Errorf("%s does not validate: %v\n%s\n%s", name, err, out, doc)
		}
	}
	// The validator is real: a document out of the schema's order fails.
	bad := strings.Replace(string(capDocs(t)["alert"]), "<status>Actual</status>\n  <msgType>Alert</msgType>", "<msgType>Alert</msgType>\n  <status>Actual</status>", 1)
	f := filepath.Join(dir, "bad.xml")
	os.WriteFile(f, []byte(bad), 0o600)
	if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", "testdata/CAP-v1.2.xsd", f).CombinedOutput(); err == nil {
		t.Errorf("a document out of order validated:\n%s", out)
	}
}

// TestCAPShape states what the schema does not: the values yingji writes.
// dateTime with an explicit +08:00 offset (never Z), status Actual, scope
// Public, msgType and references by kind, the level mapping, language,
// category, and that text is escaped.
func TestCAPShape(t *testing.T) {
	docs := capDocs(t)
	offset := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$`)
	type info struct {
		Language   string `xml:"language"`
		Category   string `xml:"category"`
		Urgency    string `xml:"urgency"`
		Severity   string `xml:"severity"`
		Certainty  string `xml:"certainty"`
		Effective  string `xml:"effective"`
		Expires    string `xml:"expires"`
		SenderName string `xml:"senderName"`
		AreaDesc   string `xml:"area>areaDesc"`
		Param      string `xml:"parameter>value"`
	}
	type alert struct {
		XMLName    xml.Name
		Sender     string `xml:"sender"`
		Sent       string `xml:"sent"`
		Status     string `xml:"status"`
		MsgType    string `xml:"msgType"`
		Scope      string `xml:"scope"`
		References string `xml:"references"`
		Info       []info `xml:"info"`
	}
	for name, want := range map[string]string{"alert": "Alert", "update": "Update", "cancel": "Cancel"} {
		var a alert
		if err := xml.Unmarshal(docs[name], &a); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a.XMLName.Space != CAPNamespace || a.XMLName.Local != "alert" {
			t.Errorf("%s: root %v", name, a.XMLName)
		}
		if a.MsgType != want || a.Status != "Actual" || a.Scope != "Public" || a.Sender != "org3@yingji.local" || len(a.Info) != 1 {
			t.Errorf("%s: %+v", name, a)
			continue
		}
		i := a.Info[0]
		for _, ts := range []string{a.Sent, i.Effective, i.Expires} {
			if !offset.MatchString(ts) || strings.Contains(ts, "Z") {
				t.Errorf("%s: time %q is not in +08:00 form", name, ts)
			}
		}
		if a.Sent != "2026-11-30T11:00:00+08:00" && name == "alert" {
			t.Errorf("sent %s", a.Sent)
		}
		if i.Language != "zh-CN" || i.Category != "Infra" || i.Urgency != "Expected" || i.Severity != "Moderate" || i.Certainty != "Likely" ||
			i.SenderName != "青神县公安局" || i.AreaDesc != "青神县" || i.Param != "黄色预警（三级）" {
			t.Errorf("%s: info %+v", name, i)
		}
		if want == "Alert" && a.References != "" {
			t.Errorf("an alert references %q", a.References)
		}
		if want != "Alert" && a.References != "org3@yingji.local,u1,2026-11-30T11:00:00+08:00" {
			t.Errorf("%s references %q", name, a.References)
		}
	}
	if s := string(docs["alert"]); strings.Contains(s, "<script>") || !strings.Contains(s, "&lt;script&gt;") || !strings.Contains(s, "&amp; 传播") {
		t.Errorf("text not escaped:\n%s", s)
	}
}
