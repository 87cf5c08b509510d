package warning

import (
	"bytes"
	"encoding/xml"
	"time"
)

// The Atom feed (RFC 4287) of the public warnings. Each warning is one
// entry whose id is its thread's urn:uuid, so an update replaces the entry
// in a reader rather than adding one; the entry's updated is when its
// latest message was released.

// FeedID is the feed's id: fixed, so a reader keeps its subscription.
const FeedID = "urn:uuid:5a1e7c0e-6b1d-5e0a-9d4e-796a6e676a69"

// FeedInput is the feed's frame.
type FeedInput struct {
	Title   string
	Self    string // the feed's own address
	Page    string // the public page's address
	CAPLink func(m *Message) string
	Link    func(m *Message) string
	Author  func(m *Message) string // the releasing bureau's name
	Zone    *time.Location
	Empty   time.Time // updated of a feed with no entry (when it last changed)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	Xmlns   string      `xml:"xmlns,attr"`
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Author    atomPerson `xml:"author"`
	Summary   atomText   `xml:"summary"`
	Links     []atomLink `xml:"link"`
	Category  atomCat    `xml:"category"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

// EntryTitle is a message's title in the feed and on the page: the level
// written out, then the headline.
func EntryTitle(m *Message) string {
	return "【" + m.Level.Name() + "】" + m.Headline
}

// Atom renders the feed of the warnings' current messages (one per
// warning, newest first). published is each warning's first release.
func Atom(current []*Message, published map[string]time.Time, in FeedInput) ([]byte, error) {
	loc := in.Zone
	if loc == nil {
		loc = time.UTC
	}
	ts := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	updated := in.Empty
	for _, m := range current {
		if m.ReleasedAt != nil && m.ReleasedAt.After(updated) {
			updated = *m.ReleasedAt
		}
	}
	f := atomFeed{
		Xmlns: "http://www.w3.org/2005/Atom", Lang: "zh-CN", ID: FeedID, Title: in.Title, Updated: ts(updated),
		Links:  []atomLink{{Rel: "self", Type: "application/atom+xml", Href: in.Self}, {Rel: "alternate", Type: "text/html", Href: in.Page}},
		Author: atomPerson{Name: in.Title},
	}
	for _, m := range current {
		e := atomEntry{
			ID: "urn:uuid:" + m.ThreadUUID, Title: atomText{"text", EntryTitle(m)}, Updated: ts(*m.ReleasedAt),
			Author:  atomPerson{Name: in.Author(m)},
			Summary: atomText{"text", m.Description},
			Links: []atomLink{
				{Rel: "alternate", Type: "text/html", Href: in.Link(m)},
				{Rel: "alternate", Type: "application/cap+xml", Href: in.CAPLink(m)},
			},
			Category: atomCat{Term: string(m.Level), Label: m.Level.Name()},
		}
		if p, ok := published[m.ThreadUUID]; ok {
			e.Published = ts(p)
		}
		f.Entries = append(f.Entries, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}
