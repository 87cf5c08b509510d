package i18n

// Messages of the notices a leader and a requester read: a decision's notice
// says the decision (the key is the notice's kind followed by
// notices.Detail), the county's activation reported to the city says who
// decided. SMS texts stay within one segment with the link (delivery.Render
// cuts the title).
func init() {
	Register(map[string][2]string{
		"notify.text.approval_decided.activation.approved":  {"事件%[1]s“%[2]s”启动预案申请已获批准。", "Incident %[1]s %[2]q: activation approved."},
		"notify.text.approval_decided.activation.rejected":  {"事件%[1]s“%[2]s”启动预案申请未获批准，请查看意见。", "Incident %[1]s %[2]q: activation not approved; see the opinion."},
		"notify.text.approval_decided.termination.approved": {"事件%[1]s“%[2]s”终止预案申请已获批准。", "Incident %[1]s %[2]q: termination approved."},
		"notify.text.approval_decided.termination.rejected": {"事件%[1]s“%[2]s”终止预案申请未获批准，请查看意见。", "Incident %[1]s %[2]q: termination not approved; see the opinion."},
		"notify.text.task_approval_decided.approved":        {"事件%[1]s“%[2]s”的任务报批已获批准。", "Incident %[1]s %[2]q: a task's request approved."},
		"notify.text.task_approval_decided.rejected":        {"事件%[1]s“%[2]s”的任务报批未获批准，请查看审批意见。", "Incident %[1]s %[2]q: a task's request not approved; see the opinion."},
		"nc.kind.approval_decided.activation.approved":      {"启动预案：同意", "Activation: approved"},
		"nc.kind.approval_decided.activation.rejected":      {"启动预案：不同意", "Activation: not approved"},
		"nc.kind.approval_decided.termination.approved":     {"终止预案：同意", "Termination: approved"},
		"nc.kind.approval_decided.termination.rejected":     {"终止预案：不同意", "Termination: not approved"},
		"nc.kind.task_approval_decided.approved":            {"任务报批：同意", "Task request: approved"},
		"nc.kind.task_approval_decided.rejected":            {"任务报批：不同意", "Task request: not approved"},
		"notify.text.instruction_done":                      {"事件%[1]s“%[2]s”：您的批示已报告落实情况。", "Incident %[1]s %[2]q: your instruction was carried out."},
		"nc.kind.instruction_done":                          {"批示已落实", "Instruction carried out"},
		"notify.text.bulletin_signoff_requested":            {"有通报待您签发，请登录应急指挥系统查看。", "A bulletin awaits your signature."},
		"nc.kind.bulletin_signoff_requested":                {"通报待签发", "Bulletin awaits signature"},
		"countdown.left_days":                               {"还有 {d} 天 {h} 小时", "{d} d {h} h left"},
		"countdown.over_days":                               {"已逾期 {d} 天 {h} 小时", "overdue by {d} d {h} h"},
		"nc.opinion":                                        {"意见", "Opinion"},
	})
}
