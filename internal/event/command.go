package event

import (
	"strconv"
	"strings"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/report"
)

// Corrected: the incident's record corrected. Fields lists what changed
// (title, description, discovered_at, category, level); Changes holds
// "<field>.from" and "<field>.to" (and category.from_name/to_name,
// level.direction up or down).
type Corrected struct {
	Fields  string            `json:"fields"`
	Reason  string            `json:"reason"`
	Changes map[string]string `json:",rest"`
}

func (Corrected) Kind() incident.EntryKind { return incident.EntryCorrected }
func (e Corrected) Text(l i18n.Lang) string {
	d := e.Changes
	if l != i18n.EN {
		all := map[string]string{"fields": e.Fields}
		for k, v := range d {
			all[k] = v
		}
		return i18n.T(l, "timeline.corrected", report.CorrectionText(all), e.Reason)
	}
	var parts []string
	for _, f := range strings.Split(e.Fields, ",") {
		from, to := d[f+".from"], d[f+".to"]
		switch f {
		case "discovered_at":
			continue
		case "category":
			from, to = d["category.from_name"], d["category.to_name"]
		case "level":
			to += " (" + i18n.T(l, "correct."+d["level.direction"]) + ")"
		}
		parts = append(parts, i18n.T(l, "correct.field."+f)+" “"+from+"” → “"+to+"”")
	}
	if strings.Contains(e.Fields, "discovered_at") {
		parts = append(parts, i18n.T(l, "correct.field.discovered_at"))
	}
	return i18n.T(l, "timeline.corrected", strings.Join(parts, "; "), e.Reason)
}

// Instructed: a leader's instruction (批示) to named people.
type Instructed struct {
	Body          string   `json:"text"`
	To            []string `json:"to"` // the addressees: departments and people
	InstructionID string   `json:"instruction"`
}

func (Instructed) Kind() incident.EntryKind { return incident.EntryInstructed }
func (e Instructed) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.instructed", e.Body, list(l, e.To))
}

// InstructionAcked: an addressee read the instruction.
type InstructionAcked struct {
	Body          string `json:"text"`
	InstructionID string `json:"instruction"`
}

func (InstructionAcked) Kind() incident.EntryKind { return incident.EntryInstructionAcked }
func (e InstructionAcked) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.instruction_acked", e.Body)
}

// InstructionDone: what was done on the instruction (落实情况).
type InstructionDone struct {
	Body          string `json:"text"`
	InstructionID string `json:"instruction"`
	Result        string `json:"result"`
}

func (InstructionDone) Kind() incident.EntryKind { return incident.EntryInstructionDone }
func (e InstructionDone) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.instruction_done", e.Body, e.Result)
}

// LateRegistration: the incident was registered after its 首报 window.
// DiscoveredAt is the discovery time on the plan's wall clock (WallClock);
// rows before it hold Discovered, the time written out in Chinese. The
// durations are whole seconds.
type LateRegistration struct {
	DiscoveredAt string `json:"discovered_at,omitempty"`
	Discovered   string `json:"discovered,omitempty"`
	DelayS       string `json:"delay_s"`
	WindowS      string `json:"window_s"`
}

func (LateRegistration) Kind() incident.EntryKind { return report.EntryLateRegistration }
func (e LateRegistration) Text(l i18n.Lang) string {
	secs := func(v string) time.Duration {
		n, _ := strconv.ParseInt(v, 10, 64)
		return time.Duration(n) * time.Second
	}
	return i18n.T(l, "timeline.late_registration", wallClock(l, e.DiscoveredAt, e.Discovered), i18n.Duration(l, secs(e.DelayS)), i18n.Duration(l, secs(e.WindowS)))
}

// WallClock is the layout of a time stored as the plan's wall clock
// (Asia/Shanghai for the shipped plans): language-neutral, shown as read.
const WallClock = "2006-01-02 15:04"

// wallClock shows a stored wall-clock time: 2026年3月1日8时05分 in Chinese,
// as stored in English; written is the Chinese form rows before WallClock
// hold.
func wallClock(l i18n.Lang, v, written string) string {
	if v == "" {
		return written
	}
	t, err := time.Parse(WallClock, v)
	if err != nil || l == i18n.EN {
		return v
	}
	return report.ChineseTime(t)
}
