package grammar

import (
	"bytes"
	"os"
	"testing"
)

// TestLastIndex checks lastIndex against bytes.LastIndex, overlapping
// and repeated separators included.
func TestLastIndex(t *testing.T) {
	for _, c := range []struct{ s, sep string }{
		{"", " > "}, {" > ", " > "}, {"a > b > c", " > "}, {"a >> b", " > "}, {"  >  > ", " > "},
		{"IP (tos 0x0, ttl 64)", "(tos "}, {"(tos (tos ", "(tos "}, {"(to", "(tos "}, {"((tos", "(tos "},
		{"aaa", "aa"}, {"MPLS (label 1) MPLS (label 2)", "MPLS (label "},
	} {
		if got, want := lastIndex([]byte(c.s), c.sep), bytes.LastIndex([]byte(c.s), []byte(c.sep)); got != want {
			t.Errorf("lastIndex(%q, %q) = %d, want %d", c.s, c.sep, got, want)
		}
	}
}

// TestScannerKeepsFewBuffers reads 10,000 two-line -v records: the line
// buffers kept for reuse stay a handful, instead of growing by one a
// record (each join used to take a fresh buffer and keep the old one).
func TestScannerKeepsFewBuffers(t *testing.T) {
	data, err := os.ReadFile("../testdata/captures/interleaved-200/nn+S+v.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := NewScanner(bytes.NewReader(bytes.Repeat(data, 5)))
	n := 0
	for s.Scan() {
		if s.Record().Kind == TCP {
			n++
		}
	}
	if n != 10000 {
		t.Fatalf("%d segments, want 10000", n)
	}
	if len(s.spare) > 8 {
		t.Errorf("%d spare buffers after %d joined records, want at most 8", len(s.spare), n)
	}
}
