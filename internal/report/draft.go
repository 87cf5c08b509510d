package report

import (
	"strconv"
	"strings"
	"time"

	"yingji/internal/incident"
	"yingji/internal/plan"
)

// Input is the record a draft is made from. Entries are the timeline entries
// the report covers (for a daily report: those since the previous daily
// report, or since activation), oldest first; Tasks and Approvals are the
// incident's whole current state.
type Input struct {
	Kind      string
	Seq       int
	Incident  *incident.Incident
	OrgName   string
	Plan      *plan.Plan
	Category  *plan.Category
	Entries   []*incident.Entry
	Tasks     []*incident.Task
	Approvals []*incident.Approval
	Informed  []string // bodies earlier reports already went to
	// Instructions are the leaders' 批示 on the incident, oldest first.
	Instructions []Instruction
	Author       string // display name
	Phone        string
	Resources    []*incident.Resource // units, websites, experts and equipment attached
	Evidence     []EvidenceLine       // issue 13: the evidence register, withdrawn items left out
}

// Instruction is a leader's 批示 as a report states it.
type Instruction struct {
	At     time.Time
	Author string // display name of the leader
	Text   string
	To     []string // addressees' names
	Result string   // 落实情况, "" while not done
}

// Drafted is a generated draft: the title, the fields and the entries it used.
type Drafted struct {
	Title       string
	Fields      Fields
	Sources     []int64
	LastEntryID int64
}

// Draft writes a report from the record. It is deterministic: the same
// input gives the same text, and Sources lists every timeline entry that
// went into it, so a reader can check the draft against the record.
func Draft(in Input) Drafted {
	loc := in.Plan.Location
	inc := in.Incident
	d := Drafted{Title: Title(in.Kind, in.Seq, inc.Title)}
	f := &d.Fields
	catName := inc.Category
	if in.Category != nil {
		catName = in.Category.Name
	}

	// 时间地点
	f.TimePlace = ChineseTime(inc.DiscoveredAt.In(loc)) + "，" + in.OrgName + "辖区发生" + catName + "（" +
		plan.GBClassName(inc.GBClass) + "，" + inc.Level.Roman() + "级）。"
	if inc.DiscoveryMethod != "" {
		f.TimePlace += "发现方式：" + inc.DiscoveryMethod + "。"
	}

	// 起因
	if inc.Description != "" {
		f.Cause = strings.TrimSpace(inc.Description)
		if !strings.HasSuffix(f.Cause, "。") {
			f.Cause += "。"
		}
	} else {
		f.Cause = "事件起因正在进一步核查中。"
	}

	// 经过: one line per timeline entry in the window, in order.
	var course strings.Builder
	if in.Kind == Daily || in.Kind == Followup {
		if len(in.Entries) == 0 {
			course.WriteString("本报告期内无新的处置记录。")
		}
	}
	notes := 0
	for _, e := range in.Entries {
		text := entryText(e)
		if text == "" {
			continue
		}
		d.Sources = append(d.Sources, e.ID)
		if course.Len() > 0 {
			course.WriteString("\n")
		}
		course.WriteString(ChineseTime(e.At.In(loc)))
		course.WriteString("，")
		if e.Actor != "" {
			course.WriteString(e.Actor)
		}
		course.WriteString(text)
		course.WriteString("。")
		if e.Kind == incident.EntryNote {
			notes++
		}
	}
	if n := len(in.Entries); n > 0 {
		d.LastEntryID = in.Entries[n-1].ID
	}
	f.Course = course.String()

	// 措施及效果: tasks done and under way.
	var done, doing, open, na []*incident.Task
	for _, t := range in.Tasks {
		switch t.Status {
		case incident.TaskDone:
			done = append(done, t)
		case incident.TaskNA:
			na = append(na, t)
		case incident.TaskDoing:
			doing = append(doing, t)
		default:
			open = append(open, t)
		}
	}
	var m strings.Builder
	if inc.ActivatedAt != nil {
		m.WriteString("经批准，于" + ChineseTime(inc.ActivatedAt.In(loc)) + "启动《" + in.Plan.Title + "》。")
	}
	if inc.ActivatedAt == nil && len(in.Tasks) == 0 { // 首报 before the decision: no "0项" count
		m.WriteString("预案尚未启动，暂未部署处置任务。")
	} else {
		m.WriteString("按照预案共部署处置任务" + strconv.Itoa(len(in.Tasks)) + "项，已完成" + strconv.Itoa(len(done)) +
			"项，正在办理" + strconv.Itoa(len(doing)) + "项，尚未完成" + strconv.Itoa(len(open)) + "项")
		if len(na) > 0 {
			m.WriteString("，经核实不适用" + strconv.Itoa(len(na)) + "项")
		}
		m.WriteString("。")
	}
	for i, t := range done {
		m.WriteString("\n（" + ChineseNumber(i+1) + "）" + deptName(in.Plan, t.Department) + "：" + t.Title + "，已完成")
		if t.Note != "" {
			m.WriteString("（" + strings.TrimSuffix(t.Note, "。") + "）")
		}
		m.WriteString("。")
	}
	for i, t := range doing {
		m.WriteString("\n（" + ChineseNumber(len(done)+i+1) + "）" + deptName(in.Plan, t.Department) + "：" + t.Title + "，正在办理")
		if t.Note != "" {
			m.WriteString("（" + strings.TrimSuffix(t.Note, "。") + "）")
		}
		m.WriteString("。")
	}
	for i, t := range na {
		m.WriteString("\n（" + ChineseNumber(len(done)+len(doing)+i+1) + "）" + deptName(in.Plan, t.Department) + "：" + t.Title + "，不适用")
		if t.NAReason != "" {
			m.WriteString("（" + strings.TrimSuffix(t.NAReason, "。") + "）")
		}
		m.WriteString("。")
	}
	m.WriteString(resourceLine(in.Resources))
	m.WriteString(evidenceLine(in.Evidence))
	f.Measures = m.String()

	// 影响及趋势
	switch inc.Status {
	case incident.Terminated, incident.Closed:
		// Never claim what the record does not show: "有效处置" only when
		// every task is done or closed as not applicable.
		if remain := len(open) + len(doing); remain == 0 {
			f.Impact = "事件已得到有效处置，经批准终止应急响应" + when(inc.TerminatedAt, loc) + "。"
		} else {
			f.Impact = "经批准终止应急响应" + when(inc.TerminatedAt, loc) + "，尚有" + strconv.Itoa(remain) + "项处置任务未完成。"
		}
	case incident.TerminationRequested:
		f.Impact = "事件已基本得到控制，已申请终止应急响应，待批准。"
	case incident.Active:
		if len(open)+len(doing) == 0 {
			f.Impact = "事件已得到控制，事态平稳，未出现新的情况。"
		} else {
			f.Impact = "事件仍在处置中，尚有" + strconv.Itoa(len(open)+len(doing)) + "项处置任务未完成，将持续关注事态发展。"
		}
	default:
		f.Impact = "事件正在核查研判中，影响范围待进一步确认。"
	}

	// 已报告的领导和单位: approvals decided and bodies earlier reports went to.
	var inf []string
	for _, a := range in.Approvals {
		if a.Status != incident.Approved || a.DecidedAt == nil {
			continue
		}
		what := "启动"
		if a.Kind == incident.KindTermination {
			what = "终止"
		}
		s := ChineseTime(a.DecidedAt.In(loc)) + "，经报批同意" + what + "预案"
		if a.Opinion != "" {
			s += "（批示意见：" + strings.TrimSuffix(a.Opinion, "。") + "）"
		}
		inf = append(inf, s+"。")
	}
	// 批示 and their 落实情况: what leaders instructed and what was done.
	for _, x := range in.Instructions {
		s := ChineseTime(x.At.In(loc)) + "，" + x.Author + "批示：“" + strings.TrimSpace(x.Text) + "”"
		if len(x.To) > 0 {
			s += "（交" + strings.Join(x.To, "、") + "落实）"
		}
		switch {
		case x.Result != "":
			s += "。落实情况：" + strings.TrimSuffix(strings.TrimSpace(x.Result), "。") + "。"
		default:
			s += "，正在落实。"
		}
		inf = append(inf, s)
	}
	if len(in.Informed) > 0 {
		inf = append(inf, "此前已将有关情况报送"+strings.Join(in.Informed, "、")+"。")
	}
	if len(inf) == 0 {
		inf = append(inf, "本报告为首次报告。")
	}
	f.Informed = strings.Join(inf, "\n")

	// 下一步工作
	var n strings.Builder
	switch in.Kind {
	case Summary, Final:
		n.WriteString("认真总结本次事件处置工作经验，查找薄弱环节，进一步完善应急预案和工作机制。")
	default:
		if len(open)+len(doing) > 0 {
			n.WriteString("继续落实以下处置任务：")
			i := 0
			for _, t := range append(doing, open...) {
				i++
				n.WriteString("\n（" + ChineseNumber(i) + "）" + deptName(in.Plan, t.Department) + "：" + t.Title)
				if t.DueAt != nil {
					n.WriteString("（限" + ChineseTime(t.DueAt.In(loc)) + "前完成）")
				}
				n.WriteString("。")
			}
		} else {
			n.WriteString("继续加强监测，巩固处置成效，防止事态反复。")
		}
	}
	n.WriteString("\n目前暂无需要上级支援的事项。")
	f.NextSteps = n.String()

	f.ReportingUnit = in.OrgName
	f.Contact = in.Author
	f.Phone = in.Phone
	return d
}

func when(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return "（" + ChineseTime(t.In(loc)) + "）"
}

func deptName(p *plan.Plan, key string) string {
	if d := p.Department(key); d != nil {
		return d.Name
	}
	return key
}

// entryText is the formal sentence for one timeline entry, "" for entries a
// report does not repeat (the report flow's own entries).
func entryText(e *incident.Entry) string {
	d := e.Data
	switch e.Kind {
	case incident.EntryCreated:
		return "登记事件" + d["number"] + "“" + d["title"] + "”"
	case incident.EntryNote:
		if e.InternalNote() {
			return "" // 内部: never in a report that leaves the bureau
		}
		return "记录：" + strings.TrimSuffix(d["text"], "。")
	case incident.EntryActivationRequested:
		return "申请启动预案，理由：" + strings.TrimSuffix(d["reason"], "。")
	case incident.EntryActivationApproved:
		return "批准启动预案，意见：" + strings.TrimSuffix(d["opinion"], "。")
	case incident.EntryActivationRejected:
		return "不同意启动预案，意见：" + strings.TrimSuffix(d["opinion"], "。")
	case incident.EntryTasksCreated:
		return "按预案部署处置任务" + d["count"] + "项"
	case incident.EntryTaskUpdated:
		var parts []string
		if d["to"] != "" {
			parts = append(parts, "状态改为“"+taskStatusName(d["to"])+"”")
		}
		if a, ok := d["assignee"]; ok && a != "" {
			parts = append(parts, "承办人为"+a)
		}
		if d["reason"] != "" {
			parts = append(parts, "不适用理由："+strings.TrimSuffix(d["reason"], "。"))
		}
		if d["note"] != "" {
			parts = append(parts, "情况："+strings.TrimSuffix(d["note"], "。"))
		}
		if u, ok := d["unit"]; ok { // the networked unit linked (event.TaskUpdated)
			if u == "" {
				u = "（无）"
			}
			parts = append(parts, "情况：关联联网单位："+u)
		}
		return "将任务“" + d["title"] + "”" + strings.Join(parts, "，")
	case incident.EntryTerminationRequested:
		t := "申请终止预案，理由：" + strings.TrimSuffix(d["reason"], "。")
		if d["na_items"] != "" { // one task a line, "title<TAB>reason"
			items := strings.Split(d["na_items"], "\n")
			for i, x := range items {
				items[i] = strings.Replace(x, "\t", "：", 1)
			}
			t += "；经核实不适用的任务" + d["na_count"] + "项：" + strings.Join(items, "；")
		} else if d["na"] != "" { // before: "title：reason" a line
			t += "；经核实不适用的任务" + d["na_count"] + "项：" + strings.ReplaceAll(d["na"], "\n", "；")
		}
		return t
	case incident.EntryTaskApprovalRequested:
		return "就任务“" + d["title"] + "”提请审批（" + d["rule"] + "），理由：" + strings.TrimSuffix(d["reason"], "。")
	case incident.EntryTaskApprovalDecided:
		what := "同意"
		if d["decision"] != string(incident.Approved) {
			what = "不同意"
		}
		return what + "任务“" + d["title"] + "”的报批，意见：" + strings.TrimSuffix(d["opinion"], "。")
	case incident.EntryTerminationApproved:
		return "批准终止预案，意见：" + strings.TrimSuffix(d["opinion"], "。")
	case incident.EntryTerminationRejected:
		return "不同意终止预案，意见：" + strings.TrimSuffix(d["opinion"], "。")
	case incident.EntryCorrected:
		return "更正事件信息：" + CorrectionText(d) + "，理由：" + strings.TrimSuffix(d["reason"], "。")
	}
	// 批示 entries are stated with their 落实情况 under 已报告的领导和单位.
	return linkedText(e)
}

// CorrectionText states what a correction entry changed, old → new, in
// the order the fields were corrected.
func CorrectionText(d map[string]string) string {
	var parts []string
	for _, f := range strings.Split(d["fields"], ",") {
		switch f {
		case "title":
			parts = append(parts, "标题由“"+d["title.from"]+"”改为“"+d["title.to"]+"”")
		case "description":
			parts = append(parts, "事件描述由“"+d["description.from"]+"”改为“"+d["description.to"]+"”")
		case "discovered_at":
			parts = append(parts, "发现时间由"+msText(d["discovered_at.from"])+"改为"+msText(d["discovered_at.to"]))
		case "category":
			parts = append(parts, "事件类别由“"+d["category.from_name"]+"”改为“"+d["category.to_name"]+"”")
		case "level":
			what := "降级"
			if d["level.direction"] == "up" {
				what = "升级"
			}
			parts = append(parts, "事件级别由"+d["level.from"]+"级调整为"+d["level.to"]+"级（"+what+"）")
		}
	}
	return strings.Join(parts, "；")
}

// msText is a stored Unix-millisecond time in Beijing time.
func msText(v string) string {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return v
	}
	return ChineseTime(time.UnixMilli(n).In(beijing))
}

var beijing = time.FixedZone("CST", 8*3600)

func taskStatusName(s string) string {
	switch incident.TaskStatus(s) {
	case incident.TaskTodo:
		return "待办"
	case incident.TaskDoing:
		return "办理中"
	case incident.TaskDone:
		return "已完成"
	case incident.TaskBlocked:
		return "受阻"
	case incident.TaskNA:
		return "不适用"
	}
	return s
}

// resourceLine names what the incident drew on (五(五)): affected units and
// websites, the experts consulted, the equipment sent. "" when nothing is
// attached, so drafts of incidents without resources read as before.
func resourceLine(rs []*incident.Resource) string {
	names := map[string][]string{}
	for _, r := range rs {
		n := r.Name
		if r.Kind == incident.ResourceEquipment && r.ReturnedAt != nil {
			n += "（已归还）"
		}
		names[r.Kind] = append(names[r.Kind], n)
	}
	var parts []string
	for _, k := range []struct{ kind, label string }{
		{incident.ResourceUnit, "涉事单位"}, {incident.ResourceWebsite, "涉事网站"},
		{incident.ResourceExpert, "组织专家"}, {incident.ResourceEquipment, "调派装备"},
	} {
		if len(names[k.kind]) > 0 {
			parts = append(parts, k.label+"："+strings.Join(names[k.kind], "、"))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "\n" + strings.Join(parts, "；") + "。"
}
