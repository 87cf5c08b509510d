package i18n

// Issue 10: the roll-call on its task, escalation until acknowledged, the
// live bell.
func init() {
	Register(map[string][2]string{
		"esc.roll_count":              {"已到位%d/%d人", "%d of %d in place"},
		"esc.roll_missing":            {"；未到位：%s", "; not yet: %s"},
		"esc.name_sep":                {"、", ", "},
		"timeline.roll_call_complete": {"应到%[2]s人全部确认到位，任务“%[1]s”自动完成。", "All %[2]s paged confirmed in place; task %[1]q done."},
	})
}
