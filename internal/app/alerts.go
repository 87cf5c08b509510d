package app

import (
	"time"

	"yingji/internal/store"
)

// alertDuty is alerts.Duty, answered by the rota: who is on duty to page,
// and whether a sensitive period raises priority.
type alertDuty struct{ a *App }

func (d alertDuty) OnDuty(q *store.Q, orgID int64, at time.Time) (int64, []int64, error) {
	return d.a.Rota.OnDuty(q, orgID, at)
}

func (d alertDuty) InPeriod(q *store.Q, orgID int64, at time.Time) (bool, error) {
	return d.a.Rota.InPeriod(q, orgID, at)
}
