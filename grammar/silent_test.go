package grammar

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// segmentLike is the test's own idea of a line that looks like a TCP
// segment, written apart from Diagnose: an endpoint pair, then TCP words
// (the modern Flags, seq/ack/win with a number, a classic range, a flag
// spelled as a word), and no other protocol named after the pair.
var (
	segmentLike = regexp.MustCompile(`\S (?:>|&gt;) \S+:.*(?:Flags \[|\b(?:seq|ack|win) \d|\d:\d+\(\d+\)|\[(?:SYN|ACK|FIN|RST|PSH)\b)`)
	otherProto  = regexp.MustCompile(`: (?:GRE|UDP|ICMP|VXLAN|Geneve|MPLS|ARP)`)
)

// TestNothingSilent reads the traces in testdata (the captures' renders,
// the corpus, the damaged copies; a sample in the default tier) and requires that each line that looks
// like a TCP segment is part of a TCP record or of a record marked
// unreadable: none is skipped without a word. It logs how many of each.
func TestNothingSilent(t *testing.T) {
	var files []string
	for _, dir := range []string{"../testdata/captures", "../testdata/corpus", "../testdata/damaged", "../testdata/wrap"} {
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(p, ".txt") {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) < 100 {
		t.Fatalf("only %d traces found", len(files))
	}
	files = sample(t, "traces", files, 4)
	var read, unread, silent int
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		covered := map[int]bool{}
		s := NewScanner(f)
		for s.Scan() {
			r := s.Record()
			if r.Kind != TCP && !r.Unread.Present() {
				continue
			}
			for i := 0; i <= bytes.Count(r.Raw, []byte("\n")); i++ {
				covered[r.Line+i] = true
			}
		}
		f.Close()
		data, _ := os.ReadFile(path)
		for i, l := range strings.Split(string(data), "\n") {
			if !segmentLike.MatchString(l) || otherProto.MatchString(l) {
				continue
			}
			if !covered[i+1] {
				silent++
				if silent <= 20 {
					t.Errorf("%s:%d: looks like a TCP segment, but is neither read nor marked unreadable: %q", path, i+1, l)
				}
			}
		}
		// the counts, by record
		f, _ = os.Open(path)
		s = NewScanner(f)
		for s.Scan() {
			switch r := s.Record(); {
			case r.Kind == TCP:
				read++
			case r.Unread.Present():
				unread++
			}
		}
		f.Close()
	}
	t.Logf("%d traces: %d TCP records read, %d lines that look like segments marked trace.unreadable, %d silent", len(files), read, unread, silent)
}
