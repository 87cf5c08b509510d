package i18n

// Messages of the state check of the audit chain (`yingji audit verify`).
func init() {
	Register(map[string][2]string{
		"audit.state_ok":       {"数据与审计链一致：核对了 %d 行（事件、任务、审批、时间线、报告、报送、提醒、基础数据库、值班）。", "The data matches the audit chain: %d rows checked (incidents, tasks, approvals, timeline, reports, submissions, reminders, registry, duty)."},
		"audit.state_bad":      {"数据与审计链不符：%d 行被绕过系统改动（共核对 %d 行；审计记录 %d 条本身完整）。", "The data does not match the audit chain: %d rows were changed outside yingji (%d rows checked; the %d audit records themselves are intact)."},
		"audit.state_more":     {"……另有 %d 行，加 --deep 列出（最多 100 行）。", "… %d more; add --deep to list them (up to 100)."},
		"audit.row.changed":    {"%s 第 %d 行：内容与审计记录不符（被改动）", "%s row %d: content differs from its audit record (changed)"},
		"audit.row.uncovered":  {"%s 第 %d 行：没有任何审计记录（绕过系统插入）", "%s row %d: no audit record covers it (inserted outside yingji)"},
		"audit.row.missing":    {"%s 第 %d 行：审计记录中有，数据库中已不存在（被删除）", "%s row %d: in the audit chain but gone from the database (deleted)"},
		"audit.row.reappeared": {"%s 第 %d 行：审计记录表明已删除，数据库中却存在", "%s row %d: the audit chain says deleted, yet the row exists"},
		"audit.row.last":       {"，最后一次记录于审计记录 %d", "; last covered by audit record %d"},
	})
}
