package event

import (
	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// The report flow's kinds.
const (
	KindReportDrafted          incident.EntryKind = "report_drafted"
	KindReportEdited           incident.EntryKind = "report_edited"
	KindReportSignoffRequested incident.EntryKind = "report_signoff_requested"
	KindReportSigned           incident.EntryKind = "report_signed"
	KindReportSubmitted        incident.EntryKind = "report_submitted"
	KindReportCorrected        incident.EntryKind = "report_corrected"
	KindReportReminder         incident.EntryKind = "report_reminder"
	KindReportOverdue          incident.EntryKind = "report_overdue"
)

// ReportRef names the report version an entry is about.
type ReportRef struct {
	ReportID   string `json:"report_id"`
	ReportKind string `json:"kind"`
	Title      string `json:"title"`
	Version    string `json:"version"`
}

// ReportDrafted: a report drafted (Sources: how many entries it was
// drafted from; absent for the summary).
type ReportDrafted struct {
	ReportRef
	Sources string `json:"sources,omitempty"`
}

// ReportEdited: a draft edited (Fields: the fields changed, comma-separated).
type ReportEdited struct {
	ReportRef
	Fields string `json:"fields"`
}

// ReportSignoffRequested: a report sent for sign-off (签发).
type ReportSignoffRequested struct{ ReportRef }

// ReportSigned: a report signed, with its document number.
type ReportSigned struct {
	ReportRef
	DocNumber string `json:"doc_number"`
	SHA256    string `json:"sha256"`
}

// ReportSubmitted: a report submitted to its recipients.
type ReportSubmitted struct {
	ReportRef
	SHA256     string   `json:"sha256"`
	Recipients []string `json:"recipients"`
}

// ReportCorrected: a correction of a submitted report started.
type ReportCorrected struct {
	ReportRef
	Supersedes string `json:"supersedes"` // the corrected version's id
}

// SummaryFiled: the summary submitted; the incident closed.
type SummaryFiled struct {
	ReportRef
	SHA256 string `json:"sha256"`
}

func (ReportDrafted) Kind() incident.EntryKind          { return KindReportDrafted }
func (ReportEdited) Kind() incident.EntryKind           { return KindReportEdited }
func (ReportSignoffRequested) Kind() incident.EntryKind { return KindReportSignoffRequested }
func (ReportSigned) Kind() incident.EntryKind           { return KindReportSigned }
func (ReportSubmitted) Kind() incident.EntryKind        { return KindReportSubmitted }
func (ReportCorrected) Kind() incident.EntryKind        { return KindReportCorrected }
func (SummaryFiled) Kind() incident.EntryKind           { return incident.EntrySummaryFiled }

func (e ReportDrafted) Text(l i18n.Lang) string { return i18n.T(l, "timeline.report_drafted", e.Title) }
func (e ReportEdited) Text(l i18n.Lang) string  { return i18n.T(l, "timeline.report_edited", e.Title) }
func (e ReportSignoffRequested) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.report_signoff_requested", e.Title)
}
func (e ReportSigned) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.report_signed", e.Title, e.DocNumber)
}
func (e ReportSubmitted) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.report_submitted", e.Title, list(l, e.Recipients))
}
func (e ReportCorrected) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.report_corrected", e.Title, e.Version)
}
func (e SummaryFiled) Text(l i18n.Lang) string { return i18n.T(l, "timeline.summary_filed", e.Title) }

// deadlineNotice is the scheduler's word on a report obligation: its
// deadline near (reminder) or passed (overdue).
type deadlineNotice struct {
	Obligation string `json:"obligation"` // deadline.<obligation> in the catalogue
	// DueAt is the deadline on the plan's wall clock (WallClock); rows
	// before it hold Due, written out in Chinese.
	DueAt      string `json:"due_at,omitempty"`
	Due        string `json:"due,omitempty"`
	Stage      string `json:"stage"`
	Minutes    string `json:"minutes"`    // before the deadline
	Recipients string `json:"recipients"` // how many were told
}

type (
	ReportReminder deadlineNotice
	ReportOverdue  deadlineNotice
)

func (ReportReminder) Kind() incident.EntryKind { return KindReportReminder }
func (ReportOverdue) Kind() incident.EntryKind  { return KindReportOverdue }
func (e ReportReminder) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.report_reminder", i18n.T(l, "deadline."+e.Obligation), wallClock(l, e.DueAt, e.Due), e.Minutes)
}
func (e ReportOverdue) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.report_overdue", i18n.T(l, "deadline."+e.Obligation), wallClock(l, e.DueAt, e.Due))
}

// Resources: people and equipment attached to the incident.
type ResourceAdded struct {
	ResourceKind string `json:"kind"` // resource.kind.<kind> in the catalogue
	Name         string `json:"name"`
	Detail       string `json:"detail"`
	Note         string `json:"note"`
}

// ResourceRemoved: a resource taken off the incident.
type ResourceRemoved struct {
	ResourceKind string `json:"kind"`
	Name         string `json:"name"`
}

// ResourceReturned: a piece of equipment given back.
type ResourceReturned ResourceRemoved

func (ResourceAdded) Kind() incident.EntryKind    { return incident.EntryResourceAdded }
func (ResourceRemoved) Kind() incident.EntryKind  { return incident.EntryResourceRemoved }
func (ResourceReturned) Kind() incident.EntryKind { return incident.EntryResourceReturned }
func (e ResourceAdded) Text(l i18n.Lang) string {
	extra := ""
	if e.Detail != "" {
		extra = "（" + e.Detail + "）"
		if l == i18n.EN {
			extra = " (" + e.Detail + ")"
		}
	}
	return i18n.T(l, "timeline.resource_added", i18n.T(l, "resource.kind."+e.ResourceKind), e.Name, extra)
}
func (e ResourceRemoved) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.resource_removed", i18n.T(l, "resource.kind."+e.ResourceKind), e.Name)
}
func (e ResourceReturned) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.resource_returned", e.Name)
}
