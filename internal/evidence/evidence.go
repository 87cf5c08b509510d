// Package evidence is the evidence register of an incident (证据清单): the
// items collected, their files, and the chain of custody. Every category
// of the seed plan has an evidence step (四(一)2 提取相关物证,固定证据;
// 四(二)3 收集、固定证据; 四(三)2 收集网络攻击线索和痕迹; 四(四)4 追查病毒来源).
// It is pure: the rules of what may happen to an item, table-tested; the
// use case (internal/exhibits) writes what they allow.
package evidence

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"yingji/internal/errs"
)

// Kind is what an item is.
type Kind string

// The kinds of item.
const (
	File     Kind = "file"        // 电子数据: a file copied from a system
	Email    Kind = "email"       // 电子邮件 (.eml)
	WebPage  Kind = "web_capture" // 网页固定: a capture of a web page
	LogPart  Kind = "log_extract" // 日志摘录
	Physical Kind = "physical"    // 物证: a disk, a device; sealed with a seal number
)

// Kinds lists the kinds in the order forms offer them.
var Kinds = []Kind{File, Email, WebPage, LogPart, Physical}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Status is where an item stands.
type Status string

// The statuses of an item. Evidence is never deleted: a mistaken item is
// withdrawn with a reason and stays on the register.
const (
	Held      Status = "held"      // in a custodian's hands
	Sealed    Status = "sealed"    // 封存
	Withdrawn Status = "withdrawn" // 撤回: kept, marked, with the reason
)

// Item is one entry of the register.
type Item struct {
	ID          int64
	IncidentID  int64
	OrgID       int64
	Seq         int    // 1, 2, … within the incident
	Number      string // ZJ-<incident number>-001
	Kind        Kind
	Description string
	Place       string // where collected
	CollectedAt time.Time
	CollectedBy string // who collected it (a name as written; may be outside yingji)
	Witnesses   string // 见证人
	SealNumber  string // 封存编号; required for physical items
	TaskID      int64  // the task it answers, or 0
	SourceURL   string // a web page capture: the page
	CustodianID int64  // who holds it now
	Status      Status
	Reason      string // why withdrawn
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Files       []*FileRef
}

// FileRef is one file of an item: its content is stored once by SHA-256.
type FileRef struct {
	ID         int64
	ItemID     int64
	Name       string // as uploaded, for display only: never a path
	MediaType  string
	Size       int64
	SHA256     string // hex
	SM3        string // hex, GB/T 32905-2016
	CapturedAt *time.Time
	AddedBy    int64
	AddedAt    time.Time
}

// NumberFor is an item's number: ZJ-<incident number>-<three digits>.
func NumberFor(incidentNumber string, seq int) string {
	return fmt.Sprintf("ZJ-%s-%03d", incidentNumber, seq)
}

// New is what someone registers.
type New struct {
	Kind        Kind
	Description string
	Place       string
	CollectedAt time.Time
	CollectedBy string
	Witnesses   string
	SealNumber  string
	TaskID      int64
}

// Check applies the register's rules to a new item (text checks are the
// use case's): a known kind, a description, who collected it, when, and a
// seal number for a physical item.
func (n *New) Check() error {
	n.Description, n.CollectedBy = strings.TrimSpace(n.Description), strings.TrimSpace(n.CollectedBy)
	n.SealNumber, n.Place, n.Witnesses = strings.TrimSpace(n.SealNumber), strings.TrimSpace(n.Place), strings.TrimSpace(n.Witnesses)
	switch {
	case !n.Kind.Valid():
		return errs.Field("kind", "evidence.bad_kind", string(n.Kind))
	case n.Description == "":
		return errs.Field("description", "error.required")
	case n.CollectedBy == "":
		return errs.Field("collected_by", "error.required")
	case n.CollectedAt.IsZero():
		return errs.Field("collected_at", "error.required")
	case n.Kind == Physical && n.SealNumber == "":
		return errs.Field("seal_number", "evidence.seal_required")
	}
	return nil
}
