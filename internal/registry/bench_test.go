package registry

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkReadXLSX reads a workbook of 50,000 units and 50,000 websites.
func BenchmarkReadXLSX(b *testing.B) {
	units := make([]*Unit, 50_000)
	sites := make([]*Website, 50_000)
	for i := range units {
		units[i] = &Unit{Name: fmt.Sprintf("青神县第%d号联网单位有限公司", i), Kind: "企业", CreditCode: CreditCodeFor(i), Region: "青神县",
			Address: fmt.Sprintf("青城镇建设路%d号", i), ContactName: "联系人", ContactPhone: "0833-1234567", ContactEmail: "a@b.cn"}
		sites[i] = &Website{Name: "网站", Domain: fmt.Sprintf("www.unit%d.cn", i), UnitCode: units[i].CreditCode, ICP: "川ICP备12345678号-1"}
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, units, sites); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		u, s, err := ReadXLSX(bytes.NewReader(buf.Bytes()), true, true)
		if err != nil || len(u.Rows) != 50_000 || len(s.Rows) != 50_000 {
			b.Fatal(err)
		}
	}
}
