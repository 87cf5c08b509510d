package evpack

import (
	"fmt"
	"strings"
)

// readme is README.txt: how to verify the package, in Chinese. It is not
// signed (it says nothing the manifest does not): Verify writes it again
// from the manifest and requires the package's to be the same bytes.
func readme(m *Manifest) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "电子证据导出包（格式 %s）\n\n", Format)
	fmt.Fprintf(&b, "导出单位：%s\n事件：%s %s\n导出时间（UTC）：%s\n导出人：%s\n证据 %d 项，文件 %d 个，审计记录 %d 条。\n\n",
		m.Installation, m.Incident.Number, m.Incident.Title, m.CreatedAt.Format("2006-01-02 15:04:05"), m.CreatedBy,
		len(m.Items), len(m.Files), len(m.Audit))
	b.WriteString(`包内文件
  manifest.json   清单：事件、证据项、保管记录、每个文件的大小与 SHA-256、SM3 值、相关审计记录（含哈希）及审计链锚点
  manifest.sig    导出单位用 Ed25519 私钥对 manifest.json 全部字节所作的签名（64 字节）
  public-key.pem  导出单位的公钥（用于核对签名；请与导出单位另行提供的公钥指纹比对）
  files/<SHA-256> 证据文件，以其 SHA-256 值命名；原文件名见清单中的 name 字段
  README.txt      本说明（不在签名范围内；校验程序按清单重新生成并逐字节比对）

一、用应急指挥系统离线校验（无需数据库）
  yingji evidence verify 本包.zip --key 导出单位公钥.pem
  不给 --key 时使用包内公钥，只能证明包在签名后未被改动，不能证明由谁签名。
  校验通过时退出码为 0；任何不符（签名、缺失文件、大小、SHA-256、SM3、审计记录哈希或链接）均逐项列出，退出码非 0。

二、用通用工具手工校验（OpenSSL 3）
  1. 解压本包。
  2. 核对签名：
     openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig
     输出 "Signature Verified Successfully" 即签名有效。
  3. 逐个核对文件哈希（与 manifest.json 中 files 的 sha256、sm3、size 比对）：
     sha256sum files/*
     openssl dgst -sm3 files/*
  4. 审计记录的哈希按 yingji-audit-v1/v2 规范编码计算（见系统文档 docs/capture.md），
     建议用第一种方法校验；锚点（anchor）应与导出单位另行保存的审计锚点一致。
`)
	return []byte(strings.ReplaceAll(b.String(), "\n", "\r\n"))
}
