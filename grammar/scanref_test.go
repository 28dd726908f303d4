package grammar

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// refLooksLikeIPHeader is looksLikeIPHeader as first written, searching
// backwards: the reference for the forward search.
func refLooksLikeIPHeader(line []byte) bool {
	t := bytes.TrimRight(line, " \t\r")
	if len(t) == 0 || t[len(t)-1] != ')' {
		return false
	}
	if tos := bytes.LastIndex(t, []byte("(tos ")); tos >= 0 && !bytes.Contains(t[tos:], []byte(" > ")) {
		return true
	}
	m := bytes.LastIndex(t, []byte("MPLS (label "))
	return m >= 0 && bytes.IndexByte(t[m:], ')') == len(t)-m-1
}

// TestScanHelpers holds looksLikeIPHeader and indexSpaced to their
// references on every line of the test data, and on each line cut at
// every byte (a cut puts the line's end, and its ')', anywhere).
func TestScanHelpers(t *testing.T) {
	var lines [][]byte
	filepath.Walk("../testdata", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Ext(path) != ".txt" || info.Size() > 1<<20 {
			return nil
		}
		data, _ := os.ReadFile(path)
		lines = append(lines, bytes.Split(data, []byte("\n"))...)
		return nil
	})
	extra := []string{
		"IP (tos 0x0, ttl 64) > x (tos 0x1)", "a > b (tos 0x0, ttl 1)", "(tos 0x0 > )", " > (tos )",
		"x  >  (tos 1)", "MPLS (label 1) (tos 1) > )", "a &gt; b", " &gt; ", ">", " >", "> ", " > ",
	}
	for _, e := range extra {
		lines = append(lines, []byte(e))
	}
	n := 0
	for _, l := range lines {
		for cut := len(l); cut >= 0 && cut > len(l)-200; cut-- {
			s := l[:cut]
			n++
			if got, want := looksLikeIPHeader(s), refLooksLikeIPHeader(s); got != want {
				t.Fatalf("looksLikeIPHeader(%q) = %v, want %v", s, got, want)
			}
			for _, sep := range []string{" > ", " &gt; "} {
				if got, want := indexSpaced(s, sep), bytes.Index(s, []byte(sep)); got != want {
					t.Fatalf("indexSpaced(%q, %q) = %d, want %d", s, sep, got, want)
				}
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d lines", n)
	}
}
