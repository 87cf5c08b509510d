package event

import (
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/report"
)

// Public warnings' kinds (issue 14).
const (
	KindWarningDrafted  incident.EntryKind = "warning_drafted"
	KindWarningApproved incident.EntryKind = "warning_approved"
	KindWarningReleased incident.EntryKind = "warning_released"
)

// Warning names a public warning: its id, type (alert, update, cancel),
// level (red … blue) and headline.
type Warning struct {
	WarningID string `json:"warning"`
	Type      string `json:"type"`
	Level     string `json:"level"`
	Headline  string `json:"headline"`
}

func (w Warning) args(l i18n.Lang) (string, string, string) {
	return i18n.T(l, "warn.type."+w.Type), i18n.T(l, "warn.level."+w.Level), w.Headline
}

// WarningDrafted: a warning drafted for approval.
type WarningDrafted struct{ Warning }

// WarningApproved: a warning approved, with the approver's note.
type WarningApproved struct {
	Warning
	Note string `json:"note,omitempty"`
}

// WarningReleased: a warning (or its update or cancellation) released.
type WarningReleased struct{ Warning }

func (WarningDrafted) Kind() incident.EntryKind  { return KindWarningDrafted }
func (WarningApproved) Kind() incident.EntryKind { return KindWarningApproved }
func (WarningReleased) Kind() incident.EntryKind { return KindWarningReleased }
func (e WarningDrafted) Text(l i18n.Lang) string {
	a, b, c := e.args(l)
	return i18n.T(l, "timeline.warning_drafted", a, b, c)
}
func (e WarningApproved) Text(l i18n.Lang) string {
	a, b, c := e.args(l)
	t := i18n.T(l, "timeline.warning_approved", a, b, c)
	if e.Note != "" {
		t += i18n.T(l, "timeline.warning_note", e.Note)
	}
	return t
}
func (e WarningReleased) Text(l i18n.Lang) string {
	a, b, c := e.args(l)
	return i18n.T(l, "timeline.warning_released", a, b, c)
}

// KindAlert is issue 12's alert entry (a report states it: report declares it).
const KindAlert = report.EntryAlertAttached

// How an alert came onto the incident (AlertAttached.How).
const (
	HowPromoted = report.AlertPromoted
	HowAttached = report.AlertAttached
	HowRule     = report.AlertRule
)

// AlertAttached: an alert attached to the incident, promoted into it or
// registered by the plan's alert rule.
type AlertAttached struct {
	AlertID string `json:"alert"`
	Title   string `json:"title"`
	Rule    string `json:"rule"`
	Count   string `json:"count"`
	How     string `json:"how"`
}

func (AlertAttached) Kind() incident.EntryKind { return KindAlert }
func (e AlertAttached) Text(l i18n.Lang) string {
	key := "timeline.alert_attached"
	switch e.How {
	case HowPromoted:
		key = "timeline.alert_promoted"
	case HowRule:
		key = "timeline.alert_rule"
	}
	return i18n.T(l, key, e.Title, e.Rule, e.Count)
}

// KindAlertStatus is a linked alert's source saying it is over, or firing
// again (migration 025).
const KindAlertStatus = report.EntryAlertStatus

// AlertStatusChanged: the source of an alert linked to the incident now
// says Status (signal's "resolved" or "firing"); the alert handler noticed
// the change and the system wrote it.
type AlertStatusChanged struct {
	AlertID string `json:"alert"`
	Title   string `json:"title"`
	Status  string `json:"status"`
}

func (AlertStatusChanged) Kind() incident.EntryKind { return KindAlertStatus }
func (e AlertStatusChanged) Text(l i18n.Lang) string {
	switch e.Status {
	case "resolved":
		return i18n.T(l, "timeline.alert_resolved", e.Title)
	case "firing":
		return i18n.T(l, "timeline.alert_firing", e.Title)
	}
	return i18n.T(l, "timeline.alert_status", e.Title, e.Status)
}

// The 通报's kinds (issue 14).
const (
	KindBulletinDrafted  incident.EntryKind = "bulletin_drafted"
	KindBulletinSigned   incident.EntryKind = "bulletin_signed"
	KindBulletinSent     incident.EntryKind = "bulletin_sent"
	KindBulletinReceived incident.EntryKind = "bulletin_received"
	KindBulletinAnswered incident.EntryKind = "bulletin_answered"
	KindBulletinReminded incident.EntryKind = "bulletin_reminded"
)

// Bulletin names the 通报 an entry is about.
type Bulletin struct {
	Title      string `json:"title"`
	BulletinID string `json:"bulletin_id"`
}

// BulletinDrafted: a 通报 drafted.
type BulletinDrafted struct{ Bulletin }

// BulletinSigned: a 通报 signed.
type BulletinSigned struct {
	Bulletin
	DocNumber string `json:"doc_number"`
	Signer    string `json:"signer"`
}

// BulletinSent: a 通报 sent to units (counts).
type BulletinSent struct {
	Bulletin
	Units     string `json:"units"`
	Addresses string `json:"addresses"`
	DocNumber string `json:"doc_number"`
}

// BulletinReceived: a unit confirmed receipt.
type BulletinReceived struct {
	Bulletin
	Unit string `json:"unit"`
}

// BulletinAnswered: a unit answered (bl.answer.<answer>).
type BulletinAnswered struct {
	Bulletin
	Unit   string `json:"unit"`
	Answer string `json:"answer"`
}

// BulletinReminded: units past the deadline reminded (a count).
type BulletinReminded struct {
	Bulletin
	Units string `json:"units"`
}

func (BulletinDrafted) Kind() incident.EntryKind  { return KindBulletinDrafted }
func (BulletinSigned) Kind() incident.EntryKind   { return KindBulletinSigned }
func (BulletinSent) Kind() incident.EntryKind     { return KindBulletinSent }
func (BulletinReceived) Kind() incident.EntryKind { return KindBulletinReceived }
func (BulletinAnswered) Kind() incident.EntryKind { return KindBulletinAnswered }
func (BulletinReminded) Kind() incident.EntryKind { return KindBulletinReminded }
func (e BulletinDrafted) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.bulletin_drafted", e.Title)
}
func (e BulletinSigned) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.bulletin_signed", e.Title, e.DocNumber)
}
func (e BulletinSent) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.bulletin_sent", e.Title, e.Units, e.Addresses)
}
func (e BulletinReceived) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.bulletin_received", e.Title, e.Unit)
}
func (e BulletinAnswered) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.bulletin_answered", e.Title, e.Unit, i18n.T(l, "bl.answer."+e.Answer))
}
func (e BulletinReminded) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.bulletin_reminded", e.Title, e.Units)
}
