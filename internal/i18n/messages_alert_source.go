package i18n

// Where an alert came from, on its page: the format in words (the intake
// formats' names are the sources page's) and the source by name.
func init() {
	Register(map[string][2]string{
		"src.fmt.monitor":   {"网站监测（本系统检测）", "Website monitoring (yingji's own checks)"},
		"src.fmt.unit":      {"联网单位报告", "A networked unit's report"},
		"al.source_revoked": {"（接入源已吊销）", " (source revoked since)"},
	})
}
