package audit

import (
	"sync"
	"testing"
)

const benchRecords = 1_000_000

var (
	benchOnce  sync.Once
	benchChain []Record
)

// chain1M is built once per test binary, outside any timed region.
func chain1M() []Record {
	benchOnce.Do(func() { benchChain = buildChain(benchRecords) })
	return benchChain
}

func BenchmarkVerify(b *testing.B) {
	rs := chain1M()
	head := &rs[len(rs)-1]
	b.ReportAllocs()
	b.ResetTimer()
	runs := 0
	for b.Loop() {
		var v Verifier
		for i := range rs {
			if err := v.Add(&rs[i]); err != nil {
				b.Fatal(err)
			}
		}
		if err := v.Finish(head.Seq, head.Hash); err != nil {
			b.Fatal(err)
		}
		runs++
	}
	b.ReportMetric(float64(runs*len(rs))/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkSeal(b *testing.B) {
	prev := Record{Seq: 41, Hash: "1cd44f6bc540fdbc29defbe3b8fdc85acc1be69bed00b50401af0c9492c3cd60"}
	tmpl := buildChain(1)[0]
	tmpl.Seq = 0
	b.ReportAllocs()
	for b.Loop() {
		r := tmpl
		Seal(&r, &prev)
	}
}
