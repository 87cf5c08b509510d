package warning

import (
	"encoding/xml"
	"testing"
	"time"
)

// FuzzCAPText: whatever text a drafter types that Check accepts, the CAP
// document and the Atom feed are well-formed XML that gives the text back
// unchanged (escaped, never interpreted).
func FuzzCAPText(f *testing.F) {
	f.Add("勒索病毒<script>&传播", "多家单位]]>感染\n请注意", "青神县 & 眉山")
	f.Add("a", "b", "c")
	f.Fuzz(func(t *testing.T, headline, description, area string) {
		m := msg(Alert, Released)
		rel := t0
		m.ReleasedAt = &rel
		m.Headline, m.Description, m.Area = headline, description, area
		if Check(m, t0) != nil {
			return
		}
		doc, err := CAPXML(m, CAPInput{Sender: "s@x", SenderName: "青神县公安局", Zone: cst})
		if err != nil {
			t.Fatal(err)
		}
		var a struct {
			Headline    string `xml:"info>headline"`
			Description string `xml:"info>description"`
			Area        string `xml:"info>area>areaDesc"`
		}
		if err := xml.Unmarshal(doc, &a); err != nil {
			t.Fatalf("CAP not well-formed: %v\n%s", err, doc)
		}
		// encoding/xml writes CR as &#xD;, so no line ending is normalised.
		norm := func(s string) string { return s }
		if a.Headline != norm(headline) || a.Description != norm(description) || a.Area != norm(area) {
			t.Fatalf("CAP text changed: %q", []string{a.Headline, a.Description, a.Area})
		}
		feed, err := Atom([]*Message{m}, map[string]time.Time{}, FeedInput{Title: "t", Self: "/f", Page: "/p", Zone: cst,
			Link: func(*Message) string { return "/p" }, CAPLink: func(*Message) string { return "/c" }, Author: func(*Message) string { return "o" }})
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Summary string `xml:"entry>summary"`
		}
		if err := xml.Unmarshal(feed, &e); err != nil || e.Summary != norm(description) {
			t.Fatalf("feed: %v %q", err, e.Summary)
		}
	})
}
