package main

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// benchInput is a real capture's text repeated: 200 interleaved
// connections, 2000 packets a copy.
func benchInput(b *testing.B, copies int) []byte {
	data, err := os.ReadFile("../../testdata/captures/interleaved-200/nn+S.txt")
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(data, copies)
}

func benchPipeline(b *testing.B, args ...string) {
	in := benchInput(b, 10)
	lines := bytes.Count(in, []byte("\n"))
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(append(args, "--color", "never"), bytes.NewReader(in), io.Discard, io.Discard, func(string) string { return "" })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}

// BenchmarkPipelineText is the whole of tcpnote with the default output.
func BenchmarkPipelineText(b *testing.B) { benchPipeline(b) }

// BenchmarkPipelineJSON is the whole of tcpnote with --format json.
func BenchmarkPipelineJSON(b *testing.B) { benchPipeline(b, "--format", "json") }
