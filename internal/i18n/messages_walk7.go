package i18n

// Messages added after the newcomer's walk through signals-in (issue 12):
// a resolved alert said so nowhere, and a site that could not be reached
// read as "status code 0".
func init() {
	Register(map[string][2]string{
		"al.resolved":            {"已恢复", "Resolved"},
		"mon.detail.unreachable": {"访问%s失败：%s", "%s failed: %s"},
		"mon.no_answer":          {"无响应", "no answer"},
	})
}
