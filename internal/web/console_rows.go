package web

import (
	"strconv"
	"strings"
	"time"

	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/service"
	"yingji/internal/user"
)

// View models for the long lists (the command post's incidents, an
// incident's tasks and timeline). Their text is worked out here once per
// row, so that the templates only print fields: a page with a thousand rows
// stays fast.

// lv is a level badge: colour word and numeral as text, never colour alone.
type lv struct {
	N          int
	Text, Name string
}

func levelBadge(l i18n.Lang, level incident.Level) lv {
	return lv{N: int(level), Text: i18n.T(l, "color."+level.Color()) + " " + level.Roman(), Name: i18n.T(l, "level."+strconv.Itoa(int(level)))}
}

// dashRow is one open incident on the command post.
type dashRow struct {
	ID                                        int64
	URL, Number, Title, Sub, Status           string
	Lv                                        lv
	Open                                      int
	OverdueTasks                              string
	DeadlineKind, DeadlineText, DeadlineClass string
	Overdue                                   bool
}

func dashRows(l i18n.Lang, loc *time.Location, list []*service.DashIncident) []dashRow {
	badges := map[incident.Level]lv{}
	out := make([]dashRow, len(list))
	for i, d := range list {
		b, ok := badges[d.Level]
		if !ok {
			b = levelBadge(l, d.Level)
			badges[d.Level] = b
		}
		r := dashRow{ID: d.ID, URL: incidentURL(d.ID), Number: d.Number, Title: d.Title, Sub: d.Category + " · " + d.OrgName,
			Status: i18n.T(l, "status."+string(d.Status)), Lv: b, Open: d.Tasks.Open, Overdue: d.Overdue}
		if d.Tasks.Overdue > 0 {
			r.OverdueTasks = i18n.T(l, "overdue_n", d.Tasks.Overdue)
		}
		if n := d.Next; n != nil {
			r.DeadlineKind = i18n.T(l, "deadline."+n.Kind)
			r.DeadlineText = timeIn(l, loc, n.Due) + " · " + i18n.T(l, "state."+string(n.State))
			r.DeadlineClass = stateClass(string(n.State))
		}
		out[i] = r
	}
	return out
}

func stateClass(state string) string {
	switch state {
	case "overdue", "missed":
		return "bad"
	case "due_soon":
		return "warn"
	}
	return ""
}

// phaseGroup is one phase of the plan with the incident's tasks in it.
type phaseGroup struct {
	Key, Name string
	Tasks     []*taskView
}

type taskView struct {
	*incident.Task
	URL        string // the task's own page (note, blocked, assignment)
	StatusText string
	Meta       string // department, assignee, due
	NoteText   string
	Department string
	Assignee   string
	Overdue    bool
	CanEdit    bool
	Moves      []taskMove
}

type taskMove struct{ To, Label string }

var moveLabels = map[incident.TaskStatus]map[incident.TaskStatus]string{
	incident.TaskTodo:    {incident.TaskDoing: "task.start", incident.TaskDone: "task.finish", incident.TaskBlocked: "task.block"},
	incident.TaskDoing:   {incident.TaskDone: "task.finish", incident.TaskBlocked: "task.block", incident.TaskTodo: "task.back_todo"},
	incident.TaskBlocked: {incident.TaskDoing: "task.start", incident.TaskDone: "task.finish"},
	incident.TaskDone:    {incident.TaskDoing: "task.reopen"},
}

var moveOrder = []incident.TaskStatus{incident.TaskDoing, incident.TaskDone, incident.TaskBlocked, incident.TaskTodo}

func newTaskView(l i18n.Lang, loc *time.Location, now time.Time, pg *service.IncidentPage, u *user.User, t *incident.Task) *taskView {
	tv := &taskView{Task: t, URL: incidentURL(t.IncidentID) + "/tasks/" + itoa64(t.ID), Department: t.Department,
		Assignee: pg.Names[t.AssigneeID], CanEdit: service.MayEditTask(u, pg.View, t), Overdue: t.Overdue(now),
		StatusText: i18n.T(l, "task."+string(t.Status))}
	if d := pg.Plan.Department(t.Department); d != nil {
		tv.Department = d.Name
	}
	sep := " · "
	meta := []string{i18n.T(l, "col.department") + "：" + tv.Department}
	if tv.Assignee != "" {
		meta = append(meta, i18n.T(l, "col.assignee")+"："+tv.Assignee)
	}
	if t.DueAt != nil {
		meta = append(meta, i18n.T(l, "col.due")+"："+timeIn(l, loc, *t.DueAt))
	}
	tv.Meta = strings.Join(meta, sep)
	if t.Note != "" {
		tv.NoteText = i18n.T(l, "task.note", t.Note)
	}
	for _, to := range moveOrder {
		if key, ok := moveLabels[t.Status][to]; ok && incident.CanMoveTask(t.Status, to) {
			tv.Moves = append(tv.Moves, taskMove{To: string(to), Label: i18n.T(l, key)})
		}
	}
	return tv
}

// groupTasks arranges tasks by the phases of the plan, in plan order, and
// works out the phase the incident is in: the first with work left.
func groupTasks(l i18n.Lang, loc *time.Location, now time.Time, pg *service.IncidentPage, u *user.User) ([]*phaseGroup, string) {
	var groups []*phaseGroup
	byKey := map[string]*phaseGroup{}
	if pg.Category != nil {
		for _, ph := range pg.Category.Phases {
			g := &phaseGroup{Key: ph.Key, Name: ph.Name}
			groups = append(groups, g)
			byKey[ph.Key] = g
		}
	}
	for _, t := range pg.Tasks {
		g := byKey[t.Phase]
		if g == nil {
			g = &phaseGroup{Key: t.Phase, Name: t.Phase}
			groups, byKey[t.Phase] = append(groups, g), g
		}
		g.Tasks = append(g.Tasks, newTaskView(l, loc, now, pg, u, t))
	}
	var shown []*phaseGroup
	current := ""
	for _, g := range groups {
		if len(g.Tasks) == 0 {
			continue
		}
		shown = append(shown, g)
		for _, t := range g.Tasks {
			if current == "" && t.Status != incident.TaskDone {
				current = g.Name
			}
		}
	}
	switch {
	case len(pg.Tasks) == 0:
		current = i18n.T(l, "inc.phase_none")
	case current == "":
		current = i18n.T(l, "inc.phase_done")
	}
	return shown, current
}

// entryView is one timeline line.
type entryView struct {
	ISO, When, Actor, Text string
}

func entryViews(l i18n.Lang, loc *time.Location, list []*incident.Entry) []entryView {
	out := make([]entryView, len(list))
	for i, e := range list {
		out[i] = entryView{ISO: e.At.UTC().Format(time.RFC3339), When: timeIn(l, loc, e.At), Actor: e.Actor, Text: EntryText(l, e)}
	}
	return out
}
