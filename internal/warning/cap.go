package warning

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"
)

// CAP 1.2 (OASIS Common Alerting Protocol, 2010): each released message as
// the XML the national emergency warning release system takes in. The
// structs below keep the schema's element order (a sequence).

// CAPNamespace is CAP 1.2's namespace.
const CAPNamespace = "urn:oasis:names:tc:emergency:cap:1.2"

// CAPCategory is the CAP category of every warning yingji releases:
// "Infra" (utility, telecommunication, other non-transport infrastructure),
// since the hazard is to computers and networks the public uses. "Security"
// is CAP's law-enforcement and military category, for threats to people's
// security, which these warnings are not.
const CAPCategory = "Infra"

// CAPTime is CAP's dateTime form: an explicit offset (+08:00), never "Z".
const CAPTime = "2006-01-02T15:04:05-07:00"

// Ref is an earlier message a message references.
type Ref struct {
	Sender, Identifier string
	Sent               time.Time
}

// CAPInput is what a CAP document is made of besides the message.
type CAPInput struct {
	Sender     string // globally unique originator, no spaces or commas
	SenderName string // the bureau's name
	Web        string // absolute address of the public page, "" for none
	Refs       []Ref  // earlier messages of the warning, oldest first
	Zone       *time.Location
}

type capAlert struct {
	XMLName    xml.Name `xml:"alert"`
	Xmlns      string   `xml:"xmlns,attr"`
	Identifier string   `xml:"identifier"`
	Sender     string   `xml:"sender"`
	Sent       string   `xml:"sent"`
	Status     string   `xml:"status"`
	MsgType    string   `xml:"msgType"`
	Scope      string   `xml:"scope"`
	References string   `xml:"references,omitempty"`
	Info       capInfo  `xml:"info"`
}

type capInfo struct {
	Language    string         `xml:"language"`
	Category    string         `xml:"category"`
	Event       string         `xml:"event"`
	Urgency     string         `xml:"urgency"`
	Severity    string         `xml:"severity"`
	Certainty   string         `xml:"certainty"`
	Effective   string         `xml:"effective"`
	Expires     string         `xml:"expires"`
	SenderName  string         `xml:"senderName"`
	Headline    string         `xml:"headline"`
	Description string         `xml:"description"`
	Instruction string         `xml:"instruction,omitempty"`
	Web         string         `xml:"web,omitempty"`
	Parameter   []capParameter `xml:"parameter"`
	Area        capArea        `xml:"area"`
}

type capParameter struct {
	ValueName string `xml:"valueName"`
	Value     string `xml:"value"`
}

type capArea struct {
	AreaDesc string `xml:"areaDesc"`
}

// CAPXML renders a released message as a CAP 1.2 alert.
func CAPXML(m *Message, in CAPInput) ([]byte, error) {
	loc := in.Zone
	if loc == nil {
		loc = time.UTC
	}
	ts := func(t time.Time) string { return t.In(loc).Format(CAPTime) }
	sent := m.DraftedAt
	if m.ReleasedAt != nil {
		sent = *m.ReleasedAt
	}
	codes := m.Level.CAP()
	a := capAlert{
		Xmlns: CAPNamespace, Identifier: m.UUID, Sender: in.Sender, Sent: ts(sent),
		Status: "Actual", MsgType: m.Type.CAP(), Scope: "Public",
		Info: capInfo{
			Language: "zh-CN", Category: CAPCategory, Event: m.Event,
			Urgency: codes.Urgency, Severity: codes.Severity, Certainty: codes.Certainty,
			Effective: ts(m.Effective), Expires: ts(m.Expires), SenderName: in.SenderName,
			Headline: m.Headline, Description: m.Description, Instruction: m.Instruction, Web: in.Web,
			// The level written out: a receiver shows 黄色预警, not a colour.
			Parameter: []capParameter{{"预警级别", m.Level.Name() + "（" + m.Level.Grade() + "）"}},
			Area:      capArea{AreaDesc: m.Area},
		},
	}
	if m.Type != Alert {
		refs := make([]string, len(in.Refs))
		for i, r := range in.Refs {
			refs[i] = r.Sender + "," + r.Identifier + "," + ts(r.Sent)
		}
		a.References = strings.Join(refs, " ")
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}
