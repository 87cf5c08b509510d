package bulletin

import (
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// Answer is what a unit reports it did.
type Answer string

const (
	Checked     Answer = "checked"      // 已排查
	Mitigated   Answer = "mitigated"    // 已处置
	NotAffected Answer = "not_affected" // 不涉及
)

// Answers in the order the page offers them.
var Answers = []Answer{Checked, Mitigated, NotAffected}

// State is a unit's place in the tracking table.
type State string

const (
	StateSent      State = "sent"      // queued to its contacts
	StateDelivered State = "delivered" // a channel took it for at least one contact
	StateReceived  State = "received"  // 签收
	StateDone      State = "done"      // answered
	StateRevoked   State = "revoked"   // the office revoked its link
)

// States in the table's order.
var States = []State{StateSent, StateDelivered, StateReceived, StateDone, StateRevoked}

// Recipient is one unit of a sent 通报.
type Recipient struct {
	ID, BulletinID, UnitID int64
	UnitName, Kind, Region string
	Contacts               int // addresses it was sent to
	ExpiresAt              time.Time
	Delivered              bool // at least one delivery sent (from the delivery log)
	ReceivedAt, AnsweredAt *time.Time
	Answer                 Answer
	Notes                  string
	Attachments            []Attachment
	RevokedAt, RemindedAt  *time.Time
}

// State is the recipient's state.
func (r *Recipient) State() State {
	switch {
	case r.RevokedAt != nil:
		return StateRevoked
	case r.AnsweredAt != nil:
		return StateDone
	case r.ReceivedAt != nil:
		return StateReceived
	case r.Delivered:
		return StateDelivered
	}
	return StateSent
}

// Overdue: the deadline passed and the unit has not answered (a revoked
// unit is not chased).
func (r *Recipient) Overdue(deadline, now time.Time) bool {
	return r.AnsweredAt == nil && r.RevokedAt == nil && !now.Before(deadline)
}

// NeedsReminder: overdue and not reminded yet (one reminder per unit).
func (r *Recipient) NeedsReminder(deadline, now time.Time) bool {
	return r.Overdue(deadline, now) && r.RemindedAt == nil
}

// Attachment is a file the unit names and hashes in its browser; the file
// itself never leaves the unit.
type Attachment struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Reply is a unit's answer from its link.
type Reply struct {
	Answer      Answer       `json:"answer"`
	Notes       string       `json:"notes"`
	Attachments []Attachment `json:"attachments"`
}

// Bounds of a reply.
const (
	MaxNotes       = 2000
	MaxAttachments = 10
	MaxFileName    = 200
)

// Check validates a reply; the error names the field.
func (r *Reply) Check() error {
	ok := false
	for _, a := range Answers {
		ok = ok || r.Answer == a
	}
	if !ok {
		return errs.Field("answer", "bulletin.bad_answer")
	}
	r.Notes = strings.TrimSpace(r.Notes)
	if err := cleantext.Check("notes", r.Notes); err != nil {
		return err
	}
	if utf8.RuneCountInString(r.Notes) > MaxNotes {
		return errs.Field("notes", "error.too_long", MaxNotes)
	}
	if len(r.Attachments) > MaxAttachments {
		return errs.Field("attachments", "bulletin.too_many_files", MaxAttachments)
	}
	for i := range r.Attachments {
		a := &r.Attachments[i]
		a.Name, a.SHA256 = strings.TrimSpace(a.Name), strings.ToLower(strings.TrimSpace(a.SHA256))
		if err := cleantext.Check("attachments", a.Name); err != nil {
			return err
		}
		if a.Name == "" || utf8.RuneCountInString(a.Name) > MaxFileName {
			return errs.Field("attachments", "bulletin.bad_file_name", MaxFileName)
		}
		if b, err := hex.DecodeString(a.SHA256); err != nil || len(b) != 32 {
			return errs.Field("attachments", "bulletin.bad_sha256")
		}
	}
	return nil
}

// MayReceive refuses a revoked or expired link; a unit that has answered
// has used its link (single use).
func MayReceive(r *Recipient, now time.Time) error {
	switch {
	case r.RevokedAt != nil:
		return errs.New(errs.Conflict, "bulletin.link_revoked")
	case r.AnsweredAt != nil:
		return errs.New(errs.Conflict, "bulletin.link_used")
	case !now.Before(r.ExpiresAt):
		return errs.New(errs.NotFound, "bulletin.link_expired")
	}
	return nil
}

// Counts are the figures on top of the tracking table.
type Counts struct {
	Units, Sent, Delivered, Received, Done, Overdue, Revoked int
}

// Count adds a recipient to the counts. Sent counts every unit; delivered,
// received and done are cumulative (a unit that answered was also
// received and delivered).
func (c *Counts) Count(r *Recipient, deadline, now time.Time) {
	c.Units++
	c.Sent++
	if r.RevokedAt != nil {
		c.Revoked++
		return
	}
	if r.Delivered || r.ReceivedAt != nil || r.AnsweredAt != nil {
		c.Delivered++
	}
	if r.ReceivedAt != nil || r.AnsweredAt != nil {
		c.Received++
	}
	if r.AnsweredAt != nil {
		c.Done++
	}
	if r.Overdue(deadline, now) {
		c.Overdue++
	}
}

// Matching is how many units a filter by state alone selects, from the
// counts (which are cumulative); false when the filter has more criteria.
func (c Counts) Matching(f TableFilter) (int, bool) {
	if f.Kind != "" || f.Region != "" || f.Q != "" {
		return 0, false
	}
	switch State(f.State) {
	case "":
		return c.Units, true
	case StateRevoked:
		return c.Revoked, true
	case StateDone:
		return c.Done, true
	case StateReceived:
		return c.Received - c.Done, true
	case StateDelivered:
		return c.Delivered - c.Received, true
	case StateSent:
		return c.Units - c.Revoked - c.Delivered, true
	case "overdue":
		return c.Overdue, true
	}
	return 0, false
}
