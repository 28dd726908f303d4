package grammar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// renderShapes names, for each render the fast path takes, files of real
// tcpdump output in that render: the loopback captures (tcpdump 4.99.3) and
// the corpus, including tcpdump 3.x's classic lines.
var renderShapes = []struct {
	name  string
	files []string
}{
	{"nn", []string{"captures/*/nn.txt"}},
	{"nn-S", []string{"captures/*/nn+S.txt"}},
	{"names", []string{"captures/*/default.txt"}},
	{"q", []string{"captures/*/nn+q.txt"}},
	{"tttt", []string{"captures/*/nn+S+tttt.txt"}},
	{"ttt", []string{"captures/*/nn+S+ttt.txt"}},
	{"number", []string{"captures/*/nn+S+number.txt"}},
	{"v", []string{"captures/*/nn+S+v.txt"}},
	{"vv", []string{"captures/*/nn+S+vv.txt"}},
	{"v-ipv6", []string{"captures/ipv6/nn+S+v.txt"}},
	{"e", []string{"captures/*/nn+S+e.txt"}},
	{"e-vlan", []string{"corpus/rendered/synth-vlan.nn+e.txt"}},
	{"e-sll2", []string{"corpus/rendered/synth-sll2.nn+e.txt"}},
	{"x", []string{"captures/*/nn+S+x.txt"}},
	{"X", []string{"captures/*/nn+S+X.txt"}},
	{"A", []string{"captures/*/nn+S+A.txt"}},
	{"classic-3.9", []string{"corpus/rendered-versions/tcpdump-3.9.8/*.n.txt", "corpus/rendered-versions/tcpdump-3.9.8/*.n+S.txt"}},
	{"classic-3.7", []string{"corpus/rendered-versions/tcpdump-3.7.2/*.n.txt", "corpus/rendered-versions/tcpdump-3.7.2/*.n+S.txt"}},
}

// shapeRecords reads a shape's files into records as the Scanner forms
// them (a -v IPv4 packet is one record of two lines) and splits them into
// the TCP records the fast path takes and every other record (dump lines,
// banners, and TCP lines the fast path leaves to the grammar).
func shapeRecords(tb testing.TB, globs []string) (fast, other [][]byte) {
	tb.Helper()
	var p Packet
	for _, g := range globs {
		paths, _ := filepath.Glob(filepath.Join("../testdata", g))
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				tb.Fatal(err)
			}
			s := NewScanner(bytes.NewReader(data))
			for s.Scan() {
				raw := append([]byte(nil), s.Record().Raw...)
				if s.Record().Kind == TCP && fastParse(raw, &p) {
					fast = append(fast, raw)
				} else {
					other = append(other, raw)
				}
			}
		}
	}
	if len(fast) == 0 {
		tb.Fatalf("%v: no record the fast path takes", globs)
	}
	return fast, other
}

// BenchmarkFastShapes: one record per op through the fast path, per render
// shape, over the records of that render it takes (the share it takes of
// the TCP records is TestFastMatchesGrammar's figure).
func BenchmarkFastShapes(b *testing.B) {
	for _, sh := range renderShapes {
		b.Run(sh.name, func(b *testing.B) {
			recs, _ := shapeRecords(b, sh.files)
			var p Packet
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if !fastParse(recs[i%len(recs)], &p) {
					b.Fatal("declined")
				}
			}
		})
	}
}

// BenchmarkParseOther: one record per op through Parser.Parse, per render
// shape, over the records the fast path does not take: -x/-X/-A dump
// lines and -v header lines are refused by noPair without the grammar;
// what remains pays for participle.
func BenchmarkParseOther(b *testing.B) {
	for _, sh := range renderShapes {
		_, other := shapeRecords(b, sh.files)
		if len(other) == 0 {
			continue
		}
		b.Run(sh.name, func(b *testing.B) {
			var ps Parser
			var p Packet
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ps.Parse(other[i%len(other)], &p)
			}
		})
	}
}

// TestFastShapesAllocs: the fast path allocates nothing on any render
// shape it takes, once a Packet's Options have grown.
func TestFastShapesAllocs(t *testing.T) {
	for _, sh := range renderShapes {
		recs, _ := shapeRecords(t, sh.files)
		var p Packet
		for _, r := range recs {
			fastParse(r, &p)
		}
		allocs := testing.AllocsPerRun(5, func() {
			for _, r := range recs {
				fastParse(r, &p)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per pass over %d records, want 0", sh.name, allocs, len(recs))
		}
	}
}
