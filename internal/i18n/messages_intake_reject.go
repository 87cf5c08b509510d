package i18n

// Why intake could not take a body or one of its records (ingest.Reason):
// the key is "intake.reject." + the reason's code, the arguments are the
// record's own (the field, the bad value cut short, the byte where the JSON
// broke), so a technician can find the fault in what the device sent.
func init() {
	Register(map[string][2]string{
		"intake.reject.json_syntax":    {"不是有效的 JSON：第 %d 字节附近有语法错误。", "Not valid JSON: syntax error near byte %d."},
		"intake.reject.json_truncated": {"JSON 不完整，到第 %d 字节就中断了，内容可能被截断。", "The JSON ends early, at byte %d; it may have been cut short."},
		"intake.reject.number_bad":     {"有数字字段的值不是数字（如端口、signature_id、severity 写成了文字）。", "A number field holds a text that is not a number (a port, signature_id or severity, say)."},
		"intake.reject.field_type":     {"字段 %s 的值类型不对（收到的是 JSON %s）。", "Field %s has the wrong type (got a JSON %s)."},

		"intake.reject.not_webhook":       {"内容是 JSON，但不是 Alertmanager webhook 通知（应为含 version 和 alerts 的对象）。", "This is JSON but not an Alertmanager webhook notification (an object with version and alerts)."},
		"intake.reject.webhook_version":   {"Alertmanager webhook 版本为“%s”，只支持版本“4”。", "Alertmanager webhook version %q; only version \"4\" is taken."},
		"intake.reject.not_alert":         {"这一项不是告警对象（alerts 中每一项应为对象）。", "Not an alert object (each item of alerts is an object)."},
		"intake.reject.alertname_missing": {"缺少告警名称 labels.alertname。", "labels.alertname is missing."},
		"intake.reject.status_bad":        {"状态“%s”无法识别，应为 firing（告警中）或 resolved（已恢复）。", "Status %q not understood; use firing or resolved."},
		"intake.reject.time_bad":          {"%s 的时间“%s”不是 RFC 3339 格式（如 2026-11-30T09:58:00+08:00）。", "%s: time %q is not RFC 3339 (such as 2026-11-30T09:58:00+08:00)."},

		"intake.reject.not_eve":           {"这一行是 JSON，但不是 Suricata EVE 记录（每行应为一个对象）。", "This line is JSON but not a Suricata EVE record (one object per line)."},
		"intake.reject.signature_missing": {"告警记录缺少规则名称 alert.signature。", "The alert record has no alert.signature."},
		"intake.reject.eve_severity_bad":  {"alert.severity 为“%s”，应为正整数（1 最严重，常见 1–3）。", "alert.severity %q; use a positive whole number (1 is the worst, usually 1 to 3)."},
		"intake.reject.ip_bad":            {"%s 的值“%s”不是 IP 地址。", "%s %q is not an IP address."},

		"intake.reject.not_signal":    {"不是信号对象（应为含 title 的 JSON 对象，或这样的对象组成的数组）。", "Not a signal object (a JSON object with a title, or an array of them)."},
		"intake.reject.title_missing": {"缺少告警标题 title。", "title is missing."},
		"intake.reject.severity_bad":  {"严重程度“%s”无法识别，应为 1–5，或 critical、high、warning、low、info 等。", "Severity %q not understood; use 1 to 5 or a name such as critical, high, warning, low, info."},
		"intake.reject.domain_bad":    {"domain 的值“%s”不是域名。", "domain %q is not a host name."},

		"intake.reject.syslog_too_long":    {"syslog 消息超过 %d 字节。", "The syslog message is longer than %d bytes."},
		"intake.reject.syslog_no_pri":      {"行首没有 <PRI>（syslog 消息应以“<数字>”开头）。", "No <PRI> at the start (a syslog message begins with <number>)."},
		"intake.reject.syslog_bad_pri":     {"<PRI> 无效，应为 0–191。", "Bad <PRI>; use 0 to 191."},
		"intake.reject.syslog_empty":       {"syslog 消息正文为空。", "The syslog message has no text."},
		"intake.reject.rfc5424_fields":     {"不符合 RFC 5424：应为 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG。", "Not RFC 5424: want TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG."},
		"intake.reject.rfc5424_sd_missing": {"不符合 RFC 5424：缺少结构化数据 SD（没有时写“-”）。", "Not RFC 5424: structured data missing (\"-\" when there is none)."},
		"intake.reject.rfc5424_sd_bad":     {"不符合 RFC 5424：结构化数据应为“-”或“[...]”。", "Not RFC 5424: structured data must be - or [...]."},
		"intake.reject.rfc5424_sd_open":    {"不符合 RFC 5424：结构化数据的“[”没有闭合。", "Not RFC 5424: structured data not closed."},
		"intake.reject.rfc3164_fields":     {"不符合 RFC 3164：应为 Mmm dd hh:mm:ss HOSTNAME TAG: MSG。", "Not RFC 3164: want Mmm dd hh:mm:ss HOSTNAME TAG: MSG."},
		"intake.reject.rfc3164_time":       {"不符合 RFC 3164：时间应为 Mmm dd hh:mm:ss（如 Nov 30 09:58:00）。", "Not RFC 3164: the time must be Mmm dd hh:mm:ss (such as Nov 30 09:58:00)."},
	})
}
