package bulletin

import (
	"slices"
	"time"
	"yingji/internal/linktoken"
)

// Selector chooses recipients from the registry. The criteria (kinds,
// regions, key-site owners) narrow together: a unit matches when it
// matches every criterion given. The saved list's units and the units
// picked by hand are added to what the criteria select. Nothing given
// selects nothing, never "every unit".
type Selector struct {
	Kinds         []string `json:"kinds"`
	Regions       []string `json:"regions"`
	KeySiteOwners bool     `json:"key_site_owners"`
	ListID        int64    `json:"list_id"`
	UnitIDs       []int64  `json:"unit_ids"`
}

// Empty reports whether the selector names nothing.
func (s *Selector) Empty() bool {
	return len(s.Kinds) == 0 && len(s.Regions) == 0 && !s.KeySiteOwners && s.ListID == 0 && len(s.UnitIDs) == 0
}

// Criteria reports whether the selector has narrowing criteria.
func (s *Selector) Criteria() bool {
	return len(s.Kinds) > 0 || len(s.Regions) > 0 || s.KeySiteOwners
}

// Candidate is a unit as selection sees it.
type Candidate struct {
	ID           int64
	Kind, Region string
	KeySite      bool // owns a registered key website
}

// Select returns the ids of the units the selector picks, ascending.
// listed are the saved list's units; hand-picked and listed ids that are
// not candidates (another organisation's, deleted) are dropped.
func Select(units []Candidate, s Selector, listed []int64) []int64 {
	extra := map[int64]bool{}
	for _, id := range append(slices.Clone(s.UnitIDs), listed...) {
		extra[id] = true
	}
	crit := s.Criteria()
	var out []int64
	for _, u := range units {
		match := crit &&
			(len(s.Kinds) == 0 || slices.Contains(s.Kinds, u.Kind)) &&
			(len(s.Regions) == 0 || slices.Contains(s.Regions, u.Region)) &&
			(!s.KeySiteOwners || u.KeySite)
		if match || extra[u.ID] {
			out = append(out, u.ID)
		}
	}
	slices.Sort(out)
	return out
}

// Token is a unit's link credential (internal/linktoken, as the
// roll-call's links): the recipient row's id and an HMAC over the id, the
// 通报, the unit and the expiry, keyed by the link secret. Single use is the
// row's state (answered), not the token's: the unit opens the page, signs
// for it and answers; the answer uses the link up.
func Token(key []byte, r *Recipient) string {
	return linktoken.Make(key, "bulletin", r.ID, r.BulletinID, r.UnitID, r.ExpiresAt.UnixMilli())
}

// ParseToken splits a token; it checks only the form.
func ParseToken(tok string) (int64, string, bool) { return linktoken.Parse(tok) }

// Verify checks a token's signature against the row it names.
func Verify(key []byte, r *Recipient, sig string) bool {
	return linktoken.Check(key, sig, "bulletin", r.ID, r.BulletinID, r.UnitID, r.ExpiresAt.UnixMilli())
}

// LinkPath is a unit's page.
func LinkPath(key []byte, r *Recipient) string { return "/b/" + Token(key, r) }

// Zone is the wall-clock zone deadlines are shown in.
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// List is a saved recipient list.
type List struct {
	ID, OrgID int64
	Name      string
	UnitIDs   []int64
	CreatedBy int64
	CreatedAt time.Time
}

// TableFilter selects rows of the office's tracking table.
type TableFilter struct {
	State        string // sent, delivered, received, done, revoked, overdue; "" every row
	Kind, Region string
	Q            string // part of the unit's name
	Offset       int
	Limit        int // 0: every row (the export)
}

// Notice kinds of a 通报's messages to units.
const (
	KindSent   = "bulletin_sent"
	KindRemind = "bulletin_remind"
)
