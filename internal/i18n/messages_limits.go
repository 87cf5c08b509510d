package i18n

// Messages of the transport limits: method, size and rate refusals.
func init() {
	Register(map[string][2]string{
		"error.method_not_allowed": {"该地址不支持 %s 请求，可用的方法：%s。", "%s is not allowed here; allowed: %s."},
		"error.form_too_large":     {"提交的内容过大（上限 %s）。文件较大时请通过 API 或命令行导入。", "The submission is too large (limit %s). Import larger files through the API or the command line."},
		"error.rate_limited":       {"请求过于频繁，请 %d 秒后再试。", "Too many requests; try again in %d seconds."},
		"error.too_many_streams":   {"打开的实时更新页面过多，请关闭部分页面后再试。", "Too many live-update pages are open; close some and try again."},
		"error.body_incomplete":    {"请求内容未能完整接收（连接中断或过慢），请重试。", "The request body did not arrive in full (connection lost or too slow); try again."},
		"error.username_too_long":  {"用户名过长（最多 %d 个字符）。", "The username is too long (at most %d characters)."},
	})
}
