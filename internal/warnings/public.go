package warnings

import (
	"context"
	"strconv"
	"strings"
	"time"

	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/org"
	"yingji/internal/store"
	"yingji/internal/warning"
)

// The public outputs: no login, read-only. They show only what was
// released; drafts and approvals never leave.

// Zone is the zone public times are written in (the plans' Asia/Shanghai).
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// PublicItem is a warning on the public page.
type PublicItem struct {
	*warning.Message
	OrgName string
}

// Public is what the public sees at one moment, and when it last changed
// (the zero time when nothing was ever released).
type Public struct {
	Now      time.Time
	Changed  time.Time
	Warnings []*PublicItem // released alerts and updates in force, newest first
	feed     []*warning.Message
	first    map[string]time.Time // each warning's first release
	names    map[int64]string
	base     string // the service's PublicURL
}

// Public reads the warnings in force now.
func (s *Service) Public(ctx context.Context) (*Public, error) {
	p := &Public{first: map[string]time.Time{}, names: map[int64]string{}, base: strings.TrimRight(s.PublicURL, "/")}
	err := s.DB.Read(ctx, func(q *store.Q) error {
		p.Now = q.Now
		var err error
		if p.Changed, err = q.PublicChanged(q.Now); err != nil {
			return err
		}
		ms, err := q.ReleasedWarnings(q.Now)
		if err != nil {
			return err
		}
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		for _, m := range ms {
			p.names[m.OrgID] = orgName(tree, m.OrgID)
			p.feed = append(p.feed, m)
			if m.Public(q.Now) {
				p.Warnings = append(p.Warnings, &PublicItem{Message: m, OrgName: p.names[m.OrgID]})
			}
			if m.OriginalID == 0 {
				p.first[m.ThreadUUID] = *m.ReleasedAt
				continue
			}
			orig, err := q.Warning(m.OriginalID)
			if err != nil {
				return err
			}
			if orig.ReleasedAt != nil {
				p.first[m.ThreadUUID] = *orig.ReleasedAt
			}
		}
		return nil
	})
	return p, err
}

func orgName(tree *org.Tree, id int64) string {
	if o := tree.Org(id); o != nil {
		return o.Name
	}
	return ""
}

// Feed renders the Atom feed of p: every warning in force, a cancelled
// one with its cancellation until the warning would have expired. self is
// the feed's path, page the public page's; with a PublicURL the links are
// absolute, otherwise relative to them.
func (p *Public) Feed(title, self, page string) ([]byte, error) {
	self, page = p.base+self, p.base+page
	empty := p.Changed
	if empty.IsZero() { // nothing ever released: a fixed date, not "now", keeps the feed cacheable
		empty = time.Date(2026, 1, 1, 0, 0, 0, 0, Zone)
	}
	return warning.Atom(p.feed, p.first, warning.FeedInput{
		Title: title, Self: self, Page: page, Zone: Zone, Empty: empty,
		Link:    func(m *warning.Message) string { return page + "#w-" + m.ThreadUUID },
		CAPLink: func(m *warning.Message) string { return p.base + CAPPath(m.UUID) },
		Author:  func(m *warning.Message) string { return p.names[m.OrgID] },
	})
}

// CAPPath is the public address of a message's CAP document.
func CAPPath(uuid string) string { return "/public/warnings/" + uuid + "/cap" }

// CAP renders a released message (in force or not: a receiver may fetch an
// earlier one a later one references) as CAP 1.2, with when it last
// changed. Drafts and approved messages are not found.
func (s *Service) CAP(ctx context.Context, uuid string) ([]byte, time.Time, error) {
	if len(uuid) != 36 || strings.Trim(uuid, "0123456789abcdef-") != "" {
		return nil, time.Time{}, errs.New(errs.NotFound, "error.warning_not_found")
	}
	var out []byte
	var changed time.Time
	err := s.DB.Read(ctx, func(q *store.Q) error {
		m, err := q.WarningByUUID(uuid)
		if err != nil {
			return err
		}
		if m.ReleasedAt == nil {
			return errs.New(errs.NotFound, "error.warning_not_found")
		}
		changed = *m.ReleasedAt
		tree, err := core.LoadTree(q)
		if err != nil {
			return err
		}
		in := warning.CAPInput{Sender: s.sender(tree, m.OrgID), SenderName: orgName(tree, m.OrgID), Zone: Zone}
		if m.Type != warning.Alert {
			thread, err := q.WarningThread(m.ThreadUUID)
			if err != nil {
				return err
			}
			// References: every earlier released message of the warning
			// (a message replaces only the one in force, so ids order them).
			for _, t := range thread {
				if t.ID < m.ID && t.ReleasedAt != nil {
					in.Refs = append(in.Refs, warning.Ref{Sender: s.sender(tree, t.OrgID), Identifier: t.UUID, Sent: *t.ReleasedAt})
				}
			}
		}
		out, err = warning.CAPXML(m, in)
		return err
	})
	return out, changed, err
}

// sender is a bureau's CAP sender: its code at the service's domain.
func (s *Service) sender(tree *org.Tree, orgID int64) string {
	code := "org"
	if o := tree.Org(orgID); o != nil && o.Code != "" {
		code = strings.ToLower(o.Code)
	}
	b := strings.Builder{}
	for _, r := range code { // CAP: no spaces, commas, < or &
		if r > ' ' && r != ',' && r != '<' && r != '&' {
			b.WriteRune(r)
		}
	}
	return b.String() + "-" + itoa(orgID) + "@" + s.Domain
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
