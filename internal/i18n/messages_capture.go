package i18n

// Messages of `yingji evidence verify` (internal/evpack). Each problem
// message takes the same arguments: %[1]s the ZIP entry, %[2]s the file's
// display name or the item's number, %[3]d the audit record, %[4]s what was
// found.
func init() {
	Register(map[string][2]string{
		"evpack.usage": {"用法：yingji evidence verify 证据包.zip [--key 公钥.pem]",
			"usage: yingji evidence verify PACKAGE.zip [--key PUBLIC.pem]"},
		"evpack.not_package": {"无法读取证据包：%s", "cannot read the evidence package: %s"},
		"evpack.bad_key":     {"无法读取可信公钥 %s：%s", "cannot read the trusted key %s: %s"},
		"evpack.summary": {"事件%s“%s”，由%s（%s）于 %s 导出；证据 %d 项，文件 %d 个，审计记录 %d 条。",
			"Incident %s %q, exported by %[3]s (%[4]s) at %[5]s; %[6]d items, %[7]d files, %[8]d audit records."},
		"evpack.key_package": {"未指定可信公钥（--key），已用包内公钥核对签名（公钥 SHA-256 指纹 %s）。这只能证明证据包签名后未被改动，不能证明由谁导出，请向导出单位核对该指纹。",
			"No trusted key given (--key): the signature was checked with the package's own key (SHA-256 fingerprint %s). This proves the package unchanged since it was signed, not who signed it; check the fingerprint with the exporting unit."},
		"evpack.key_trusted": {"签名已用可信公钥核对（公钥 SHA-256 指纹 %s）。", "Signature checked with the trusted key (SHA-256 fingerprint %s)."},
		"evpack.anchor":      {"审计链锚点 %d:%s，请与导出单位另行保存的锚点核对。", "Audit chain anchor %d:%s; compare it with the anchor the exporting unit kept."},
		"evpack.ok": {"校验通过：签名有效，%d 个文件（%.1f MB）的大小、SHA-256、SM3 均相符，%d 条审计记录哈希与链接均相符。",
			"Verified: the signature is valid; %d files (%.1f MB) match in size, SHA-256 and SM3; %d audit records match their hashes and links."},
		"evpack.bad":               {"校验未通过：发现 %d 处不符（共检查文件 %d 个、审计记录 %d 条）：", "NOT verified: %d problems (%d files and %d audit records checked):"},
		"evpack.problem.signature": {"签名不符：%[1]s 签名后被改动过，或不是由该公钥签名。", "Bad signature: %[1]s was changed after signing, or not signed by this key."},
		"evpack.problem.key":       {"公钥问题（%[1]s）：%[4]s", "Key problem (%[1]s): %[4]s"},
		"evpack.problem.manifest":  {"清单问题（%[1]s %[2]s）：%[4]s", "Manifest problem (%[1]s %[2]s): %[4]s"},
		"evpack.problem.missing":   {"缺少文件：%[1]s（%[2]s）", "Missing file: %[1]s (%[2]s)"},
		"evpack.problem.extra":     {"清单未列出的多余文件：%[1]s", "File not in the manifest: %[1]s"},
		"evpack.problem.duplicate": {"同名文件出现多次：%[1]s", "Entry present more than once: %[1]s"},
		"evpack.problem.size":      {"文件大小不符：%[1]s（%[2]s）：%[4]s", "Size differs: %[1]s (%[2]s): %[4]s"},
		"evpack.problem.sha256":    {"SHA-256 不符：%[1]s（%[2]s），实际为 %[4]s", "SHA-256 differs: %[1]s (%[2]s), found %[4]s"},
		"evpack.problem.sm3":       {"SM3 不符：%[1]s（%[2]s），实际为 %[4]s", "SM3 differs: %[1]s (%[2]s), found %[4]s"},
		"evpack.problem.read":      {"文件无法完整读取：%[1]s（%[2]s）：%[4]s", "File cannot be read whole: %[1]s (%[2]s): %[4]s"},
		"evpack.problem.audit_hash": {"审计记录 #%[3]d 的哈希不符：记录内容被改动过（重新计算为 %[4]s）。",
			"Audit record #%[3]d: hash differs, the record was changed (recomputed %[4]s)."},
		"evpack.problem.audit_link": {"审计记录 #%[3]d 与前一条记录的链接断开：%[4]s", "Audit record #%[3]d: broken link to the record before it: %[4]s"},
		"evpack.problem.zip":        {"压缩包内容与导出时的格式不符（%[1]s）：%[4]s", "The package's bytes are not as exported (%[1]s): %[4]s"},
		"evpack.problem.timestamp":  {"时间戳不符（%[1]s）：%[4]s", "Time-stamp problem (%[1]s): %[4]s"},
		"evpack.timestamp": {"时间戳：%s 的哈希已于 %s 由 %s 盖戳（签发者 %s；是否可信请自行核对该时间戳机构）。",
			"Time-stamp: the hash of %s was stamped at %s by %s (issuer %s; whether that authority is trusted is for you to check)."},
		"evpack.problem.anchor": {"审计链锚点与记录 #%[3]d 不符：%[4]s", "The anchor contradicts record #%[3]d: %[4]s"},
	})
}
