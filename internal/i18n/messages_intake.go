package i18n

// Messages of signals in (issue 12): sources, keys and ingest refusals.
func init() {
	Register(map[string][2]string{
		"intake.source_not_found": {"接入源不存在。", "No such intake source."},
		"intake.no_key":           {"缺少接入密钥（Authorization: Bearer 接入密钥）。", "No source key (Authorization: Bearer KEY)."},
		"intake.bad_key":          {"接入密钥无效或已吊销。", "The source key is invalid or revoked."},
		"intake.bad_format":       {"不支持的接入格式“%s”，可用：alertmanager、suricata、json、syslog。", "Unsupported format %q; use alertmanager, suricata, json or syslog."},
		"intake.managers_only":    {"只有本单位的系统管理员、值班员或应急领导小组组长、副组长可以管理接入源。", "Only the organisation's system administrator, duty officer or leading group's leader and deputy manage intake sources."},
		"intake.name_taken":       {"本单位已有名为“%s”的接入源。", "The organisation already has a source named %q."},
		"intake.source_revoked":   {"该接入源已吊销。", "The source is already revoked."},
		"intake.format_mismatch":  {"该接入源的格式是 %s，不能按 %s 接收。", "This source sends %s, not %s."},
		"intake.bad_body":         {"无法读取请求内容：%s", "The body cannot be read: %s"},
		"intake.queue_full":       {"告警接入繁忙，请 %d 秒后重发（本次内容未接收）。", "Intake is busy; send again in %d seconds (nothing of this request was taken)."},
		"intake.too_many_records": {"一次请求最多 %d 条记录，请分批发送（Alertmanager 可在 webhook_config 中设置 max_alerts）。", "A request may carry at most %d records; send smaller batches (Alertmanager: set max_alerts in webhook_config)."},
		"intake.body_too_large":   {"请求内容超过接入上限（%d 字节），请分批发送。", "The body exceeds the intake limit (%d bytes); send smaller batches."},
	})
}
