package i18n

// Messages added after the newcomer's walk through signals-in (issue 12):
// a resolved alert said so nowhere, a silence without its end time said
// "required" without saying what, and a site that could not be reached
// read as "status code 0".
func init() {
	Register(map[string][2]string{
		"field.silence_until":    {"静默至", "Silence until"},
		"al.resolved":            {"已恢复", "Resolved"},
		"mon.detail.unreachable": {"访问%s失败：%s", "%s failed: %s"},
		"mon.see_alert":          {"查看告警", "See the alert"},
		"mon.no_answer":          {"无响应", "no answer"},
	})
}
