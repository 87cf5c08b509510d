package reports

import (
	"yingji/internal/evidence"
	"yingji/internal/report"
	"yingji/internal/store"
)

// evidenceLines reads the incident's evidence register for a draft
// (issue 13); a withdrawn item is no evidence and is left out.
func evidenceLines(q *store.Q, incidentID int64) ([]report.EvidenceLine, error) {
	items, err := q.EvidenceItems(incidentID)
	if err != nil {
		return nil, err
	}
	var out []report.EvidenceLine
	for _, it := range items {
		if it.Status == evidence.Withdrawn {
			continue
		}
		l := report.EvidenceLine{Number: it.Number, Description: it.Description, SealNumber: it.SealNumber, CollectedBy: it.CollectedBy}
		if len(it.Files) > 0 {
			l.SHA256 = it.Files[0].SHA256
		}
		out = append(out, l)
	}
	return out, nil
}
