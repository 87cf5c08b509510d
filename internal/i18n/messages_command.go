package i18n

// Messages of corrections (更正) and instructions (批示), issue 11.
func init() {
	Register(map[string][2]string{
		"error.forbidden_correct": {"只有本单位值班员和领导小组成员可以修改事件信息。", "Only the duty officers and the leading group of the incident's organisation may correct it."},
		"error.category_after_activation": {"预案已启动，事件类别不能再修改（已按原类别部署处置任务）。如类别确有错误，请另行登记事件。",
			"The plan is active: the category can no longer be changed (tasks were set up for it). If it is wrong, register a new incident."},
		"error.category_pending_activation": {"启动申请正在审批中，事件类别暂不能修改；请待审批后再改。",
			"Activation is awaiting approval; the category cannot be changed until it is decided."},
		"error.nothing_to_correct":       {"没有需要修改的内容。", "Nothing to correct: every value is as before."},
		"error.forbidden_instruct":       {"只有本单位组长、副组长或上级分管领导可以作出批示。", "Only the leaders of the incident's organisation or of its superiors may post an instruction."},
		"error.instruction_no_addressee": {"请至少选择一个批示对象（部门或人员）。", "Name at least one addressee (a department or a person)."},
		"error.too_many_addressees":      {"批示对象不能超过 %d 个。", "At most %d addressees."},
		"error.unknown_addressee":        {"批示对象（用户 %v）不存在或无权办理此事件。", "Addressee (user %v) does not exist or has no part in this incident."},
		"error.instruction_not_found":    {"批示不存在。", "No such instruction."},
		"error.forbidden_instruction":    {"该批示不是交给您或您所在部门的。", "This instruction is not addressed to you or your department."},
		"error.instruction_not_open":     {"该批示已阅，无需重复签阅。", "The instruction has already been acknowledged."},
		"error.instruction_not_acked":    {"请先签阅（已阅）该批示，再报告落实情况；已办结的批示不能再次报告。", "Acknowledge the instruction first; a done instruction cannot be reported again."},

		"timeline.corrected":          {"修改事件信息：%s。理由：%s", "Corrected the incident: %s. Reason: %s"},
		"timeline.instructed":         {"批示：“%s”（交%s落实）", "Instruction: “%s” (to %s)"},
		"timeline.instruction_acked":  {"已阅批示：“%s”", "Acknowledged the instruction “%s”"},
		"timeline.instruction_done":   {"报告批示“%s”的落实情况：%s", "Reported what was done on the instruction “%s”: %s"},
		"correct.field.title":         {"标题", "title"},
		"correct.field.description":   {"事件描述", "description"},
		"correct.field.discovered_at": {"发现时间", "discovery time"},
		"correct.field.category":      {"事件类别", "category"},
		"correct.field.level":         {"事件级别", "level"},
		"correct.up":                  {"升级", "escalation"},
		"correct.down":                {"降级", "de-escalation"},

		"console.correct":               {"修改事件信息", "Correct the incident"},
		"console.correct_hint":          {"修改将记入时间线和审计日志（原值和新值）；级别调整（升级、降级）会通知领导小组。预案启动后事件类别不能修改。", "Corrections go on the timeline and into the audit log with old and new values; a level change (escalation or de-escalation) is notified to the leading group. The category cannot change after activation."},
		"console.correct_reason":        {"修改理由", "Reason for the correction"},
		"console.correct_submit":        {"保存修改", "Save correction"},
		"console.instructions":          {"领导批示", "Instructions (批示)"},
		"console.instruct":              {"作出批示", "Post an instruction"},
		"console.instruction_text":      {"批示内容", "Instruction"},
		"console.instruction_to_depts":  {"交办部门", "Departments"},
		"console.instruction_to_people": {"交办人员", "People"},
		"console.instruction_submit":    {"发出批示", "Post"},
		"console.instruction_author":    {"批示人", "By"},
		"console.instruction_at":        {"批示时间", "At"},
		"console.instruction_to":        {"交办对象", "To"},
		"console.instruction_status":    {"状态", "Status"},
		"console.instruction_result":    {"落实情况", "What was done"},
		"console.instruction_ack":       {"已阅", "Acknowledge"},
		"console.instruction_done":      {"报告落实情况", "Report what was done"},
		"console.instruction_none":      {"暂无批示。", "No instructions."},
		"console.my_instructions":       {"待落实的批示", "Instructions for you"},
		"instruction.open":              {"待签阅", "open"},
		"instruction.acknowledged":      {"已阅，落实中", "acknowledged"},
		"instruction.done":              {"已落实", "done"},
		"notice.level_changed":          {"事件级别调整", "Level changed"},
		"notice.instruction_posted":     {"新批示", "New instruction"},
	})
}

func init() {
	Register(map[string][2]string{
		"done.corrected":         {"事件信息已修改。", "The incident was corrected."},
		"done.instructed":        {"批示已发出。", "The instruction was posted."},
		"done.instruction_acked": {"已签阅批示。", "Instruction acknowledged."},
		"done.instruction_done":  {"落实情况已报告。", "What was done has been reported."},
	})
}
