package i18n

// Messages of the console's duty log, roster management and base database pages.
func init() {
	Register(map[string][2]string{
		"dlog.title":          {"值班记录", "Duty log"},
		"dlog.new":            {"记录来电来报", "Record a call or report"},
		"dlog.at":             {"接报时间", "Received at"},
		"dlog.place":          {"地点", "Place"},
		"dlog.what":           {"事件情况", "What happened"},
		"dlog.measures":       {"采取措施", "Measures taken"},
		"dlog.informed":       {"已通报人员", "Who was informed"},
		"dlog.informed_at":    {"通报时间", "Informed at"},
		"dlog.reporter_unit":  {"报告人单位", "Reporter's unit"},
		"dlog.reporter_name":  {"报告人姓名", "Reporter's name"},
		"dlog.reporter_phone": {"报告人电话", "Reporter's telephone"},
		"dlog.recorder":       {"记录人", "Recorded by"},
		"dlog.submit":         {"保存记录", "Save entry"},
		"dlog.recorded":       {"值班记录已保存。", "Duty log entry saved."},
		"dlog.empty":          {"暂无值班记录。", "No duty log entries."},
		"dlog.older":          {"更早的记录", "Older entries"},
		"dlog.newest":         {"最新记录", "Newest entries"},
		"dlog.to_incident":    {"登记为事件", "Register as incident"},
		"dlog.incident":       {"已登记为事件", "Registered as incident"},
		"dlog.hint_time":      {"按 %s 时间填写。", "In %s time."},
	})
}
