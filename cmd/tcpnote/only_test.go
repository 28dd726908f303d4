package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNothingLostBriefAndOnly: the text invariant (every input line comes
// out unchanged, in order) holds for the brief default, --full, --only
// notable and --only anomalies, on every render of every capture (-v, -vv,
// relative, -q, the timestamp forms …) and the seeds, with notes inline
// too; and --only writes no more notes than the default, anomalies no more
// than notable.
func TestNothingLostBriefAndOnly(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/captures/*/*.txt")
	seeds, _ := filepath.Glob("../../testdata/corpus/seeds/*.txt")
	files = append(files, seeds...)
	if len(files) < 100 {
		t.Fatalf("only %d inputs", len(files))
	}
	notes := func(b []byte) int { return bytes.Count(b, []byte("┆")) }
	for i, f := range files {
		// the default tier reads every third input (and every seed and
		// nn+S render); TCPNOTE_EXHAUSTIVE=1 reads them all
		if !exhaustive() && i%3 != 0 && !strings.Contains(f, "seeds") && !strings.HasSuffix(f, "nn+S.txt") {
			continue
		}
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var counts []int
		for _, args := range [][]string{{"-v"}, {"-v", "--only", "notable"}, {"-v", "--only", "anomalies"}} {
			out, _ := annotateBytes(t, in, args...)
			checkNothingLost(t, in, out)
			counts = append(counts, notes(out))
		}
		if !(counts[0] >= counts[1] && counts[1] >= counts[2]) {
			t.Errorf("%s: notes default %d, notable %d, anomalies %d", f, counts[0], counts[1], counts[2])
		}
		for _, args := range [][]string{{"--full", "--inline"}, {"--only", "notable", "--inline", "--summary"}} {
			out, _ := annotateBytes(t, in, args...)
			checkNothingLost(t, in, cutInline(out))
		}
	}
}

// cutInline removes the notes --inline appends to the lines (input lines
// that hold the inline marker themselves are rare in the captures: none).
func cutInline(b []byte) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	var out []byte
	for _, l := range lines {
		// (a note line of its own, a summary, stays for withoutNotes)
		if i := bytes.Index(l, []byte("  ┆ ")); i > 0 && !bytes.HasPrefix(bytes.TrimLeft(l, "> "), []byte("┆")) {
			eol := l[len(bytes.TrimRight(l, "\r\n")):]
			l = append(l[:i:i], eol...)
		}
		out = append(out, l...)
	}
	return out
}
