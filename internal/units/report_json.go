package units

import "yingji/internal/i18n"

type importRowJSON struct {
	Sheet      string        `json:"sheet"`
	Line       int           `json:"line"`
	Status     string        `json:"status"`
	StatusName string        `json:"status_name"`
	Key        string        `json:"key"`
	Name       string        `json:"name"`
	Problems   []problemJSON `json:"problems,omitempty"`
}

type problemJSON struct {
	Column string `json:"column"`
	Key    string `json:"message_key"`
	Text   string `json:"message"`
}

// ImportReportJSON renders an import report (also used by the CLI's --json).
func ImportReportJSON(rep *ImportReport, l i18n.Lang) map[string]any {
	rows := make([]importRowJSON, 0, len(rep.Rows))
	for _, r := range rep.Rows {
		row := importRowJSON{Sheet: r.Sheet, Line: r.Line, Status: r.Status, StatusName: i18n.T(l, "registry.row."+r.Status), Key: r.Key, Name: r.Name}
		for _, p := range r.Problems {
			row.Problems = append(row.Problems, problemJSON{Column: p.Field, Key: p.Key, Text: i18n.T(l, p.Key, p.Args...)})
		}
		rows = append(rows, row)
	}
	return map[string]any{"written": rep.Written, "new": rep.New, "changed": rep.Changed, "unchanged": rep.Unchanged, "wrong": rep.Wrong, "rows": rows}
}
