package report

import (
	"strings"

	"yingji/internal/incident"
)

// Timeline kinds other use cases write that a report states in its 经过.
// They are declared here, as EntryLateRegistration is, because the event
// package that writes them imports this one.
const (
	// The city was told that the county's leading group activated the plan
	// (categories (2) and (3): 领导小组决定, 报告市局).
	EntrySuperiorInformed incident.EntryKind = "superior_informed"
	// A superior assigned the incident (category (5): 上级交办).
	EntryAssigned incident.EntryKind = "assigned"
	// A monitoring alert came onto the incident, and its source later said
	// it was over or firing again.
	EntryAlertAttached incident.EntryKind = "alert_attached"
	EntryAlertStatus   incident.EntryKind = "alert_status"
)

// How an alert came onto the incident (the alert_attached entry's "how").
const (
	AlertPromoted = "promoted" // the incident was registered from it
	AlertAttached = "attached" // attached to an incident already registered
	AlertRule     = "rule"     // the plan's alert rule registered the incident
)

// linkedText is the formal sentence for the kinds above, "" for any other.
// A rule's technical name is left out: the reader of a report wants what
// happened, not which rule matched.
func linkedText(e *incident.Entry) string {
	d := e.Data
	switch e.Kind {
	case EntrySuperiorInformed:
		if d["to"] == "" {
			return "领导小组决定启动预案"
		}
		return "领导小组决定启动预案，已报告" + strings.ReplaceAll(d["to"], "\n", "、")
	case EntryAssigned:
		return "（" + d["org"] + "）交办本事件，交办要求：" + strings.TrimSuffix(d["instructions"], "。")
	case EntryAlertAttached:
		alert := "监测告警“" + d["title"] + "”（累计" + d["count"] + "次）"
		switch d["how"] {
		case AlertPromoted:
			return "将" + alert + "转为本事件"
		case AlertRule:
			return alert + "触发预案告警规则，自动登记本事件"
		}
		return "将" + alert + "关联至本事件"
	case EntryAlertStatus:
		switch d["status"] {
		case "resolved":
			return "监测显示，关联告警“" + d["title"] + "”已恢复"
		case "firing":
			return "监测显示，关联告警“" + d["title"] + "”再次发生"
		}
	}
	return ""
}
