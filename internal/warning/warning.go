// Package warning is the public warning (预警信息, issue 14): its levels,
// its messages and the rules of their life. A warning is released to the
// public only after a holder of the plan's approval role (approvals.warning)
// approved it, never its drafter. An update or a cancellation is a NEW
// message referencing the one it replaces (CAP msgType Update / Cancel),
// drafted, approved and released the same way; the messages of one warning
// share the original's thread id. Pure: no store, no clock.
package warning

import (
	"strings"
	"time"
	"unicode/utf8"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
)

// Level is one of the national plan's four warning levels.
type Level string

// The four levels, most severe first.
const (
	Red    Level = "red"    // 红色预警, 一级, 特别严重
	Orange Level = "orange" // 橙色预警, 二级, 严重
	Yellow Level = "yellow" // 黄色预警, 三级, 较重
	Blue   Level = "blue"   // 蓝色预警, 四级, 一般
)

// Levels lists the levels, most severe first.
var Levels = []Level{Red, Orange, Yellow, Blue}

// Valid reports whether l is one of the four levels.
func (l Level) Valid() bool {
	for _, v := range Levels {
		if l == v {
			return true
		}
	}
	return false
}

// Name is the level written out as the public reads it (红色预警): a
// level is never shown by its colour alone.
func (l Level) Name() string {
	switch l {
	case Red:
		return "红色预警"
	case Orange:
		return "橙色预警"
	case Yellow:
		return "黄色预警"
	case Blue:
		return "蓝色预警"
	}
	return ""
}

// Grade is the level's 级 (一级 is the most severe).
func (l Level) Grade() string {
	switch l {
	case Red:
		return "一级"
	case Orange:
		return "二级"
	case Yellow:
		return "三级"
	case Blue:
		return "四级"
	}
	return ""
}

// CAPCodes are a level's CAP urgency, severity and certainty. The mapping
// (docs/warnings.md): the colour says how grave (severity) and how soon
// action is needed (urgency); a warning announces a likely harm, the
// least level a possible one.
type CAPCodes struct{ Urgency, Severity, Certainty string }

// CAP maps the level to CAP's codes.
func (l Level) CAP() CAPCodes {
	switch l {
	case Red:
		return CAPCodes{"Immediate", "Extreme", "Likely"}
	case Orange:
		return CAPCodes{"Immediate", "Severe", "Likely"}
	case Yellow:
		return CAPCodes{"Expected", "Moderate", "Likely"}
	default:
		return CAPCodes{"Future", "Minor", "Possible"}
	}
}

// Type is what a message does to its warning (CAP msgType).
type Type string

// The message types.
const (
	Alert  Type = "alert"  // the first message of a warning
	Update Type = "update" // replaces the released message of its warning
	Cancel Type = "cancel" // ends the warning (解除)
)

// CAP is the type as CAP's msgType writes it.
func (t Type) CAP() string {
	switch t {
	case Update:
		return "Update"
	case Cancel:
		return "Cancel"
	}
	return "Alert"
}

// Status is where a message stands.
type Status string

// A message is drafted, approved and released; a released message is
// superseded by a released update or cancelled by a released cancellation.
const (
	Draft      Status = "draft"
	Approved   Status = "approved"
	Released   Status = "released"
	Superseded Status = "superseded"
	Cancelled  Status = "cancelled"
)

// Message is one message of a public warning.
type Message struct {
	ID         int64
	UUID       string // CAP identifier, unique per message
	ThreadUUID string // the original's UUID: the Atom entry id, stable across updates
	OriginalID int64  // the warning's first message; 0 for the first itself
	ReplacesID int64  // the released message an update or cancellation replaces
	OrgID      int64
	IncidentID int64 // 0 for a warning on its own
	Type       Type
	Status     Status

	Level       Level
	Event       string // what the warning is about, e.g. 计算机病毒疫情
	Headline    string
	Description string
	Instruction string // what the public should do
	Area        string
	Effective   time.Time
	Expires     time.Time

	DraftedBy    int64
	DraftedAt    time.Time
	ApprovedBy   int64
	ApprovedAt   *time.Time
	ApprovalNote string
	ReleasedBy   int64
	ReleasedAt   *time.Time // CAP sent
	EndedAt      *time.Time // superseded or cancelled at
}

// Public reports whether the public page shows m at now: a released alert
// or update, not yet expired.
func (m *Message) Public(now time.Time) bool {
	return m.Status == Released && m.Type != Cancel && now.Before(m.Expires)
}

// Bounds on the fields (characters). CAP recommends a headline under 160.
const (
	MaxEvent       = 100
	MaxHeadline    = 150
	MaxDescription = 5000
	MaxInstruction = 3000
	MaxArea        = 500
	MaxNote        = 1000
	// MaxSpan is how long a warning may stay in force.
	MaxSpan = 90 * 24 * time.Hour
)

// Check checks a message's fields as drafted at now; the error names the
// field. A cancellation needs no instruction.
func Check(m *Message, now time.Time) error {
	if !m.Level.Valid() {
		return errs.Field("level", "error.warning_level")
	}
	for _, f := range []struct {
		name, v  string
		required bool
		max      int
	}{
		{"event", m.Event, true, MaxEvent},
		{"headline", m.Headline, true, MaxHeadline},
		{"description", m.Description, true, MaxDescription},
		{"instruction", m.Instruction, m.Type != Cancel, MaxInstruction},
		{"area", m.Area, true, MaxArea},
	} {
		if err := cleantext.Check(f.name, f.v); err != nil {
			return err
		}
		v := strings.TrimSpace(f.v)
		if f.required && v == "" {
			return errs.Field(f.name, "error.required")
		}
		if utf8.RuneCountInString(v) > f.max {
			return errs.Field(f.name, "error.too_long", f.max)
		}
	}
	if m.Effective.IsZero() {
		return errs.Field("effective", "error.required")
	}
	if m.Expires.IsZero() {
		return errs.Field("expires", "error.required")
	}
	if !m.Expires.After(m.Effective) {
		return errs.Field("expires", "error.warning_expires_before")
	}
	if !m.Expires.After(now) {
		return errs.Field("expires", "error.warning_expired")
	}
	if m.Expires.Sub(m.Effective) > MaxSpan {
		return errs.Field("expires", "error.warning_too_long", int(MaxSpan/(24*time.Hour)))
	}
	return nil
}

// Approve records approval of a draft by approver. The role and the
// organisation are the caller's check (the plan's rule); here: only a
// draft, and never by its drafter.
func Approve(m *Message, approver int64, note string, now time.Time) error {
	if m.Status != Draft {
		return notDraft(m)
	}
	if approver == m.DraftedBy {
		return errs.New(errs.Forbidden, "error.warning_own_draft")
	}
	t := now
	m.Status, m.ApprovedBy, m.ApprovedAt, m.ApprovalNote = Approved, approver, &t, note
	return nil
}

func notDraft(m *Message) error {
	switch m.Status {
	case Cancelled:
		return errs.New(errs.Conflict, "error.warning_cancelled")
	case Approved:
		return errs.New(errs.Conflict, "error.warning_approved_already")
	}
	return errs.New(errs.Conflict, "error.warning_released_already")
}

// Release releases an approved message at now. replaced is the message an
// update or cancellation replaces (nil for an alert); it must still be the
// warning's released message. On success m is released and replaced is
// superseded (update) or cancelled (cancellation).
func Release(m, replaced *Message, by int64, now time.Time) error {
	switch m.Status {
	case Draft:
		return errs.New(errs.Conflict, "error.warning_not_approved")
	case Approved:
	case Cancelled:
		return errs.New(errs.Conflict, "error.warning_cancelled")
	default:
		return errs.New(errs.Conflict, "error.warning_released_already")
	}
	if !now.Before(m.Expires) {
		return errs.New(errs.Conflict, "error.warning_expired")
	}
	if m.Type != Alert {
		if replaced == nil {
			return errs.New(errs.Conflict, "error.warning_no_original")
		}
		if err := Current(replaced, now); err != nil {
			return err
		}
	}
	t := now
	m.Status, m.ReleasedBy, m.ReleasedAt = Released, by, &t
	if replaced != nil {
		replaced.EndedAt = &t
		replaced.Status = Superseded
		if m.Type == Cancel {
			replaced.Status = Cancelled
		}
	}
	return nil
}

// Current says whether m is its warning's message in force at now, the
// one an update or a cancellation may replace.
func Current(m *Message, now time.Time) error {
	switch {
	case m.Type == Cancel || m.Status == Cancelled:
		return errs.New(errs.Conflict, "error.warning_cancelled")
	case m.Status == Superseded:
		return errs.New(errs.Conflict, "error.warning_superseded")
	case m.Status != Released:
		return errs.New(errs.Conflict, "error.warning_not_released")
	case !now.Before(m.Expires):
		return errs.New(errs.Conflict, "error.warning_expired")
	}
	return nil
}

// Revise starts an update or cancellation of the released message cur: a
// new draft in cur's thread, carrying cur's content for the drafter to
// change. A cancellation states its reason as the description and says
// 解除 in its headline.
func Revise(cur *Message, t Type, now time.Time) (*Message, error) {
	if t != Update && t != Cancel {
		return nil, errs.Field("type", "error.warning_type")
	}
	if err := Current(cur, now); err != nil {
		return nil, err
	}
	orig := cur.OriginalID
	if orig == 0 {
		orig = cur.ID
	}
	m := &Message{
		ThreadUUID: cur.ThreadUUID, OriginalID: orig, ReplacesID: cur.ID, OrgID: cur.OrgID, IncidentID: cur.IncidentID,
		Type: t, Status: Draft, Level: cur.Level, Event: cur.Event, Headline: cur.Headline, Description: cur.Description,
		Instruction: cur.Instruction, Area: cur.Area, Effective: cur.Effective, Expires: cur.Expires,
	}
	if t == Cancel {
		m.Headline = CancelHeadline(cur.Headline)
		m.Instruction = ""
	}
	return m, nil
}

// CancelHeadline is the headline of a cancellation: 解除 and the original's.
func CancelHeadline(h string) string {
	if strings.HasPrefix(h, "解除") {
		return h
	}
	out := "解除：" + h
	if r := []rune(out); len(r) > MaxHeadline {
		out = string(r[:MaxHeadline])
	}
	return out
}
