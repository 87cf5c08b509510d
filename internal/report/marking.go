package report

import (
	"regexp"
	"unicode/utf8"

	"yingji/internal/plan"
)

// Marking is what GB/T 9704-2012 7.2.1–7.2.3 puts at the top left of a
// document: the copy number, the secrecy level with its term, and the
// urgency. A report carrying details of an investigation to 市委、市政府 is
// marked; the seed's 五(二) asks to keep work secrets strictly.
type Marking struct {
	CopyNo      string // 份号: six digits, "" for none
	Secrecy     string // 密级: 秘密, 机密 or 绝密; "" for none
	SecrecyTerm string // 保密期限, e.g. 1年 or 6个月; "" for none
	Urgency     string // 紧急程度: 特急 or 加急; "" for none
}

// Secrecy levels and urgencies.
var (
	SecrecyLevels = []string{"秘密", "机密", "绝密"}
	Urgencies     = []string{"特急", "加急"}
)

var (
	copyNoRE = regexp.MustCompile(`^[0-9]{6}$`)
	termRE   = regexp.MustCompile(`^[0-9]{1,2}(年|个月)$|^长期$`)
)

// CheckField returns the message key that refuses value v for the marking
// field key, or "" (any other field, or a good value). Whether a term has a
// level to go with it is for the document as a whole (Check).
func CheckField(key, v string) string {
	var m Marking
	switch key {
	case "copy_no":
		m.CopyNo = v
	case "secrecy":
		m.Secrecy = v
	case "secrecy_term":
		m.Secrecy, m.SecrecyTerm = "秘密", v
	case "urgency":
		m.Urgency = v
	default:
		return ""
	}
	if m.Check() != "" {
		return "error.marking_" + key
	}
	return ""
}

// Check names the first field that is not a valid marking, or "".
func (m Marking) Check() string {
	switch {
	case m.CopyNo != "" && !copyNoRE.MatchString(m.CopyNo):
		return "copy_no"
	case m.Secrecy != "" && !in(m.Secrecy, SecrecyLevels):
		return "secrecy"
	case m.SecrecyTerm != "" && (m.Secrecy == "" || !termRE.MatchString(m.SecrecyTerm) || utf8.RuneCountInString(m.SecrecyTerm) > 4):
		return "secrecy_term"
	case m.Urgency != "" && !in(m.Urgency, Urgencies):
		return "urgency"
	}
	return ""
}

// SecrecyMark is the level and term as printed: 秘密★1年, or 秘密 alone.
func (m Marking) SecrecyMark() string {
	if m.Secrecy == "" {
		return ""
	}
	if m.SecrecyTerm == "" {
		return m.Secrecy
	}
	return m.Secrecy + "★" + m.SecrecyTerm
}

// Marks are the marking lines in the order the standard stacks them.
func (m Marking) Marks() []string {
	var out []string
	for _, s := range []string{m.CopyNo, m.SecrecyMark(), m.Urgency} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Classified reports whether the marking restricts who may read the report.
func (m Marking) Classified() bool { return m.Secrecy != "" }

func in(s string, set []string) bool {
	for _, v := range set {
		if v == s {
			return true
		}
	}
	return false
}

// ClassifiedReaders are the roles the plan lets take away a copy of a
// classified report: its leading group's leader and deputy (组长, 副组长), and
// the roles that decide the plan's activation and termination — the superior
// bureau's leaders, to whom the reports go.
func ClassifiedReaders(p *plan.Plan) []string {
	var out []string
	roles := []string{p.LeadingGroup.Leader, p.LeadingGroup.Deputy}
	roles = append(roles, p.Approvals.Activation.Roles...)
	roles = append(roles, p.Approvals.Termination.Roles...)
	for _, r := range roles {
		if r != "" && !in(r, out) {
			out = append(out, r)
		}
	}
	return out
}

// Reader is someone asking for a report's document. Leader says whether he
// holds one of ClassifiedReaders' roles (the caller decides from his roles).
type Reader struct {
	ID     int64
	Leader bool
}

// MayDownload is who may download a report's document. Unmarked reports go
// to everyone who may read them (need-to-know is the caller's check). A
// report with a secrecy level goes only to those who wrote it, the leader
// who signed it, and the leading groups: 严守工作秘密 (seed 五(二)) — a
// duty officer or member who merely has a part in the incident reads it on
// screen but takes no copy away.
func MayDownload(r *Report, reader Reader) bool {
	if !r.Fields.Marking().Classified() {
		return true
	}
	return reader.Leader || r.WrittenBy(reader.ID) || (r.SignerID != 0 && r.SignerID == reader.ID)
}
