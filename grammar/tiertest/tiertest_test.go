package tiertest

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSampleRule checks the default tier's sampling rule: the same files
// whatever order they are listed in, at least one per directory, every
// position within a directory across directories, the named ones always,
// and about one in every n.
func TestSampleRule(t *testing.T) {
	if Exhaustive() {
		t.Skip("the exhaustive tier does not sample")
	}
	var paths []string
	for d := 0; d < 6; d++ {
		for f := 0; f < 7; f++ {
			paths = append(paths, fmt.Sprintf("dir%d/render%d.txt", d, f))
		}
	}
	paths = append(paths, "lone/only.txt")
	got := Sample(t, "test paths", paths, 3, "dir5/render1.txt")
	reversed := append([]string(nil), paths...)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	if again := Sample(t, "test paths", reversed, 3, "dir5/render1.txt"); !reflect.DeepEqual(again, got) {
		t.Errorf("order changes the sample:\n%v\n%v", got, again)
	}
	dirs, positions := map[string]bool{}, map[string]bool{}
	named := false
	for _, p := range got {
		dirs[filepath.Dir(p)] = true
		positions[strings.TrimPrefix(filepath.Base(p), "render")] = true
		named = named || p == "dir5/render1.txt"
	}
	if len(dirs) != 7 {
		t.Errorf("%d of 7 directories sampled: %v", len(dirs), got)
	}
	if len(positions) < 7 {
		t.Errorf("positions %v: every render should be sampled in some directory", positions)
	}
	if !named {
		t.Errorf("dir5/render1.txt was named but not sampled")
	}
	if len(got) < 6*7/3 || len(got) > 6*7/3+6 {
		t.Errorf("%d of %d sampled, want about a third", len(got), len(paths))
	}
}
