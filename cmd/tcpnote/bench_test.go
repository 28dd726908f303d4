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

// BenchmarkPipelineRender runs the whole of tcpnote on the file named by
// TCPNOTE_BENCH_RENDER (a tcpdump render, e.g. one bench.sh keeps in
// /tmp/tcpnote-bench), in the format TCPNOTE_BENCH_FORMAT (text when
// unset), and reports ns/line: how the stages share the cores
// (GOMAXPROCS) on a real render, without process start-up. Skipped when
// the variable is unset.
func BenchmarkPipelineRender(b *testing.B) {
	in := benchRender(b)
	args := []string{"--color", "never"}
	if f := os.Getenv("TCPNOTE_BENCH_FORMAT"); f != "" {
		args = append(args, "--format", f)
	}
	lines := bytes.Count(in, []byte("\n"))
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(args, bytes.NewReader(in), io.Discard, io.Discard, func(string) string { return "" })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}

// benchRender reads the render TCPNOTE_BENCH_RENDER names, or skips the
// benchmark when it names none.
func benchRender(b *testing.B) []byte {
	path := os.Getenv("TCPNOTE_BENCH_RENDER")
	if path == "" {
		b.Skip("TCPNOTE_BENCH_RENDER names no render")
	}
	in, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return in
}

// BenchmarkPipelineStages is BenchmarkPipelineRender (the render
// TCPNOTE_BENCH_RENDER names, else the interleaved capture ten times)
// that also reports how long each stage of the streaming formats was
// busy, a line: the run's time less the time the stage waited for a
// batch or for room to pass one on (stageIdle). On two cores the stage
// whose busy time is nearest the run's bounds the wall clock.
func BenchmarkPipelineStages(b *testing.B) {
	var in []byte
	if os.Getenv("TCPNOTE_BENCH_RENDER") != "" {
		in = benchRender(b)
	} else {
		in = benchInput(b, 10)
	}
	args := []string{"--color", "never"}
	if f := os.Getenv("TCPNOTE_BENCH_FORMAT"); f != "" {
		args = append(args, "--format", f)
	}
	lines := float64(bytes.Count(in, []byte("\n")))
	var idle stageWaits
	stageIdle = &idle
	defer func() { stageIdle = nil }()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(args, bytes.NewReader(in), io.Discard, io.Discard, func(string) string { return "" })
	}
	b.StopTimer()
	all := float64(b.Elapsed().Nanoseconds())
	n := float64(b.N) * lines
	b.ReportMetric(all/n, "ns/line")
	for stage, name := range [...]string{waitRead: "read", waitTrack: "track", waitWrite: "write"} {
		b.ReportMetric((all-float64(idle[stage].Nanoseconds()))/n, name+"-busy-ns/line")
	}
}
