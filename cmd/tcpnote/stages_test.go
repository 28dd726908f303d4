package main

import (
	"bytes"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestStagesMatchOneGoroutine: the streaming formats, tracked and written
// on goroutines of their own with copied Results and connection snapshots
// (track.go), write byte for byte what tracking and writing on one
// goroutine writes, on the repo's captures: a Result or a connection
// field read after the tracker moved on would show here (and, under
// -race, as a race).
func TestStagesMatchOneGoroutine(t *testing.T) {
	var inputs []string
	err := filepath.WalkDir("../../testdata/captures", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txt") {
			inputs = append(inputs, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 100 {
		t.Fatalf("only %d captures found", len(inputs))
	}
	step := 3 // the default tier: every third capture
	if exhaustive() {
		step = 1
	}
	flagSets := [][]string{
		{"--color", "never"},
		{"--format", "json", "--summary"},
		{"--full", "--summary", "--stats", "--color", "never"},
	}
	render := func(path string, args []string, one bool) string {
		oneGoroutine = one
		defer func() { oneGoroutine = false }()
		var out bytes.Buffer
		run(append(append([]string{}, args...), path), nil, &out, io.Discard, func(string) string { return "" })
		return out.String()
	}
	checked := 0
	for i := 0; i < len(inputs); i += step {
		path := inputs[i]
		args := flagSets[i/step%len(flagSets)]
		stages, one := render(path, args, false), render(path, args, true)
		if stages != one {
			t.Errorf("%s %v: the stages write\n%s\none goroutine writes\n%s", path, args, firstDiff(stages, one), firstDiff(one, stages))
		}
		checked++
	}
	t.Logf("%d captures compared", checked)
}

// TestSnapshotSlotsNotKept: every format writes the same with the batch's
// snapshot slots poisoned as they are freed (track.go): no writer keeps a
// Result's Conn past the batch it came in.
func TestSnapshotSlotsNotKept(t *testing.T) {
	var inputs []string
	for _, dir := range []string{"three-way-close", "interleaved-200", "simultaneous-close", "loss-sack", "abort-linger0"} {
		inputs = append(inputs, filepath.Join("../../testdata/captures", dir, "nn.txt"))
	}
	render := func(path string, args []string, poison bool) string {
		poisonSlots = poison
		defer func() { poisonSlots = false }()
		var out bytes.Buffer
		run(append(append([]string{}, args...), path), nil, &out, io.Discard, func(string) string { return "" })
		return out.String()
	}
	for _, args := range [][]string{
		{"--color", "never", "--summary"},
		{"--format", "json", "--summary"},
		{"--format", "markdown"},
		{"--format", "mermaid"},
		{"--format", "html"},
		{"--format", "markdown", "--quiz"},
	} {
		for _, path := range inputs {
			clean, poisoned := render(path, args, false), render(path, args, true)
			if clean == "" || clean != poisoned {
				t.Errorf("%s %v: poisoned slots change the output:\n%s", path, args, firstDiff(poisoned, clean))
			}
		}
	}
}
