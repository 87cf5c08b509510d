package i18n

// Messages of need-to-know, internal notes and report sign-off by editors
// (issue 9, 五(二) 严守工作秘密).
func init() {
	Register(map[string][2]string{
		"timeline.note_internal": {"【内部】记录：%[1]s", "[Internal] Note: %[1]s"},
		"error.sign_own_text":    {"您修改过该报告的内容，不能签发自己写的文字，请由未参与修改的领导签发。", "You edited this report's text and may not sign what you wrote; another leader who did not edit it must sign."},
		"rc.editors":             {"修改人", "Edited by"},
		"inc.note_internal":      {"内部（不得写入对外报告）", "Internal (never written into outgoing reports)"},
	})
}
