package i18n

// Issue 10: the roll-call on its task, escalation until acknowledged, the
// live bell.
func init() {
	Register(map[string][2]string{
		"esc.roll_count":                 {"已到位%d/%d人", "%d of %d in place"},
		"esc.roll_missing":               {"；未到位：%s", "; not yet: %s"},
		"esc.name_sep":                   {"、", ", "},
		"notify.text.rollcall_again":     {"事件%s您尚未确认到位，请点击确认：", "Incident %s: you have not confirmed in place. Confirm: "},
		"notify.text.rollcall_resend":    {"事件%[1]s“%[2]s”已启动预案，您尚未确认到位，请立即到位。", "Incident %[1]s %[2]q: plan activated; you have not confirmed in place."},
		"notify.text.rollcall_missing":   {"事件%[1]s“%[2]s”仍有人员未确认到位，请督促。", "Incident %[1]s %[2]q: some have not confirmed in place."},
		"notify.text.approval_reminder":  {"事件%[1]s“%[2]s”有审批尚未决定，请尽快处理。", "Incident %[1]s %[2]q: a decision still awaits you."},
		"notify.text.approval_escalated": {"事件%[1]s“%[2]s”有审批超时未决定，请督办。", "Incident %[1]s %[2]q: a decision is overdue."},
		"notify.text.task_overdue":       {"事件%[1]s“%[2]s”有任务已超期，请抓紧办理。", "Incident %[1]s %[2]q: a task is overdue."},
		"nc.kind.rollcall_resend":        {"到位再通知", "Roll-call again"},
		"nc.kind.rollcall_missing":       {"未到位报告", "Not in place"},
		"nc.kind.approval_reminder":      {"审批提醒", "Approval reminder"},
		"nc.kind.approval_escalated":     {"审批超时督办", "Approval overdue"},
		"nc.kind.task_overdue":           {"任务超期", "Task overdue"},
		"esc.what.activation":            {"启动预案审批", "the activation"},
		"esc.what.termination":           {"终止预案审批", "the termination"},
		"esc.what.task":                  {"任务“%s”的审批", "the approval of task %q"},
		"esc.what.report":                {"报告“%s”的签发", "the sign-off of report %q"},
		"timeline.esc.rollcall_resend":   {"%[1]s人未确认到位，已再次短信通知：%[2]s。", "%[1]s not in place; SMS sent again to %[2]s."},
		"timeline.esc.rollcall_missing":  {"仍有%[1]s人未确认到位（%[2]s），已报告%[3]s。", "%[1]s still not in place (%[2]s); %[3]s told."},
		"timeline.esc.approval_remind":   {"%[1]s尚未决定，已再次提醒%[2]s。", "%[1]s is not decided; %[2]s reminded."},
		"timeline.esc.approval_escalate": {"%[1]s超过时限未决定（待%[2]s），已报告%[3]s。", "%[1]s is overdue (awaiting %[2]s); %[3]s told."},
		"timeline.esc.task_overdue":      {"任务“%[1]s”已超期，已通知%[2]s。", "Task %[1]q is overdue; %[2]s told."},
		"timeline.roll_call_complete":    {"应到%[2]s人全部确认到位，任务“%[1]s”自动完成。", "All %[2]s paged confirmed in place; task %[1]q done."},
	})
}
