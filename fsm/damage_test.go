package fsm

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// TestDamagedTraces reads the copies of real traces that scripts/damage
// damaged the way pastes are (line numbers, quotes, prompts, comments,
// HTML entities and broken brackets, collapsed and no-break spaces, CRLF,
// hard wraps, e-mail quoting with wraps and quoted-printable soft breaks,
// placeholder hosts, flags spelled as words, flattened lines, interface
// prefixes) and requires the events and states of the clean trace. A copy
// named unpaired-* lost the pairing of its times with its segments: it
// must give the clean trace's segments, each marked as unpaired.
func TestDamagedTraces(t *testing.T) {
	cleans, _ := filepath.Glob("../testdata/damaged/*/clean.txt")
	if len(cleans) == 0 {
		t.Fatal("no damaged traces: run go run ./scripts/damage")
	}
	n, unpaired := 0, 0
	all, _ := filepath.Glob("../testdata/damaged/*/*.txt")
	sampled := sampleSet(t, "damaged copies", all, 5, "/unpaired-")
	for _, clean := range cleans {
		want, _ := analyseFile(t, clean)
		wantSegs, _, _ := segmentsFile(t, clean)
		copies, _ := filepath.Glob(filepath.Join(filepath.Dir(clean), "*.txt"))
		for _, path := range copies {
			if path == clean || !sampled[path] {
				continue
			}
			name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
			if strings.HasPrefix(filepath.Base(path), "unpaired-") {
				got, parts, marked := segmentsFile(t, path)
				if !equalLists(t, name, got, wantSegs) {
					continue
				}
				if parts == 0 || marked != parts {
					t.Errorf("%s: %d of the %d segments on flattened lines say their times could not be paired", name, marked, parts)
				}
				unpaired++
				continue
			}
			got, _ := analyseFile(t, path)
			if len(got) != len(want) {
				t.Errorf("%s: %d TCP records, the clean trace has %d", name, len(got), len(want))
				continue
			}
			for i := range got {
				// A hard wrap of a -v packet over five lines loses the
				// first line (its time) from the record: the timing is
				// compared between renders, not here (known before issue 22).
				got[i].timing, want[i].timing = "", ""
				if got[i] != want[i] {
					t.Errorf("%s: packet %d: %v, clean: %v", name, i+1, got[i], want[i])
					break
				}
			}
			n++
		}
	}
	t.Logf("%d damaged copies annotated like their clean traces; %d with unpaired times give the same segments", n, unpaired)
}

// segmentsFile lists the TCP segments of a trace by their flags and
// numbers, and counts those on flattened lines, and those of them marked
// as having times that could not be paired.
func segmentsFile(t testing.TB, path string) (segs []string, parts, unpaired int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := grammar.NewScanner(f)
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		p := &r.Packet
		segs = append(segs, fmt.Sprintf("%v seq %d:%d ack %d win %d len %d", p.Flags.Names(), p.Seq, p.SeqEnd, p.Ack, p.Win, p.Len))
		if r.Parts > 0 {
			parts++
		}
		if r.Unpaired {
			unpaired++
		}
	}
	return segs, parts, unpaired
}

func equalLists(t *testing.T, name string, got, want []string) bool {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d TCP records, the clean trace has %d", name, len(got), len(want))
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: segment %d: %s, clean: %s", name, i+1, got[i], want[i])
			return false
		}
	}
	return true
}
