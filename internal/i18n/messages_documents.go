package i18n

// Messages of the official documents' marking (issue 15): 份号, 密级和保密期限,
// 紧急程度 (GB/T 9704-2012 7.2.1–7.2.3).
func init() {
	Register(map[string][2]string{
		"rc.field.copy_no":           {"份号", "Copy number"},
		"rc.field.secrecy":           {"密级", "Secrecy level"},
		"rc.field.secrecy_term":      {"保密期限", "Secrecy term"},
		"rc.field.urgency":           {"紧急程度", "Urgency"},
		"error.report_classified":    {"本报告标注“%s”，只有起草人、签发人、领导小组组长和副组长以及上级分管领导可以下载。", "This report is marked %s: only those who wrote it, its signer, the leading group's leader and deputy and the superior's leaders may download it."},
		"rc.marking":                 {"标志", "Marking"},
		"rc.marking_none":            {"无", "None"},
		"error.marking_copy_no":      {"份号须为6位阿拉伯数字，如000012。", "The copy number must be six digits, such as 000012."},
		"error.marking_secrecy":      {"密级须为秘密、机密或绝密，不定密的留空。", "The secrecy level must be 秘密, 机密 or 绝密, or empty."},
		"error.marking_secrecy_term": {"保密期限须写作“1年”“6个月”或“长期”，并须同时标注密级。", "The secrecy term must read like 1年, 6个月 or 长期, with a secrecy level."},
		"error.marking_urgency":      {"紧急程度须为特急或加急，不紧急的留空。", "The urgency must be 特急 or 加急, or empty."},
	})
}
