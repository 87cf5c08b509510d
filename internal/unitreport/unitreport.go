// Package unitreport is the units' reporting channel (网络报警处置中心, seed
// 五(三)): a registered unit reports an incident on its own systems through
// a form reached by a per-unit link, with the SHA-256 of its attachments
// (the files stay with the unit), and gets a receipt number. It holds the
// report's rules, the link token and the receipt number; it is pure.
package unitreport

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"yingji/internal/cleantext"
	"yingji/internal/errs"
	"yingji/internal/registry"
)

// Bounds of a report.
const (
	MaxWhat        = 4000
	MaxSystem      = 200
	MaxName        = 50
	MaxAttachments = 20
	MaxFileName    = 200
	MaxFileSize    = 1 << 40 // the size the browser says; the file is not sent
	DefaultValid   = 30 * 24 * time.Hour
	MaxValid       = 365 * 24 * time.Hour
)

// Link is a per-unit link as the office sees it (never the token).
type Link struct {
	ID, OrgID, UnitID int64
	UnitName          string
	CreatedBy         int64
	CreatedAt         time.Time
	ExpiresAt         time.Time
	UsedAt            *time.Time
	RevokedAt         *time.Time
	ReportID          int64
	Receipt           string
}

// LinkState is what a link is good for now.
type LinkState string

const (
	LinkOpen    LinkState = "open"
	LinkUsed    LinkState = "used"
	LinkExpired LinkState = "expired"
	LinkRevoked LinkState = "revoked"
)

// State says whether the link still opens the form at now.
func (l *Link) State(now time.Time) LinkState {
	switch {
	case l.RevokedAt != nil:
		return LinkRevoked
	case l.UsedAt != nil:
		return LinkUsed
	case !now.Before(l.ExpiresAt):
		return LinkExpired
	}
	return LinkOpen
}

// Attachment is a file the unit keeps, named by its hash.
type Attachment struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Report is what a unit sent.
type Report struct {
	ID, OrgID, UnitID, LinkID int64
	UnitName                  string
	Receipt                   string
	What                      string
	HappenedAt                time.Time
	System                    string
	ContactName               string
	ContactPhone              string
	Attachments               []Attachment
	AlertID                   int64
	CreatedAt                 time.Time
}

func text(field string, v *string, max int) error {
	*v = strings.TrimSpace(*v)
	switch {
	case !cleantext.OK(*v):
		return errs.Field(field, "error.bad_text")
	case *v == "":
		return errs.Field(field, "error.required")
	case utf8.RuneCountInString(*v) > max:
		return errs.Field(field, "error.too_long", max)
	}
	return nil
}

// Check normalises a report and returns everything wrong with it, one
// error a field naming it (errs.Fields when several), so that the unit's
// form shows them all at once. now bounds the time it happened.
func (r *Report) Check(now time.Time) error {
	var f errs.Fields
	f.Add(text("what", &r.What, MaxWhat))
	f.Add(text("system", &r.System, MaxSystem))
	switch {
	case r.HappenedAt.IsZero():
		f.Add(errs.Field("happened_at", "error.required"))
	case r.HappenedAt.After(now.Add(10*time.Minute)) || r.HappenedAt.Before(now.AddDate(-1, 0, 0)):
		f.Add(errs.Field("happened_at", "unitrep.bad_time"))
	}
	f.Add(text("contact_name", &r.ContactName, MaxName))
	r.ContactPhone = registry.NormalizePhone(r.ContactPhone)
	switch {
	case r.ContactPhone == "":
		f.Add(errs.Field("contact_phone", "error.required"))
	case !registry.ValidPhone(r.ContactPhone):
		f.Add(errs.Field("contact_phone", "registry.bad_phone", r.ContactPhone))
	}
	f.Add(r.checkAttachments())
	return f.Err()
}

// checkAttachments returns the first thing wrong with the attachments.
func (r *Report) checkAttachments() error {
	if len(r.Attachments) > MaxAttachments {
		return errs.Field("attachments", "unitrep.too_many", MaxAttachments)
	}
	for i := range r.Attachments {
		a := &r.Attachments[i]
		if err := text("attachments", &a.Name, MaxFileName); err != nil {
			return err
		}
		a.SHA256 = strings.ToLower(strings.TrimSpace(a.SHA256))
		if b, err := hex.DecodeString(a.SHA256); err != nil || len(b) != sha256.Size {
			return errs.Field("attachments", "unitrep.bad_hash", a.Name)
		}
		if a.Size < 0 || a.Size > MaxFileSize {
			return errs.Field("attachments", "unitrep.bad_size", a.Name)
		}
	}
	return nil
}

// ParseAttachments reads the attachments as the form's script writes them,
// one a line: "SHA256 SIZE NAME" (the name may hold spaces). Blank lines
// are skipped; what each field holds is Check's to judge.
func ParseAttachments(text string) ([]Attachment, error) {
	var out []Attachment
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.SplitN(line, " ", 3)
		if len(f) != 3 {
			return nil, errs.Field("attachments", "unitrep.bad_hash", line)
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return nil, errs.Field("attachments", "unitrep.bad_size", f[2])
		}
		if len(out) == MaxAttachments {
			return nil, errs.Field("attachments", "unitrep.too_many", MaxAttachments)
		}
		out = append(out, Attachment{SHA256: f[0], Size: size, Name: f[2]})
	}
	return out, nil
}

// Receipt is the receipt number of the seq-th report of a day (the day in
// the office's zone): 2026-11-30-0007.
func Receipt(day time.Time, seq int) string {
	return fmt.Sprintf("%s-%04d", day.Format("2006-01-02"), seq)
}

// NewToken makes a link token: 32 random bytes, URL-safe. The office sees
// it once; the store keeps TokenHash.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is what the store keeps of a token (the token is random and
// long, so a fast hash is enough).
func TokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// WellFormed reports whether tok could be a token, before any lookup.
func WellFormed(tok string) bool {
	if len(tok) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(tok)
	return err == nil
}
