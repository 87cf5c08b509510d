package i18n

// The typed timeline events' own sentences (internal/event).
func init() {
	Register(map[string][2]string{
		"timeline.task_unit":      {"备注：关联联网单位：%s", "networked unit: %s"},
		"timeline.task_unit_none": {"备注：关联联网单位：（无）", "networked unit: none"},
	})
}
