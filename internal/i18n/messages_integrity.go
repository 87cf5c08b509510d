package i18n

// Messages of input integrity (issue 9): refused text, damaged ledger files,
// times out of range.
func init() {
	Register(map[string][2]string{
		"error.bad_text_field": {"“%s”含有无效字符（空字符、控制字符或非 UTF-8 编码的内容），未作任何修改；请删除这些字符后重新提交。",
			"%q contains invalid characters (NUL, control characters or text that is not UTF-8); nothing was changed. Remove them and submit again."},
		"error.too_early":    {"时间不能早于2000年1月1日，请核对年份。", "The time cannot be before 1 January 2000; check the year."},
		"error.at_in_future": {"时间不能晚于当前时间。", "The time cannot be in the future."},
		"registry.not_utf8": {"文件不是 UTF-8 编码（可能是 GBK/ANSI）。请在 Excel 或 WPS 中打开后选择“另存为”→“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件。",
			"The file is not UTF-8 (it may be GBK/ANSI). In Excel or WPS use Save As → “CSV UTF-8 (comma delimited)”, or import the .xlsx file instead."},
		"registry.damaged_sheet": {"工作表“%s”在第 %d 行附近已损坏，未导入任何数据：%s。请用 Excel 或 WPS 打开并重新保存，或重新导出后再导入。",
			"Sheet %q is damaged near row %d; nothing was imported: %s. Open and save it again in Excel or WPS, or export it again."},
		"registry.damaged_sheet_part": {"工作表“%s”已损坏（文件不完整或校验失败），未导入任何数据：%s。请重新保存或重新导出后再导入。",
			"Sheet %q is damaged (the file is incomplete or fails its checksum); nothing was imported: %s. Save or export it again."},
		"registry.damaged_part": {"文件已损坏（“%s”不完整或校验失败），未导入任何数据：%s。请重新保存或重新导出后再导入。",
			"The file is damaged (%q is incomplete or fails its checksum); nothing was imported: %s. Save or export it again."},
	})
}
