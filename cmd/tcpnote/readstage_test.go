package main

import (
	"bytes"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// BenchmarkReadStage runs the reader stage alone, on one goroutine: the
// Scanner's records copied into batches as recordReader.run does, with
// no channels, on the render named by TCPNOTE_BENCH_RENDER (skipped when
// unset). One op reads the whole render: under callgrind the difference
// between two -test.benchtime counts is the stage's instructions.
func BenchmarkReadStage(b *testing.B) {
	in := benchRender(b)
	lines := bytes.Count(in, []byte("\n"))
	r := bytes.NewReader(in)
	bt := &batch{}
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Reset(in)
		s := grammar.NewScanner(r)
		for bt.scan(s) {
			if len(bt.recs) >= batchSize || len(bt.raw) >= batchBytes {
				bt.reset()
			}
		}
		bt.reset()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
