package console

import (
	"html/template"
	"strconv"
	"strings"
	"time"
	"yingji/internal/rollcall"

	"yingji/internal/dashboard"
	"yingji/internal/i18n"
	"yingji/internal/incident"
	"yingji/internal/user"
	"yingji/internal/web/timeline"
)

// View models for the long lists (the command post's incidents, an
// incident's tasks and timeline). html/template escapes each value through a
// reflective call, which for a page of hundreds of rows costs more than the
// database: these rows are therefore written here, once per row, with every
// value escaped by esc, and reach the templates as template.HTML. The rest of
// the markup stays in the templates.

// html builds trusted markup; esc is the only way values get in.
type html struct{ strings.Builder }

func (b *html) raw(parts ...string) {
	for _, p := range parts {
		b.WriteString(p)
	}
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func (b *html) safe() template.HTML { return template.HTML(b.String()) }

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

func dashRows(l i18n.Lang, loc *time.Location, list []*dashboard.DashIncident) []dashRow {
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

// dashBody renders the command post's table rows.
func dashBody(rows []dashRow, lbl map[string]string) template.HTML {
	var b html
	b.Grow(len(rows) * 700)
	for _, r := range rows {
		b.raw("<tr")
		if r.Overdue {
			b.raw(` class="overdue"`)
		}
		b.raw(`><td><span class="lv lv`, strconv.Itoa(r.Lv.N), `" title="`, esc(r.Lv.Name), `">`, esc(r.Lv.Text),
			`<span class="sr-only"> `, esc(r.Lv.Name), `</span></span></td><td class="nowrap"><a href="`, esc(r.URL), `">`, esc(r.Number),
			`</a></td><td>`, esc(r.Title), `<br><span class="muted small">`, esc(r.Sub), `</span></td><td data-label="`, esc(lbl["Status"]), `">`,
			esc(r.Status), `</td><td data-label="`, esc(lbl["Tasks"]), `">`, strconv.Itoa(r.Open))
		if r.OverdueTasks != "" {
			b.raw(` <strong class="bad">`, esc(r.OverdueTasks), `</strong>`)
		}
		b.raw(`</td><td data-label="`, esc(lbl["Deadline"]), `">`)
		if r.DeadlineKind != "" {
			b.raw(`<a href="`, esc(r.URL), `#reports">`, esc(r.DeadlineKind), `</a><br><span class="`, r.DeadlineClass, `">`, esc(r.DeadlineText), `</span>`)
		}
		b.raw("</td></tr>\n")
	}
	return b.safe()
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
	HTML       template.HTML // the task's list item on the incident page
	// Issue 10: the roll-call on 通知领导小组成员到位 — who confirmed, who
	// has not (RollText on the incident page, Roll on the task's page).
	Roll     *rollcall.Summary
	RollText string
	// Issue 11: 不适用 with its reason; a gated task's rule and approval; what
	// the service says this user may do to it.
	NAText        string
	Gate          string // "须报经分管领导批准", "" when not gated
	ApprovalText  string // the approval's state, reason and opinion
	CanNA         bool
	CanRequest    bool
	CanDecide     bool
	AfterTermText string
}

// itemHTML renders the task as a list item of the incident page: its state
// and, for those who may, the one-click moves; the rest is on its own page.
func (tv *taskView) itemHTML(csrf, overdue, more string) template.HTML {
	var b html
	b.Grow(1200)
	b.raw(`<li class="task card`)
	if tv.Overdue {
		b.raw(" overdue")
	}
	st := esc(string(tv.Status))
	b.raw(`" id="task-`, strconv.FormatInt(tv.ID, 10), `" data-task-status="`, st, `"><div class="task-head"><strong>`, esc(tv.Title),
		`</strong> <span class="ts ts-`, st, `">`, esc(tv.StatusText), `</span></div><p class="small muted">`, esc(tv.Meta))
	if tv.Overdue {
		b.raw(` <strong class="bad">`, esc(overdue), `</strong>`)
	}
	b.raw(`</p>`)
	if tv.NoteText != "" {
		b.raw(`<p class="small">`, esc(tv.NoteText), `</p>`)
	}
	if tv.RollText != "" { // issue 10
		b.raw(`<p class="small task-roll`)
		if len(tv.Roll.Missing) > 0 {
			b.raw(` bad`)
		}
		b.raw(`">`, esc(tv.RollText), `</p>`)
	}
	for _, line := range []string{tv.NAText, tv.Gate, tv.ApprovalText, tv.AfterTermText} {
		if line != "" {
			b.raw(`<p class="small task-gate">`, esc(line), `</p>`)
		}
	}
	if tv.CanEdit {
		b.raw(`<form method="post" action="`, esc(tv.URL), `" class="row moves noprint"><input type="hidden" name="csrf" value="`, esc(csrf), `">`)
		for _, m := range tv.Moves {
			if m.To == string(incident.TaskBlocked) {
				continue
			}
			b.raw(`<button type="submit" name="status" value="`, esc(m.To), `"`)
			if m.To == string(incident.TaskDone) {
				b.raw(` class="primary"`)
			}
			b.raw(`>`, esc(m.Label), `</button>`)
		}
		b.raw(`<a href="`, esc(tv.URL), `" class="more">`, esc(more), `</a></form>`)
	}
	b.raw("</li>\n")
	return b.safe()
}

type taskMove struct{ To, Label string }

var moveLabels = map[incident.TaskStatus]map[incident.TaskStatus]string{
	incident.TaskTodo:    {incident.TaskDoing: "task.start", incident.TaskDone: "task.finish", incident.TaskBlocked: "task.block"},
	incident.TaskDoing:   {incident.TaskDone: "task.finish", incident.TaskBlocked: "task.block", incident.TaskTodo: "task.back_todo"},
	incident.TaskBlocked: {incident.TaskDoing: "task.start", incident.TaskDone: "task.finish"},
	incident.TaskDone:    {incident.TaskDoing: "task.reopen"},
	incident.TaskNA:      {incident.TaskTodo: "task.reopen"},
}

var moveOrder = []incident.TaskStatus{incident.TaskDoing, incident.TaskDone, incident.TaskBlocked, incident.TaskTodo}

func newTaskView(l i18n.Lang, loc *time.Location, now time.Time, pg *dashboard.IncidentPage, u *user.User, t *incident.Task) *taskView {
	tv := &taskView{Task: t, URL: incidentURL(t.IncidentID) + "/tasks/" + itoa64(t.ID), Department: t.Department,
		Assignee: pg.Names[t.AssigneeID], CanEdit: dashboard.MayEditTask(u, pg.View, t), Overdue: t.Overdue(now),
		StatusText: i18n.T(l, "task."+string(t.Status))}
	if d := pg.Plan.Department(t.Department); d != nil {
		tv.Department = d.Name
	}
	sep := " · "
	colon := i18n.T(l, "sep.colon")
	meta := []string{i18n.T(l, "col.department") + colon + tv.Department}
	if tv.Assignee != "" {
		meta = append(meta, i18n.T(l, "col.assignee")+colon+tv.Assignee)
	}
	if t.DueAt != nil {
		meta = append(meta, i18n.T(l, "col.due")+colon+timeIn(l, loc, *t.DueAt))
	}
	tv.Meta = strings.Join(meta, sep)
	if t.Note != "" {
		tv.NoteText = i18n.T(l, "task.note", t.Note)
	}
	can := pg.TaskCan[t.ID]
	for _, to := range moveOrder {
		if to == incident.TaskDone && !can["finish"] {
			continue // the service says not yet: approval or termination first
		}
		if key, ok := moveLabels[t.Status][to]; ok && incident.CanMoveTask(t.Status, to) {
			tv.Moves = append(tv.Moves, taskMove{To: string(to), Label: i18n.T(l, key)})
		}
	}
	tv.CanNA = tv.CanEdit && incident.CanMoveTask(t.Status, incident.TaskNA)
	tv.CanRequest, tv.CanDecide = can["request_approval"], can["decide_approval"]
	if t.Status == incident.TaskNA {
		tv.NAText = i18n.T(l, "task.na_text", t.NAReason)
	}
	if pg.Category != nil {
		if tt, _ := pg.Category.Task(t.TemplateKey); tt != nil {
			if tt.Gated() {
				tv.Gate = i18n.T(l, "task.gate", tt.Approval.Name)
			}
			if tt.AfterTermination && !t.Status.Closed() && pg.Incident.Status != incident.Terminated {
				tv.AfterTermText = i18n.T(l, "task.after_termination")
			}
		}
	}
	if rc := pg.RollCall; t.TemplateKey == rollcall.TaskKey && rc != nil && len(rc.Rows) > 0 { // issue 10
		tv.Roll, tv.RollText = rc, rollText(l, rc)
	}
	if a := t.Approval; a.Status != "" {
		tv.ApprovalText = i18n.T(l, "task.approval_text", i18n.T(l, "approval."+string(a.Status)), pg.Names[a.RequestedBy], a.Reason)
		if a.Status != incident.Pending {
			tv.ApprovalText += i18n.T(l, "task.approval_opinion", pg.Names[a.DecidedBy], a.Opinion)
		}
	}
	return tv
}

// groupTasks arranges tasks by the phases of the plan, in plan order, and
// works out the phase the incident is in: the first with work left.
func groupTasks(l i18n.Lang, loc *time.Location, now time.Time, pg *dashboard.IncidentPage, u *user.User, csrf string) ([]*phaseGroup, string) {
	overdue, more := i18n.T(l, "overdue"), i18n.T(l, "task.more")
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
		tv := newTaskView(l, loc, now, pg, u, t)
		tv.HTML = tv.itemHTML(csrf, overdue, more)
		g.Tasks = append(g.Tasks, tv)
	}
	var shown []*phaseGroup
	current := ""
	for _, g := range groups {
		if len(g.Tasks) == 0 {
			continue
		}
		shown = append(shown, g)
		for _, t := range g.Tasks {
			if current == "" && !t.Status.Closed() {
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

// timelineHTML renders timeline entries as list items.
func timelineHTML(l i18n.Lang, loc *time.Location, list []*incident.Entry) template.HTML {
	var b html
	b.Grow(len(list) * 300)
	for _, e := range list {
		b.raw(`<li><time datetime="`, e.At.UTC().Format(time.RFC3339), `">`, esc(timeIn(l, loc, e.At)), `</time> <span class="actor">`,
			esc(e.Actor), `</span> <span class="what">`, esc(timeline.EntryText(l, e)), "</span></li>\n")
	}
	return b.safe()
}

// rollText is the roll-call in one line: 已到位 n/m and who is missing.
func rollText(l i18n.Lang, rc *rollcall.Summary) string {
	s := i18n.T(l, "esc.roll_count", rc.Confirmed, len(rc.Rows))
	if len(rc.Missing) > 0 {
		names := make([]string, len(rc.Missing))
		for i, r := range rc.Missing {
			names[i] = r.Name
		}
		s += i18n.T(l, "esc.roll_missing", strings.Join(names, i18n.T(l, "esc.name_sep")))
	}
	return s
}
