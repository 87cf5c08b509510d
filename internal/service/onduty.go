package service

// Restructure (issue 8), helper B: activation (internal/incidents) asks the
// roster who is on duty through incidents.Duty; this answers it until the
// rota moves out of this package (then rota.Service answers it).

import (
	"time"

	"yingji/internal/store"
)

// OnDuty is the leader and officers of orgID's shift covering at, read in
// q's transaction; 0 and nil when nobody is on duty.
func (s *Service) OnDuty(q *store.Q, orgID int64, at time.Time) (int64, []int64, error) {
	sh, err := q.ShiftAt(orgID, at)
	if err != nil || sh == nil {
		return 0, nil, err
	}
	return sh.LeaderID, sh.OfficerIDs, nil
}
