package reports

import (
	"strings"

	"yingji/internal/report"
	"yingji/internal/store"
)

// BulletinLines answers what 通报 an incident sent to units and how many
// confirmed (issue 14); internal/app wires the bulletins use cases.
type BulletinLines interface {
	DraftLines(q *store.Q, incidentID int64) ([]string, error)
}

// addBulletinLines adds the 通报 sentences to a daily report's or a
// summary's 已报告的领导和单位.
func (s *Service) addBulletinLines(q *store.Q, kind string, incidentID int64, f *report.Fields) error {
	if s.Bulletins == nil || (kind != report.Daily && kind != report.Summary) {
		return nil
	}
	lines, err := s.Bulletins.DraftLines(q, incidentID)
	if err != nil || len(lines) == 0 {
		return err
	}
	f.Informed = strings.TrimSpace(f.Informed + "\n" + strings.Join(lines, "\n"))
	return nil
}
