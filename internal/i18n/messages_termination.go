package i18n

// Termination as the seed writes it, and approval-gated tasks (issue 11).
func init() {
	Register(map[string][2]string{
		"task.na": {"不适用", "Not applicable"},
		"error.task_after_termination": {"此项任务在预案终止后办理（终止预案的同时报告、终止后上报总结），终止经批准后才能标记完成。",
			"This task follows termination (reporting it, the summary); it can be done only once termination is approved."},
		"error.task_needs_approval": {"此项任务须%[1]s后才能标记完成，请先提请审批（当前审批状态：%[2]s）。",
			"This task needs approval (%[1]s) before it can be done; request it first (approval now: %[2]q)."},
		"error.na_reason_required": {"标记“不适用”须填写理由。", "Marking a task not applicable needs a reason."},
		"error.tasks_open": {"尚有 %[1]d 项处置任务未完成，须逐项办结或注明不适用理由后才能申请终止：%[2]s。",
			"%[1]d tasks are still open; each must be done or closed as not applicable with a reason before termination can be requested: %[2]s."},
		"error.task_not_gated":             {"此项任务无需报批。", "This task needs no approval."},
		"error.task_closed":                {"任务已办结，无需报批。", "The task is already closed."},
		"error.task_approval_pending":      {"此项任务已提请审批，正在等待决定。", "Approval of this task is already pending."},
		"error.task_approval_not_pending":  {"此项任务没有待决定的报批。", "This task has no pending approval request."},
		"timeline.termination_na":          {"；不适用任务 %[1]s 项：%[2]s", "; %[1]s tasks not applicable: %[2]s"},
		"timeline.task_approval_requested": {"任务“%[1]s”提请审批（%[2]s），理由：%[3]s", "Task %[1]q: approval requested (%[2]s): %[3]s"},
		"timeline.task_approval_decided":   {"任务“%[1]s”报批结果：%[2]s，意见：%[3]s", "Task %[1]q: approval %[2]s: %[3]s"},
		"task.approval_requested":          {"已提请审批", "Approval requested"},
		"task.gate":                        {"须%s", "Needs %s"},
		"task.request_approval":            {"提请审批", "Request approval"},
		"task.approve":                     {"同意", "Approve"},
		"task.reject":                      {"不同意", "Reject"},
		"task.na_reason":                   {"不适用理由", "Reason not applicable"},
		"done.task_approval":               {"已提请审批。", "Approval requested."},
		"done.task_decided":                {"已记录审批意见。", "Decision recorded."},
	})
}
