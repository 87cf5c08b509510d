package i18n

// Why a monitored key website could not be reached, in words a duty
// officer uses (monitor.Reason codes); Go's own error text stays beside it
// as the technician's detail (技术信息).
func init() {
	Register(map[string][2]string{
		"monitor.reason.timeout":                {"超时未响应", "Timed out, no answer"},
		"monitor.reason.refused":                {"连接被拒绝", "Connection refused"},
		"monitor.reason.dns":                    {"域名解析失败", "DNS lookup failed"},
		"monitor.reason.cert_expired":           {"证书已过期", "Certificate expired"},
		"monitor.reason.cert_not_yet_valid":     {"证书尚未生效", "Certificate not yet valid"},
		"monitor.reason.cert_name":              {"证书与域名不符", "Certificate does not match the site's name"},
		"monitor.reason.cert_unknown_authority": {"证书签发机构不受信任", "Certificate issuer not trusted"},
		"monitor.reason.cert_invalid":           {"证书无效", "Certificate not valid"},
		"monitor.reason.tls":                    {"TLS握手失败", "TLS handshake failed"},
		"monitor.reason.reset":                  {"连接被重置", "Connection reset"},
		"monitor.reason.closed":                 {"连接被服务器关闭", "Connection closed by the server"},
		"monitor.reason.unreachable":            {"网络不可达", "Network unreachable"},
		"monitor.reason.redirects":              {"重定向过多", "Too many redirects"},
		"monitor.reason.bad_response":           {"响应格式异常", "Malformed answer"},
		"monitor.reason.other":                  {"访问出错", "Error"},
		"monitor.reason.raw":                    {"技术信息", "Technical detail"},
		// The stored alert (in Chinese, as every monitor alert) and the
		// state-change line (in the reader's language).
		"monitor.detail.unreachable": {"访问%s失败：%s。技术信息：%s", "%s failed: %s. Technical detail: %s"},
		"monitor.detail.down_error":  {"访问%s失败（状态码%d）：%s。技术信息：%s", "%s failed (status %d): %s. Technical detail: %s"},
		"monitor.change.unreachable": {"访问%s失败：%s", "%s failed: %s"},
	})
}
