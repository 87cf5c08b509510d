package event

import (
	"testing"

	"yingji/internal/i18n"
)

// BenchmarkDecodeText: one stored entry decoded and rendered, averaged
// over the golden's cases (every kind), as the timeline pages do per row.
func BenchmarkDecodeText(b *testing.B) {
	cs := loadGolden(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cs[i%len(cs)]
		Decode(c.Kind, c.Data).Text(i18n.ZH)
	}
}

// BenchmarkData: one typed event turned into the data the timeline stores.
func BenchmarkData(b *testing.B) {
	ev := TaskUpdated{Title: "固定证据", From: "todo", To: "doing", Note: "已处理"}
	for i := 0; i < b.N; i++ {
		Data(ev)
	}
}
