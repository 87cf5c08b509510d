package i18n

// Messages of a linked alert's later word on its incident's timeline
// (migration 025): the source says it is over, or firing again.
func init() {
	Register(map[string][2]string{
		"timeline.alert_resolved": {"关联告警已恢复：%[1]s（来源报告恢复）", "Linked alert resolved: %[1]s (its source reports it over)"},
		"timeline.alert_firing":   {"关联告警再次告警：%[1]s（来源报告再次发生）", "Linked alert firing again: %[1]s (its source reports it again)"},
		"timeline.alert_status":   {"关联告警状态变为“%[2]s”：%[1]s", "Linked alert now \"%[2]s\": %[1]s"},
	})
}
