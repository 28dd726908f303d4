package grammar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// benchInput is a deterministic, realistic trace: 200 interleaved
// connections captured on loopback and rendered by `tcpdump -nn -S`, or,
// when that capture is absent, a synthetic session repeated to 2,000 lines.
func benchInput(tb testing.TB) []byte {
	tb.Helper()
	if data, err := os.ReadFile(filepath.Join(capturesDir, "interleaved-200", "nn+S.txt")); err == nil {
		return data
	}
	data, err := os.ReadFile(filepath.Join(corpusDir, "rendered", "synth-ipv4-session.nn+S.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []byte
	for n := 0; n < 2000; n += bytes.Count(data, []byte("\n")) {
		out = append(out, data...)
	}
	return out
}

// benchLines splits benchInput into lines.
func benchLines(tb testing.TB) [][]byte {
	data := bytes.TrimSuffix(benchInput(tb), []byte("\n"))
	return bytes.Split(data, []byte("\n"))
}

// BenchmarkFastPath: one line per op through the hand-written scanner.
func BenchmarkFastPath(b *testing.B) {
	lines := benchLines(b)
	var p Packet
	taken := 0
	for _, l := range lines {
		if fastParse(l, &p) {
			taken++
		}
	}
	if taken != len(lines) {
		b.Logf("fast path takes %d of %d lines", taken, len(lines))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fastParse(lines[i%len(lines)], &p)
	}
}

// BenchmarkGrammar: one line per op through the participle grammar.
func BenchmarkGrammar(b *testing.B) {
	lines := benchLines(b)
	var p Packet
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fromGrammar(lines[i%len(lines)], &p)
	}
}

// BenchmarkParse: one line per op through Parser.Parse (fast path first,
// then the grammar).
func BenchmarkParse(b *testing.B) {
	lines := benchLines(b)
	var ps Parser
	var p Packet
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ps.Parse(lines[i%len(lines)], &p)
	}
}

// BenchmarkScanner: the whole input per op, read from memory into records;
// ns/line is the figure to hold against tcpdump's ~1 µs a line.
func BenchmarkScanner(b *testing.B) {
	data := benchInput(b)
	nlines := bytes.Count(data, []byte("\n"))
	r := bytes.NewReader(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Reset(data)
		s := NewScanner(r)
		n := 0
		for s.Scan() {
			if s.Record().Kind == TCP {
				n++
			}
		}
		if n != nlines {
			b.Fatalf("%d TCP records of %d lines", n, nlines)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(nlines), "ns/line")
}
