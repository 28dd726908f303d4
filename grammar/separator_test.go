package grammar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// findSeparatorBytewise is findSeparator as it was before it jumped from
// '>' to '>': the definition the faster one must keep.
func findSeparatorBytewise(raw []byte) (int, int) {
	for i := 1; i+2 < len(raw); i++ {
		if raw[i-1] != ' ' {
			continue
		}
		switch {
		case raw[i] == '>' && raw[i+1] == ' ':
			return i - 1, 3
		case bytes.HasPrefix(raw[i:], []byte("&gt; ")):
			return i - 1, 6
		}
	}
	return -1, 0
}

// TestFindSeparatorMatchesBytewise compares the two on every string of up
// to six pieces from the pieces a separator is made of (and near misses),
// and on every line of the shipped renders.
func TestFindSeparatorMatchesBytewise(t *testing.T) {
	pieces := []string{" ", ">", "&gt;", "&gt; ", "x", "&", " > ", "\t"}
	check := func(s []byte) {
		a, aw := findSeparator(s)
		b, bw := findSeparatorBytewise(s)
		if a != b || aw != bw {
			t.Fatalf("findSeparator(%q) = %d, %d; bytewise %d, %d", s, a, aw, b, bw)
		}
	}
	var gen func(prefix []byte, depth int)
	gen = func(prefix []byte, depth int) {
		check(prefix)
		if depth == 0 {
			return
		}
		for _, p := range pieces {
			gen(append(prefix[:len(prefix):len(prefix)], p...), depth-1)
		}
	}
	gen(nil, 6)
	files, _ := filepath.Glob("../testdata/captures/*/*.txt")
	if len(files) == 0 {
		t.Fatal("no renders under testdata/captures")
	}
	lines := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.Split(data, []byte("\n")) {
			check(l)
			lines++
		}
	}
	t.Logf("%d generated strings and %d render lines agree", 1+8+64+512+4096+32768+262144, lines)
}
