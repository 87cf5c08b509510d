package i18n

// Messages of activation authority per category and of tasks a superior
// assigns (四(五) 执行上级处置决策,完成交办的任务).
func init() {
	Register(map[string][2]string{
		"error.assign_org":                  {"只能向本单位下级单位交办任务。", "Tasks can be assigned only to an organisation below yours."},
		"error.not_assignable":              {"“%s”类事件不能由上级交办。", "Incidents of category %q cannot be assigned by a superior."},
		"error.not_assigner":                {"无交办权限：须%s。", "Not authorised to assign: this needs %s."},
		"error.instructions_only_assign":    {"只有上级交办的事件才填写交办要求。", "Instructions are given only when a superior assigns an incident."},
		"error.feedback_not_assigned":       {"该事件不是上级交办的任务，无需反馈。", "This incident was not assigned by a superior; there is nothing to report back."},
		"error.feedback_internal":           {"反馈要报送上级，不能标为内部备注。", "Feedback goes to the superior and cannot be an internal note."},
		"error.feedback_first":              {"上级交办的任务须先向上级反馈办理结果，再申请验收终止。", "Report back to the superior on the assigned task before asking for acceptance and termination."},
		"timeline.superior_informed":        {"领导小组决定启动预案，已报告市局：%s", "The leading group activated the plan; the city bureau was informed: %s"},
		"timeline.superior_informed_nobody": {"领导小组决定启动预案，已报告市局（市局未设分管领导账号，请电话报告）", "The leading group activated the plan; the city bureau was to be informed, but no account holds the role (report by telephone)"},
		"timeline.assigned":                 {"%[1]s%[2]s交办任务，交办要求：%[3]s", "Assigned by %[2]s of %[1]s; instructions: %[3]s"},
		"timeline.note_feedback":            {"向上级反馈：%s", "Report back to the superior: %s"},
		"inc.req_act_approval":              {"申请市局批准启动", "Ask the city bureau to approve activation"},
		"inc.req_act_decision":              {"提请领导小组决定启动", "Ask the leading group to decide on activation"},
		"inc.decide_act_approval":           {"审批：市局批准启动预案", "Decide: city approval of activation"},
		"inc.decide_act_decision":           {"领导小组决定启动", "Leading group decision on activation"},
		"inc.approve_act_decision":          {"决定启动", "Activate"},
		"inc.decide_term_acceptance":        {"验收：上级交办任务办理结果", "Acceptance of the assigned task's result"},
		"inc.approve_acceptance":            {"验收通过，同意终止", "Accept and terminate"},
		"inc.reject_acceptance":             {"退回，继续办理", "Return for more work"},
		"inc.assigned_by":                   {"上级交办：%s（%s）", "Assigned by %s (%s)"},
		"inc.note_feedback":                 {"作为向上级的反馈（办理结果）", "As the report back to the superior (result)"},
		"field.assign_org":                  {"承办单位", "Organisation"},
		"field.assign_org_own":              {"本单位", "My organisation"},
		"field.instructions":                {"交办要求", "Instructions"},
	})
}
