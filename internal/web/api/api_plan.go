package api

import (
	"net/http"
	"time"

	"yingji/internal/plan"
	"yingji/internal/user"
)

// planRuleJSON is who decides: roles in scope "parent" (a superior
// organisation approves) or "same" (the leading group decides, inform told).
type planRuleJSON struct {
	Name   string   `json:"name"`
	Roles  []string `json:"roles"`
	Scope  string   `json:"scope"`
	Inform []string `json:"inform"`
}

type planTaskJSON struct {
	Key            string `json:"key"`
	Title          string `json:"title"`
	Description    string `json:"description"`
	Department     string `json:"department"`
	DepartmentName string `json:"department_name"`
	// DueMinutes is the time allowed after activation; 0: none.
	DueMinutes int64 `json:"due_minutes"`
}

type planPhaseJSON struct {
	Key         string         `json:"key"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Tasks       []planTaskJSON `json:"tasks"`
}

type planCategoryJSON struct {
	Key         string          `json:"key"`
	Name        string          `json:"name"`
	Scope       string          `json:"scope"`
	GBClass     string          `json:"gb_class"`
	GBClassName string          `json:"gb_class_name"`
	DailyReport bool            `json:"daily_report"`
	Activation  planRuleJSON    `json:"activation"`
	Phases      []planPhaseJSON `json:"phases"`
}

func rule(r plan.ApprovalRule) planRuleJSON {
	return planRuleJSON{Name: r.Name, Roles: append([]string{}, r.Roles...), Scope: r.Scope, Inform: append([]string{}, r.Inform...)}
}

func minutesOf(d time.Duration) int64 { return int64(d / time.Minute) }

// apiPlan returns one plan version (the newest without {version}) with
// what a client needs to register an incident under it.
func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request, u *user.User) error {
	p, row, err := s.App.Plans.PlanVersion(r.Context(), u, r.PathValue("key"), r.PathValue("version"))
	if err != nil {
		return err
	}
	cats := make([]planCategoryJSON, 0, len(p.Categories))
	for _, c := range p.Categories {
		cj := planCategoryJSON{Key: c.Key, Name: c.Name, Scope: c.Scope, GBClass: c.GBClass, GBClassName: plan.GBClassName(c.GBClass),
			DailyReport: c.DailyReport, Activation: rule(p.ActivationRule(c.Key)), Phases: []planPhaseJSON{}}
		for _, ph := range c.Phases {
			pj := planPhaseJSON{Key: ph.Key, Name: ph.Name, Description: ph.Description, Tasks: []planTaskJSON{}}
			for _, t := range ph.Tasks {
				pj.Tasks = append(pj.Tasks, planTaskJSON{Key: t.Key, Title: t.Title, Description: t.Description, Department: t.Department,
					DepartmentName: deptDisplay(p, t.Department), DueMinutes: minutesOf(t.Due)})
			}
			cj.Phases = append(cj.Phases, pj)
		}
		cats = append(cats, cj)
	}
	depts := make([]map[string]any, 0, len(p.Departments))
	for _, d := range p.Departments {
		depts = append(depts, map[string]any{"key": d.Key, "name": d.Name, "short_name": d.ShortName, "office": d.Office})
	}
	recips := make([]map[string]string, 0, len(p.Reports.Recipients))
	for _, rc := range p.Reports.Recipients {
		recips = append(recips, map[string]string{"key": rc.Key, "name": rc.Name})
	}
	reminders := convert(p.Reports.Daily.Reminders, minutesOf)
	tz := p.TimeZone
	if tz == "" {
		tz = plan.DefaultTimeZone
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": row.ID, "key": p.Key, "version": p.Version, "title": p.Title, "org": p.Org, "time_zone": tz, "sha256": row.SHA256,
		"departments": depts,
		"approvals":   map[string]planRuleJSON{"activation": rule(p.Approvals.Activation), "termination": rule(p.Approvals.Termination)},
		"reports": map[string]any{
			"daily": map[string]any{"at": p.Reports.Daily.At, "min_lead_minutes": minutesOf(p.Reports.Daily.MinLead),
				"recipients": nonNil(p.Reports.Daily.Recipients), "reminder_minutes": reminders},
			"summary":    map[string]any{"within_minutes": minutesOf(p.Reports.Summary.Within), "recipients": nonNil(p.Reports.Summary.Recipients)},
			"recipients": recips,
		},
		"categories": cats,
	})
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// deptDisplay is a department's full name, or its key when the plan lacks it.
func deptDisplay(p *plan.Plan, key string) string {
	for _, d := range p.Departments {
		if d.Key == key {
			return d.Name
		}
	}
	return key
}
