package event

import (
	"yingji/internal/i18n"
	"yingji/internal/incident"
)

// The evidence register's kinds (issue 13).
const (
	KindEvidenceRegistered incident.EntryKind = "evidence_registered"
	KindEvidenceCustody    incident.EntryKind = "evidence_custody"
)

// EvidenceRegistered: an exhibit registered.
type EvidenceRegistered struct {
	Number      string `json:"number"`
	ExhibitKind string `json:"kind"` // evidence.kind.<kind> in the catalogue
	Description string `json:"description"`
}

func (EvidenceRegistered) Kind() incident.EntryKind { return KindEvidenceRegistered }
func (e EvidenceRegistered) Text(l i18n.Lang) string {
	return i18n.T(l, "timeline.evidence_registered", e.Number, i18n.T(l, "evidence.kind."+e.ExhibitKind), e.Description)
}

// EvidenceCustody: a step in an exhibit's chain of custody. The first of
// To, Seal, Reason that is set is shown.
type EvidenceCustody struct {
	Number string `json:"number"`
	Action string `json:"action"` // evidence.action.<action> in the catalogue
	Reason string `json:"reason"`
	To     string `json:"to"`
	Seal   string `json:"seal"`
}

func (EvidenceCustody) Kind() incident.EntryKind { return KindEvidenceCustody }
func (e EvidenceCustody) Text(l i18n.Lang) string {
	extra := ""
	open, close := "（", "）"
	if l == i18n.EN {
		open, close = " (", ")"
	}
	for _, v := range []string{e.To, e.Seal, e.Reason} {
		if v != "" {
			extra = open + v + close
			break
		}
	}
	return i18n.T(l, "timeline.evidence_custody", e.Number, i18n.T(l, "evidence.action."+e.Action), extra)
}
