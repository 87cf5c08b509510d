package bulletins

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"yingji/internal/bulletin"
	"yingji/internal/core"
	"yingji/internal/errs"
	"yingji/internal/event"
	"yingji/internal/i18n"
	"yingji/internal/store"
	"yingji/internal/user"
)

// Preview is what a selection would send: shown before sending.
type Preview struct {
	Units     int `json:"units"`      // units selected
	Addresses int `json:"addresses"`  // messages (one per contact address)
	NoContact int `json:"no_contact"` // units with no phone nor e-mail (the office calls them)
	// Set names which units: equal sets give equal names (SelectionSet).
	Set     string  `json:"set"`
	UnitIDs []int64 `json:"-"`
}

// Expect is what the office saw in the preview; sending is refused if the
// registry changed since (0 and "": not checked).
type Expect struct {
	Units int    // the count
	Set   string // the Preview's Set: the same count of other units is a change too
}

// SelectionSet names a set of units: the first 16 hex digits of SHA-256
// over their sorted ids.
func SelectionSet(ids []int64) string {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	h := sha256.New()
	for _, id := range sorted {
		h.Write(strconv.AppendInt(nil, id, 10))
		h.Write([]byte{','})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// plan selects the units and their addresses.
// maxCriteria bounds the kinds and the regions one selection names.
const maxCriteria = 100

func (s *Service) plan(q *store.Q, b *bulletin.Bulletin, sel bulletin.Selector) (*Preview, map[int64][3]string, map[int64][]store.UnitAddress, error) {
	if sel.Empty() {
		return nil, nil, nil, errs.Field("recipients", "bulletin.no_recipients")
	}
	if len(sel.UnitIDs) > bulletin.MaxRecipients {
		return nil, nil, nil, errs.Field("unit_ids", "bulletin.too_many", bulletin.MaxRecipients)
	}
	// Each unit is matched against every kind and region named: bounded.
	if len(sel.Kinds) > maxCriteria {
		return nil, nil, nil, errs.Field("kinds", "bulletin.too_many_criteria", maxCriteria)
	}
	if len(sel.Regions) > maxCriteria {
		return nil, nil, nil, errs.Field("regions", "bulletin.too_many_criteria", maxCriteria)
	}
	var listed []int64
	if sel.ListID != 0 {
		l, err := q.BulletinList(sel.ListID)
		if errs.CodeOf(err) == errs.NotFound || (err == nil && l.OrgID != b.OrgID) {
			return nil, nil, nil, errs.Field("list_id", "bulletin.list_not_found")
		}
		if err != nil {
			return nil, nil, nil, err
		}
		listed = l.UnitIDs
	}
	cands, err := q.BulletinCandidates(b.OrgID)
	if err != nil {
		return nil, nil, nil, err
	}
	ids := bulletin.Select(cands, sel, listed)
	units, addrs, err := q.BulletinAddresses(b.OrgID)
	if err != nil {
		return nil, nil, nil, err
	}
	p := &Preview{Units: len(ids), UnitIDs: ids, Set: SelectionSet(ids)}
	for _, id := range ids {
		n := len(addrs[id])
		p.Addresses += n
		if n == 0 {
			p.NoContact++
		}
	}
	return p, units, addrs, nil
}

// Preview counts what sending to the selection would do, changing nothing.
func (s *Service) Preview(ctx context.Context, actor *user.User, id int64, sel bulletin.Selector) (*Preview, error) {
	var p *Preview
	err := s.DB.Read(ctx, func(q *store.Q) error {
		b, _, err := s.load(q, actor, id)
		if err != nil {
			return err
		}
		if err := mayCommand(actor, b.OrgID); err != nil {
			return err
		}
		p, _, _, err = s.plan(q, b, sel)
		return err
	})
	return p, err
}

// Send sends a signed 通报 to the selected units, in one transaction: a
// recipient row per unit and a message per contact address, each with the
// unit's link. expect is what the office saw in the preview: a registry
// that changed meanwhile is refused, not sent.
func (s *Service) Send(ctx context.Context, actor *user.User, id int64, sel bulletin.Selector, expect Expect) (*bulletin.Bulletin, *Preview, error) {
	var b *bulletin.Bulletin
	var p *Preview
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if b, _, err = s.load(&tx.Q, actor, id); err != nil {
			return err
		}
		if err := mayCommand(actor, b.OrgID); err != nil {
			return err
		}
		if b.Status == bulletin.Draft {
			return bulletin.MaySend(b, 1)
		}
		if len(s.Key) == 0 {
			return errs.New(errs.Conflict, "bulletin.no_link_key")
		}
		var units map[int64][3]string
		var addrs map[int64][]store.UnitAddress
		if p, units, addrs, err = s.plan(&tx.Q, b, sel); err != nil {
			return err
		}
		if err := bulletin.MaySend(b, p.Units); err != nil {
			return err
		}
		if expect.Units != 0 && expect.Units != p.Units {
			return errs.Field("expect", "bulletin.count_changed", expect.Units, p.Units)
		}
		if expect.Set != "" && expect.Set != p.Set {
			return errs.Field("expect_set", "bulletin.set_changed")
		}
		rs := make([]*bulletin.Recipient, 0, len(p.UnitIDs))
		expires := bulletin.ExpiresAt(b.Deadline)
		for _, uid := range p.UnitIDs {
			u := units[uid]
			rs = append(rs, &bulletin.Recipient{UnitID: uid, UnitName: u[0], Kind: u[1], Region: u[2], Contacts: len(addrs[uid]), ExpiresAt: expires})
		}
		if err := tx.InsertRecipients(b.ID, rs); err != nil {
			return err
		}
		msgs := make([]store.DirectMessage, 0, p.Addresses)
		for _, r := range rs {
			body := s.message(b, r, bulletin.KindSent)
			for _, a := range addrs[r.UnitID] {
				msgs = append(msgs, store.DirectMessage{RecipientRow: r.ID, Phone: a.Phone, Email: a.Email, Kind: bulletin.KindSent, Body: body})
			}
		}
		if err := tx.EnqueueDirect(msgs); err != nil {
			return err
		}
		now := tx.Now
		b.Status, b.SentAt, b.Recipients = bulletin.Sent, &now, len(rs)
		if err := tx.UpdateBulletin(b); err != nil {
			return err
		}
		ev := event.BulletinSent{Bulletin: ref(b), Units: strconv.Itoa(p.Units), Addresses: strconv.Itoa(p.Addresses), DocNumber: b.DocNumber}
		return record(tx, actor, b, ev, core.AuditEntry(actor, "bulletin.send", "bulletin", b.ID, b.OrgID,
			map[string]any{"incident_id": b.IncidentID, "doc_number": b.DocNumber, "units": p.Units, "addresses": p.Addresses, "selector": sel}))
	})
	return b, p, err
}

// message is the text a unit's contacts get: short enough for SMS, with
// the unit's own link.
func (s *Service) message(b *bulletin.Bulletin, r *bulletin.Recipient, kind string) string {
	link := s.BaseURL + bulletin.LinkPath(s.Key, r)
	title := b.Title
	if utf8.RuneCountInString(title) > 18 {
		title = string([]rune(title)[:17]) + "…"
	}
	key := "bulletin.sms"
	if kind == bulletin.KindRemind {
		key = "bulletin.sms_remind"
	}
	text := i18n.T(i18n.ZH, key, title, b.Deadline.In(bulletin.Zone).Format("1月2日15:04"), link)
	body, _ := json.Marshal(map[string]string{"subject": i18n.T(i18n.ZH, "bulletin.mail_subject", b.DocNumber, b.Title), "text": text, "link": link})
	return string(body)
}
