package i18n

// Issue 12 (part 3): monitors of registered key websites and the units'
// reporting channel (网络报警处置中心).
func init() {
	Register(map[string][2]string{
		// Signals (stored as the alert's title and detail, in Chinese).
		"mon.sig.down":             {"重点网站无法访问：%s（%s）", "Key website down: %s (%s)"},
		"mon.sig.up":               {"重点网站恢复访问：%s（%s）", "Key website up again: %s (%s)"},
		"mon.sig.changed":          {"重点网站页面内容被改动：%s（%s）", "Key website content changed: %s (%s)"},
		"mon.sig.restored":         {"重点网站页面内容已恢复：%s（%s）", "Key website content restored: %s (%s)"},
		"mon.sig.expiring":         {"重点网站证书即将到期或已过期：%s（%s）", "Key website certificate expiring: %s (%s)"},
		"mon.sig.renewed":          {"重点网站证书已更新：%s（%s）", "Key website certificate renewed: %s (%s)"},
		"mon.sig.cert_changed":     {"重点网站证书发生变更：%s（%s）", "Key website certificate changed: %s (%s)"},
		"mon.sig.dns_changed":      {"重点网站域名解析发生变化：%s（%s）", "Key website DNS answer changed: %s (%s)"},
		"mon.detail.down":          {"访问%s失败（状态码%d）%s", "%s failed (status %d) %s"},
		"mon.detail.changed":       {"与基线相比新增%d行、删除%d行，变动%d字节", "%d lines added, %d removed, %d bytes changed against the baseline"},
		"mon.detail.expiry":        {"证书剩余%d天", "%d days left on the certificate"},
		"mon.detail.was_now":       {"原为%s，现为%s", "was %s, now %s"},
		"unitrep.sig.title":        {"单位报警：%s（%s）", "Unit report: %s (%s)"},
		"unitrep.sig.detail":       {"受影响系统：%[1]s；发生时间：%[2]s；联系人：%[3]s %[4]s；回执号%[5]s。%[6]s", "System: %[1]s; at %[2]s; contact %[3]s %[4]s; receipt %[5]s. %[6]s"},
		"unitrep.bad_time":         {"发生时间不合理：不能晚于现在，也不能早于一年前。", "The time is not plausible: not in the future, not over a year ago."},
		"unitrep.bad_hash":         {"附件“%s”的SHA-256值无效。", "The SHA-256 of attachment %q is not valid."},
		"unitrep.bad_size":         {"附件“%s”的大小无效。", "The size of attachment %q is not valid."},
		"unitrep.too_many":         {"附件最多%d个。", "At most %d attachments."},
		"unitrep.unit_has_reports": {"该单位已通过报警渠道报送%d份报告，不能删除。", "The unit has sent %d reports through its channel and cannot be deleted."},
	})
}
