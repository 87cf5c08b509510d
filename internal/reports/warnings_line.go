package reports

import (
	"strconv"

	"yingji/internal/report"
	"yingji/internal/store"
	"yingji/internal/warning"
)

// warningsLine adds to a daily report's or summary's measures what public
// warnings (预警信息, issue 14) the incident released: how many, updated,
// cancelled. Nothing when none was released.
func warningsLine(q *store.Q, incidentID int64, f *report.Fields) error {
	n, err := q.WarningCounts(incidentID)
	if err != nil || n[warning.Alert]+n[warning.Update]+n[warning.Cancel] == 0 {
		return err
	}
	line := "向社会发布预警信息" + strconv.Itoa(n[warning.Alert]) + "条"
	if n[warning.Update] > 0 {
		line += "，更新" + strconv.Itoa(n[warning.Update]) + "次"
	}
	if n[warning.Cancel] > 0 {
		line += "，解除" + strconv.Itoa(n[warning.Cancel]) + "条"
	}
	f.Measures += "\n" + line + "。"
	return nil
}
