// Package bulletin is the 通报 to units (issue 14): a notice the office
// drafts (from an incident or on its own), a leader signs (签发) and sends
// to units of the registry, each unit confirming receipt (签收) and
// reporting what it did (已排查 / 已处置 / 不涉及) from a personal link.
// Pure: types, states, the rules of signing, sending, answering, overdue
// and recipient selection. Time comes in as a value.
package bulletin

import (
	"strings"
	"time"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// Status is a 通报's state: draft → signed → sent.
type Status string

const (
	Draft  Status = "draft"
	Signed Status = "signed"
	Sent   Status = "sent"
)

// Bulletin is one 通报.
type Bulletin struct {
	ID, OrgID, IncidentID int64
	DocNumber             string // 发文字号, given at signing
	Title, Body           string
	Actions               string    // 工作要求: what each unit must do
	Deadline              time.Time // by when (反馈时限)
	Contact, Phone        string    // 联系人, 联系电话
	Status                Status
	AuthorID, SignerID    int64
	SignerName            string
	SignedAt, SentAt      *time.Time
	Recipients            int // units it was sent to
	CreatedAt, UpdatedAt  time.Time
}

// Input is what the office types when drafting.
type Input struct {
	IncidentID int64     `json:"incident_id"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Actions    string    `json:"actions"`
	Deadline   time.Time `json:"deadline"`
	Contact    string    `json:"contact"`
	Phone      string    `json:"phone"`
}

// Field bounds, in characters.
const (
	MaxTitle   = 100
	MaxBody    = 8000
	MaxActions = 4000
	MaxContact = 50
	MaxPhone   = 30
)

func text(field, v string, required bool, max int) error {
	return cleantext.Field(field, v, required, max)
}

// Check validates a draft at now; the deadline must lie ahead.
func (in *Input) Check(now time.Time) error {
	in.Title, in.Body, in.Actions = strings.TrimSpace(in.Title), strings.TrimSpace(in.Body), strings.TrimSpace(in.Actions)
	in.Contact, in.Phone = strings.TrimSpace(in.Contact), strings.TrimSpace(in.Phone)
	for _, c := range []struct {
		f, v string
		max  int
	}{{"title", in.Title, MaxTitle}, {"body", in.Body, MaxBody}, {"actions", in.Actions, MaxActions}, {"contact", in.Contact, MaxContact}, {"phone", in.Phone, MaxPhone}} {
		if err := text(c.f, c.v, true, c.max); err != nil {
			return err
		}
	}
	if in.Deadline.IsZero() {
		return errs.Field("deadline", "error.required")
	}
	if !in.Deadline.After(now) {
		return errs.Field("deadline", "bulletin.deadline_past")
	}
	if in.Deadline.After(now.AddDate(1, 0, 0)) {
		return errs.Field("deadline", "bulletin.deadline_far")
	}
	return nil
}

// MaySign says why a person may not sign (nil if he may): a signer role of
// the 通报's own organisation, never its author, and only a draft.
func MaySign(b *Bulletin, actorID, actorOrg int64, signer bool) error {
	if b.Status != Draft {
		return errs.New(errs.Conflict, "bulletin.not_draft", string(b.Status))
	}
	if actorID == b.AuthorID {
		return errs.New(errs.Forbidden, "bulletin.sign_own")
	}
	if !signer || actorOrg != b.OrgID {
		return errs.New(errs.Forbidden, "bulletin.not_signer")
	}
	return nil
}

// MaySend refuses a 通报 not signed (or sent already) and an empty
// recipient list.
func MaySend(b *Bulletin, units int) error {
	switch b.Status {
	case Draft:
		return errs.New(errs.Conflict, "bulletin.unsigned")
	case Sent:
		return errs.New(errs.Conflict, "bulletin.sent_already")
	}
	if units == 0 {
		return errs.Field("recipients", "bulletin.no_recipients")
	}
	if units > MaxRecipients {
		return errs.Field("recipients", "bulletin.too_many", MaxRecipients)
	}
	return nil
}

// MaxRecipients bounds one 通报's units.
const MaxRecipients = 20000

// LinkValid is how long past the deadline a unit's link still works: a
// late unit may still confirm and answer for a week.
const LinkValid = 7 * 24 * time.Hour

// ExpiresAt is when a unit's link dies.
func ExpiresAt(deadline time.Time) time.Time { return deadline.Add(LinkValid) }
