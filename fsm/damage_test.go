package fsm

import (
	"path/filepath"
	"testing"
)

// TestDamagedTraces reads the copies of real traces that scripts/damage
// damaged the way pastes are (line numbers, quotes, prompts, comments,
// HTML entities and broken brackets, collapsed and no-break spaces, CRLF,
// hard wraps) and requires the events and states of the clean trace.
func TestDamagedTraces(t *testing.T) {
	cleans, _ := filepath.Glob("../testdata/damaged/*/clean.txt")
	if len(cleans) == 0 {
		t.Fatal("no damaged traces: run go run ./scripts/damage")
	}
	n := 0
	all, _ := filepath.Glob("../testdata/damaged/*/*.txt")
	sampled := sampleSet(t, "damaged copies", all, 5)
	for _, clean := range cleans {
		want, _ := analyseFile(t, clean)
		copies, _ := filepath.Glob(filepath.Join(filepath.Dir(clean), "*.txt"))
		for _, path := range copies {
			if path == clean || !sampled[path] {
				continue
			}
			got, _ := analyseFile(t, path)
			name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
			if len(got) != len(want) {
				t.Errorf("%s: %d TCP records, the clean trace has %d", name, len(got), len(want))
				continue
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s: packet %d: %v, clean: %v", name, i+1, got[i], want[i])
					break
				}
			}
			n++
		}
	}
	t.Logf("%d damaged copies annotated like their clean traces", n)
}
