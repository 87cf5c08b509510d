package i18n

// Messages added after the newcomer's walk through the console (issue 8's
// restructure, issues 10 and 15): links a newcomer could not find.
func init() {
	Register(map[string][2]string{
		"inc.notices_link": {"通知与到位情况", "Notices and roll-call"},
	})
}
