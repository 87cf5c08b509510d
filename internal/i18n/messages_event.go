package i18n

// The typed timeline events' own sentences (internal/event).
func init() {
	Register(map[string][2]string{
		"timeline.task_unit":      {"关联联网单位：%s", "linked networked unit: %s"},
		"timeline.task_unit_none": {"关联联网单位：（无）", "linked networked unit: none"},
	})
}
