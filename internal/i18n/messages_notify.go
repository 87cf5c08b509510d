package i18n

// Messages of notices sent outside the console (SMS, e-mail, group robots)
// and of contacts and the delivery log. The texts of notices are short: a
// notice with its link must fit one SMS segment (70 characters).
// %[1]s is the incident number, %[2]s its title (cut to fit).
func init() {
	Register(map[string][2]string{
		"notify.subject":                       {"应急指挥系统通知", "Emergency command notice"},
		"notify.text.generic":                  {"您有一条新通知，请登录应急指挥系统查看。", "You have a new notice; see the command system."},
		"notify.text.generic_incident":         {"事件%[1]s“%[2]s”有新通知，请查看。", "Incident %[1]s %[2]q: new notice."},
		"notify.text.approval_requested":       {"事件%[1]s“%[2]s”待您审批。", "Incident %[1]s %[2]q awaits your approval."},
		"notify.text.approval_decided":         {"事件%[1]s“%[2]s”的审批已有结果。", "Incident %[1]s %[2]q: your request was decided."},
		"notify.text.task_approval_requested":  {"事件%[1]s“%[2]s”有任务待您审批。", "Incident %[1]s %[2]q: a task awaits your approval."},
		"notify.text.task_approval_decided":    {"事件%[1]s“%[2]s”的任务审批已有结果。", "Incident %[1]s %[2]q: a task approval was decided."},
		"notify.text.plan_activated_duty":      {"事件%[1]s“%[2]s”已启动预案，请立即到位。", "Incident %[1]s %[2]q: the plan is activated; report in now."},
		"notify.text.activation_informed":      {"事件%[1]s“%[2]s”已启动应急响应，请知悉。", "Incident %[1]s %[2]q: emergency response activated."},
		"notify.text.level_changed":            {"事件%[1]s“%[2]s”级别已调整，请查看。", "Incident %[1]s %[2]q: the level changed."},
		"notify.text.instruction_posted":       {"事件%[1]s“%[2]s”有新批示，请查看。", "Incident %[1]s %[2]q: new instruction."},
		"notify.text.report_reminder":          {"事件%[1]s“%[2]s”的报告即将到时限，请及时报送。", "Incident %[1]s %[2]q: a report is due soon."},
		"notify.text.report_overdue":           {"事件%[1]s“%[2]s”的报告已超时限，尚未报送。", "Incident %[1]s %[2]q: a report is overdue."},
		"notify.text.report_signoff_requested": {"事件%[1]s“%[2]s”有报告待您签发。", "Incident %[1]s %[2]q: a report awaits your sign-off."},
		"notify.text.report_signed":            {"事件%[1]s“%[2]s”的报告已签发，可以报送。", "Incident %[1]s %[2]q: the report was signed."},
		"notify.text.assignment_feedback":      {"事件%[1]s“%[2]s”有新的处置反馈。", "Incident %[1]s %[2]q: new feedback."},
		"notify.text.duty_assigned":            {"您有新的值班安排，请登录系统查看。", "You have a new duty shift."},
		"notify.text.duty_change_requested":    {"有一项调班申请待您处理。", "A duty change awaits you."},
		"notify.text.duty_change_decided":      {"您的调班申请已有结果。", "Your duty change was decided."},
		"notify.text.duty_handover":            {"有值班交接待您确认。", "A duty handover awaits your confirmation."},
		"notify.text.duty_handover_confirmed":  {"您的值班交接已被确认。", "Your handover was confirmed."},
		"notify.text.test":                     {"这是一条测试消息，收到即表示通道可用。", "Test message: the channel works."},
		"notify.prefix":                        {"【应急】", "[Yingji] "},
		"notify.no_channel":                    {"未配置对外通道，仅在系统内提示", "no outside channel configured; console only"},
		"notify.no_contact":                    {"该用户未登记手机号或电子邮箱，仅在系统内提示", "the user has no phone or e-mail; console only"},
		"notify.recipient_disabled":            {"该用户已停用，未发送", "the user is disabled; not sent"},
		"notify.status.pending":                {"待发送", "pending"},
		"notify.status.sending":                {"发送中", "sending"},
		"notify.status.sent":                   {"已送达", "delivered"},
		"notify.status.failed":                 {"发送失败", "failed"},
		"contacts.bad_phone":                   {"手机号应为11位数字。", "A mobile number has 11 digits."},
		"contacts.bad_email":                   {"电子邮箱格式不正确。", "Not a valid e-mail address."},
		"contacts.forbidden":                   {"只有本单位或上级单位的系统管理员可以设置他人的联系方式。", "Only a system administrator of the user's organisation or above sets another user's contacts."},
		"contacts.no_address":                  {"尚未登记该联系方式，无法发送测试消息。", "No such contact is set; nothing to test."},
		"contacts.channel_not_configured":      {"通道“%s”未配置。", "Channel %q is not configured."},
		"contacts.test_failed":                 {"测试消息发送失败：%s", "The test message failed: %s"},
		"notices.not_found":                    {"未找到该通知。", "Notice not found."},
		"notices.log_forbidden":                {"只有值班、指挥和管理人员可以查看发送记录。", "Only duty, command and admin staff read the delivery log."},
	})
}
