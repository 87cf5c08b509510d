package i18n

// Messages of the units' channel that tie a report to its alert and name
// every error of the unit's form at once (issue 12).
func init() {
	Register(map[string][2]string{
		"unitrep.report_of_alert": {"单位报告", "Unit's report"},
		"unitrep.alert":           {"对应告警", "Alert"},
		"unitrep.alert_link":      {"告警 #%d", "Alert #%d"},
	})
}
