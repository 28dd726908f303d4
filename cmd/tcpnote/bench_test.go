package main

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// benchInput is a real capture's text repeated: 200 interleaved
// connections, 2000 packets a copy, in the render named (a file of
// testdata/captures/interleaved-200).
func benchInput(b *testing.B, render string, copies int) []byte {
	data, err := os.ReadFile("../../testdata/captures/interleaved-200/" + render + ".txt")
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(data, copies)
}

func benchPipeline(b *testing.B, render string, args ...string) {
	in := benchInput(b, render, 10)
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
func BenchmarkPipelineText(b *testing.B) { benchPipeline(b, "nn+S") }

// BenchmarkPipelineJSON is the whole of tcpnote with --format json.
func BenchmarkPipelineJSON(b *testing.B) { benchPipeline(b, "nn+S", "--format", "json") }

// BenchmarkPipelineTextV is the default output of a -nn -S -v render (two
// lines a packet).
func BenchmarkPipelineTextV(b *testing.B) { benchPipeline(b, "nn+S+v") }

// BenchmarkPipelineJSONV is --format json of a -nn -S -v render.
func BenchmarkPipelineJSONV(b *testing.B) { benchPipeline(b, "nn+S+v", "--format", "json") }
