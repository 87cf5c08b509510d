package i18n

// Messages of the evidence register (issue 13).
func init() {
	Register(map[string][2]string{
		"evidence.not_found":           {"未找到该证据。", "Evidence item not found."},
		"evidence.file_not_found":      {"未找到该证据文件。", "Evidence file not found."},
		"evidence.content_missing":     {"证据文件内容缺失，请立即报告系统管理员。", "The stored content of this file is missing; tell the system administrator at once."},
		"evidence.bad_hash":            {"哈希值格式不正确。", "Malformed hash."},
		"evidence.bad_kind":            {"证据类型“%s”无效。", "Unknown evidence kind %q."},
		"evidence.bad_action":          {"不支持的证据操作“%s”。", "Unknown evidence action %q."},
		"evidence.seal_required":       {"物证须填写封存编号。", "A physical item needs its seal number."},
		"evidence.collected_future":    {"提取时间不能晚于当前时间。", "The collection time cannot be in the future."},
		"evidence.task_not_found":      {"本事件中没有该任务。", "No such task in this incident."},
		"evidence.forbidden":           {"只有事件所属单位的人员可以登记、导出证据。", "Only people of the incident's organisation register and export evidence."},
		"evidence.forbidden_custody":   {"只有证据保管人或本单位指挥人员可以移交、封存、启封或撤回证据。", "Only the custodian or the organisation's command transfers, seals, unseals or withdraws evidence."},
		"evidence.withdrawn":           {"该证据已撤回，不能再变更。", "This item has been withdrawn and no longer changes."},
		"evidence.sealed":              {"该证据已封存，启封后才能添加文件。", "This item is sealed; unseal it before adding files."},
		"evidence.capture_fixed":       {"网页固定的文件在固定时一次生成，不能追加。", "A web page capture's files are what the capture wrote; none are added."},
		"evidence.same_custodian":      {"移交对象就是当前保管人。", "That person already holds the item."},
		"evidence.custodian_unknown":   {"移交对象须为本单位在用账号。", "The new custodian must be an active user of the incident's organisation."},
		"evidence.already_sealed":      {"该证据已封存。", "This item is already sealed."},
		"evidence.not_sealed":          {"该证据未封存。", "This item is not sealed."},
		"evidence.too_large":           {"文件超过上传上限（%d MiB）。", "The file is over the upload limit (%d MiB)."},
		"evidence.bad_url":             {"请填写完整的网页地址（http:// 或 https://）。", "Give the page's full address (http:// or https://)."},
		"evidence.url_not_named":       {"%s 既不在本事件中，也不在基础数据库的网站登记中，不能固定。", "%s is named neither in the incident nor in the website register; it is not captured."},
		"evidence.capture_unavailable": {"本系统未配置网页固定功能。", "Web page capture is not set up on this installation."},
		"evidence.capture_failed":      {"固定 %s 的网页失败，请稍后重试。", "Capturing the page of %s failed; try again later."},
		"evidence.export_unavailable":  {"本系统未配置证据包导出功能。", "Evidence package export is not set up on this installation."},
		"evidence.nothing_to_export":   {"本事件尚无登记的证据。", "The incident has no evidence registered."},
		"evidence.no_key":              {"未配置证据包签名密钥（--evidence-key）。", "No evidence signing key is set (--evidence-key)."},
		"evidence.corrupt":             {"证据文件与登记的哈希值不符，已记录，请立即报告。", "The stored file no longer matches its recorded hash; this has been recorded. Report it at once."},

		"evidence.kind.file":        {"电子数据", "Electronic data"},
		"evidence.kind.email":       {"电子邮件", "Email"},
		"evidence.kind.web_capture": {"网页固定", "Web page capture"},
		"evidence.kind.log_extract": {"日志摘录", "Log extract"},
		"evidence.kind.physical":    {"物证", "Physical item"},

		"evidence.status.held":      {"在管", "Held"},
		"evidence.status.sealed":    {"已封存", "Sealed"},
		"evidence.status.withdrawn": {"已撤回", "Withdrawn"},

		"evidence.action.register": {"登记提取", "Registered"},
		"evidence.action.add_file": {"添加文件", "File added"},
		"evidence.action.view":     {"查看", "Viewed"},
		"evidence.action.download": {"下载", "Downloaded"},
		"evidence.action.export":   {"导出", "Exported"},
		"evidence.action.transfer": {"移交", "Transferred"},
		"evidence.action.seal":     {"封存", "Sealed"},
		"evidence.action.unseal":   {"启封", "Unsealed"},
		"evidence.action.withdraw": {"撤回", "Withdrawn"},
		"evidence.action.verify":   {"校验", "Verified"},

		"timeline.evidence_registered": {"登记证据%s（%s）：%s", "Registered evidence %s (%s): %s"},
		"timeline.evidence_custody":    {"证据%s：%s%s", "Evidence %s: %s%s"},
	})
}
