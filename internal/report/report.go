// Package report drafts incident reports from the record and renders them as
// official documents (DOCX laid out per GB/T 9704-2012, and PDF). It is pure:
// the caller loads the record and passes the clock in.
//
// A report goes draft → (signoff_requested) → signed (签发) → submitted. From
// signing on its content is frozen under a SHA-256 of its canonical form; a
// correction is a new version that supersedes the old one.
package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"yingji/internal/incident"
)

// Kinds of report.
const (
	Initial  = "initial"  // 首报
	Followup = "followup" // 续报
	Daily    = "daily"    // 每日情况报告
	Final    = "final"    // 终报
	Summary  = "summary"  // 处置工作总结
)

// Kinds lists the report kinds in the order they occur.
var Kinds = []string{Initial, Followup, Daily, Final, Summary}

// ValidKind reports whether k is a report kind.
func ValidKind(k string) bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// KindName is the kind's Chinese name.
func KindName(k string) string {
	switch k {
	case Initial:
		return "首报"
	case Followup:
		return "续报"
	case Daily:
		return "每日情况报告"
	case Final:
		return "终报"
	case Summary:
		return "处置工作总结"
	}
	return k
}

// Statuses of one report version.
const (
	StatusDraft     = "draft"
	StatusSignoff   = "signoff_requested"
	StatusSigned    = "signed"
	StatusSubmitted = "submitted"
)

// Editable reports whether a version in status st may still be edited.
func Editable(st string) bool { return st == StatusDraft || st == StatusSignoff }

// Fields are the parts a Chinese incident report carries, in document order.
type Fields struct {
	TimePlace     string `json:"time_place"`     // 事件发生时间、地点
	Cause         string `json:"cause"`          // 事件起因
	Course        string `json:"course"`         // 事件经过
	Measures      string `json:"measures"`       // 已采取的措施及效果
	Impact        string `json:"impact"`         // 影响范围及发展趋势
	Informed      string `json:"informed"`       // 已报告的领导和单位
	NextSteps     string `json:"next_steps"`     // 下一步工作及需要支援的事项
	ReportingUnit string `json:"reporting_unit"` // 报告单位
	Signer        string `json:"signer"`         // 签发人 (filled at sign-off)
	Contact       string `json:"contact"`        // 联系人
	Phone         string `json:"phone"`          // 联系电话
	// The marking (GB/T 9704 7.2.1–7.2.3, see Marking). Empty fields are
	// left out of the JSON, so that the hash of a report signed before
	// they existed is unchanged.
	CopyNo      string `json:"copy_no,omitempty"`      // 份号
	Secrecy     string `json:"secrecy,omitempty"`      // 密级
	SecrecyTerm string `json:"secrecy_term,omitempty"` // 保密期限
	Urgency     string `json:"urgency,omitempty"`      // 紧急程度
}

// Marking is the fields' marking.
func (f Fields) Marking() Marking {
	return Marking{CopyNo: f.CopyNo, Secrecy: f.Secrecy, SecrecyTerm: f.SecrecyTerm, Urgency: f.Urgency}
}

// Section is one headed part of the report body.
type Section struct {
	Key, Heading, Text string
}

// Sections returns the body sections in order, with their formal headings.
// Signer, contact and telephone go to the document's foot, not here.
func (f *Fields) Sections() []Section {
	return []Section{
		{"time_place", "一、事件发生时间、地点", f.TimePlace},
		{"cause", "二、事件起因", f.Cause},
		{"course", "三、事件经过", f.Course},
		{"measures", "四、已采取的措施及效果", f.Measures},
		{"impact", "五、影响范围及发展趋势", f.Impact},
		{"informed", "六、已报告的领导和单位", f.Informed},
		{"next_steps", "七、下一步工作及需要支援的事项", f.NextSteps},
	}
}

// Set assigns the field named key (the JSON name); false if unknown.
func (f *Fields) Set(key, v string) bool {
	p := f.ptr(key)
	if p == nil {
		return false
	}
	*p = v
	return true
}

// Get returns the field named key (the JSON name); "" if unknown.
func (f *Fields) Get(key string) string {
	if p := f.ptr(key); p != nil {
		return *p
	}
	return ""
}

func (f *Fields) ptr(key string) *string {
	switch key {
	case "time_place":
		return &f.TimePlace
	case "cause":
		return &f.Cause
	case "course":
		return &f.Course
	case "measures":
		return &f.Measures
	case "impact":
		return &f.Impact
	case "informed":
		return &f.Informed
	case "next_steps":
		return &f.NextSteps
	case "reporting_unit":
		return &f.ReportingUnit
	case "signer":
		return &f.Signer
	case "contact":
		return &f.Contact
	case "phone":
		return &f.Phone
	case "copy_no":
		return &f.CopyNo
	case "secrecy":
		return &f.Secrecy
	case "secrecy_term":
		return &f.SecrecyTerm
	case "urgency":
		return &f.Urgency
	}
	return nil
}

// FieldKeys lists the editable field names.
var FieldKeys = []string{"time_place", "cause", "course", "measures", "impact", "informed", "next_steps", "reporting_unit", "contact", "phone",
	"copy_no", "secrecy", "secrecy_term", "urgency"}

// Body renders the fields as plain text: the headed sections, then the foot.
func (f *Fields) Body() string {
	var b strings.Builder
	for _, s := range f.Sections() {
		b.WriteString(s.Heading)
		b.WriteString("\n")
		b.WriteString(strings.TrimSpace(s.Text))
		b.WriteString("\n\n")
	}
	b.WriteString("报告单位：" + f.ReportingUnit + "\n")
	b.WriteString("签发人：" + f.Signer + "\n")
	b.WriteString("联系人：" + f.Contact + "　联系电话：" + f.Phone + "\n")
	return b.String()
}

// Report is one version of a report with everything the flow records.
type Report struct {
	incident.Report
	Version            int
	Fields             Fields
	Sources            []int64 // timeline entry ids the draft was made from
	LastEntryID        int64   // the newest entry the draft covered
	DocNumber          string  // 发文字号, given at sign-off
	Recipients         []string
	SignoffRequestedAt *time.Time
	SignerID           int64
	SignedAt           *time.Time
	SubmittedBy        int64
	SupersededBy       int64 // filled when read: the correction of this version, if any
	// Editors are the users other than the author who wrote any of this
	// version's text: by editing it, or in the version it corrects. None of
	// them may sign it (four eyes over the text, not just the author field).
	Editors []int64
}

// WrittenBy reports whether user id wrote any of the version's text.
func (r *Report) WrittenBy(id int64) bool {
	if id == r.AuthorID {
		return true
	}
	for _, e := range r.Editors {
		if e == id {
			return true
		}
	}
	return false
}

// AddEditor records that user id wrote some of the version's text.
func (r *Report) AddEditor(id int64) {
	if !r.WrittenBy(id) {
		r.Editors = append(r.Editors, id)
	}
}

// Canonical is the content a signature covers, as deterministic JSON:
// changing any of it after sign-off would change the hash.
func (r *Report) Canonical() []byte {
	var signed int64
	if r.SignedAt != nil {
		signed = r.SignedAt.UnixMilli()
	}
	var due int64
	if r.DueAt != nil {
		due = r.DueAt.UnixMilli()
	}
	c := struct {
		IncidentID int64    `json:"incident_id"`
		Kind       string   `json:"kind"`
		Seq        int      `json:"seq"`
		Version    int      `json:"version"`
		Supersedes int64    `json:"supersedes"`
		Title      string   `json:"title"`
		DocNumber  string   `json:"doc_number"`
		Fields     Fields   `json:"fields"`
		Recipients []string `json:"recipients"`
		AuthorID   int64    `json:"author_id"`
		SignerID   int64    `json:"signer_id"`
		SignedAt   int64    `json:"signed_at_ms"`
		DueAt      int64    `json:"due_at_ms"`
		Sources    []int64  `json:"sources"`
	}{r.IncidentID, r.Kind, r.Seq, r.Version, r.Supersedes, r.Title, r.DocNumber, r.Fields, r.Recipients,
		r.AuthorID, r.SignerID, signed, due, r.Sources}
	if c.Recipients == nil {
		c.Recipients = []string{}
	}
	if c.Sources == nil {
		c.Sources = []int64{}
	}
	b, _ := json.Marshal(c) // plain structs always marshal
	return b
}

// Hash is the hex SHA-256 of Canonical.
func (r *Report) Hash() string {
	sum := sha256.Sum256(r.Canonical())
	return hex.EncodeToString(sum[:])
}

// Title returns the standard title of a report of kind about an incident.
func Title(kind string, seq int, incidentTitle string) string {
	switch kind {
	case Initial:
		return "关于" + incidentTitle + "的首报"
	case Followup:
		return "关于" + incidentTitle + "的续报（续报" + ChineseNumber(seq) + "）"
	case Daily:
		return incidentTitle + "每日情况报告（第" + itoa(seq) + "期）"
	case Final:
		return "关于" + incidentTitle + "的终报"
	case Summary:
		return incidentTitle + "处置工作总结"
	}
	return incidentTitle
}

// ChineseNumber writes 1…99 in Chinese numerals (一, 十一, 二十三); larger
// numbers in Arabic digits.
func ChineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return itoa(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n%10]
	case n%10 == 0:
		return digits[n/10] + "十"
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// DocNumber formats a 发文字号 such as 青公网安〔2026〕3号: the first
// character of the organisation's name, 公 (public security), 网安, the
// year in 〔〕 and the yearly number.
func DocNumber(orgName string, year, n int) string {
	prefix := ""
	for _, r := range orgName {
		prefix = string(r)
		break
	}
	return prefix + "公网安〔" + itoa(year) + "〕" + itoa(n) + "号"
}

// ChineseDate writes a date as official documents do: 2026年11月28日.
func ChineseDate(t time.Time) string {
	y, m, d := t.Date()
	return itoa(y) + "年" + itoa(int(m)) + "月" + itoa(d) + "日"
}

// ChineseTime writes date and time: 2026年11月28日9时05分.
func ChineseTime(t time.Time) string {
	m := t.Minute()
	mm := itoa(m)
	if m < 10 {
		mm = "0" + mm
	}
	return ChineseDate(t) + itoa(t.Hour()) + "时" + mm + "分"
}
