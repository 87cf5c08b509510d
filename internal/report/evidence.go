package report

import (
	"strconv"
	"strings"
)

// EvidenceLine is an item of the incident's evidence register as a report
// names it (issue 13): its number, what it is, a hash prefix that ties the
// text to the stored file, and who collected it.
type EvidenceLine struct {
	Number      string
	Description string
	SHA256      string // the first file's; "" for an item without files
	SealNumber  string
	CollectedBy string
}

// evidenceLine lists the register in the measures (四(二)3 收集、固定证据):
// "" when nothing is registered, so drafts without evidence read as before.
func evidenceLine(es []EvidenceLine) string {
	if len(es) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n固定证据" + strconv.Itoa(len(es)) + "件：")
	for i, e := range es {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(e.Number + " " + strings.TrimSuffix(e.Description, "。"))
		var tags []string
		if len(e.SHA256) >= 16 {
			tags = append(tags, "SHA-256 "+e.SHA256[:16]+"…")
		}
		if e.SealNumber != "" {
			tags = append(tags, "封存编号"+e.SealNumber)
		}
		if e.CollectedBy != "" {
			tags = append(tags, "提取人"+e.CollectedBy)
		}
		if len(tags) > 0 {
			b.WriteString("（" + strings.Join(tags, "，") + "）")
		}
	}
	b.WriteString("。")
	return b.String()
}
