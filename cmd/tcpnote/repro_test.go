package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reproShapes writes in memory what testdata/repro/make.sh writes: the
// lines that crashed or stalled tcpnote at 0666d29.
func reproShapes() map[string][]byte {
	return map[string][]byte{
		"brackets-400k.txt":     []byte(strings.Repeat("[", 400000) + "\n"),
		"adot-32k.txt":          []byte(strings.Repeat("a.", 16000) + "\n"),
		"dots-16k.txt":          []byte(strings.Repeat(".", 16000) + "\n"),
		"options-paren-10k.txt": []byte("10:00:00.000000 IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1, options [" + strings.Repeat("(", 10000) + "], length 0\n"),
		"host-4k-labels.txt":    []byte("10:00:00.000000 IP " + strings.Repeat("1.", 4000) + "1 > 2.2: Flags [S], seq 1, win 1, length 0\n"),
	}
}

// TestRepro annotates each input that hung, crashed or stalled tcpnote
// (testdata/repro, and make.sh's shapes) in text and JSON: exit 0, the
// input intact. A hang fails the fsm's step bounds (fsm/robust_test.go)
// and the grammar's cost bound (grammar/pathological_test.go); here the
// whole pipeline must come through.
func TestRepro(t *testing.T) {
	inputs := reproShapes()
	files, _ := filepath.Glob("../../testdata/repro/*.txt")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = b
	}
	if len(inputs) < 10 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			out, code := annotateBytes(t, in, "--summary")
			if code != 0 {
				t.Errorf("exit %d", code)
			}
			checkNothingLost(t, in, out)
			js, code := annotateBytes(t, in, "--format", "json")
			if code != 0 {
				t.Errorf("json: exit %d", code)
			}
			checkJSONRaw(t, in, js)
		})
	}
}

// TestReproSeedsFuzzPipeline keeps FuzzPipeline's corpus holding the
// repro shapes (testdata/fuzz/FuzzPipeline/repro-*), at sizes a fuzz run
// can afford.
func TestReproSeedsFuzzPipeline(t *testing.T) {
	files, _ := filepath.Glob("testdata/fuzz/FuzzPipeline/repro-*")
	if len(files) < 8 {
		t.Fatalf("%d repro seeds for FuzzPipeline", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if !bytes.HasPrefix(b, []byte("go test fuzz v1\n[]byte(")) {
			t.Errorf("%s is not a fuzz corpus file", f)
		}
	}
}

// fuzzSeed encodes an input as a corpus file of a fuzz target.
func fuzzSeed(b []byte) []byte {
	return []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b))
}

// TestWriteReproSeeds writes the seeds when TCPNOTE_WRITE_SEEDS is set.
func TestWriteReproSeeds(t *testing.T) {
	if os.Getenv("TCPNOTE_WRITE_SEEDS") == "" {
		t.Skip("set TCPNOTE_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzPipeline/repro-*")
	}
	seeds := map[string]string{
		"brackets":    strings.Repeat("[", 4000) + "\n",
		"adot":        strings.Repeat("a.", 2000) + "\n",
		"dots":        strings.Repeat(".", 4000) + "\n",
		"parens":      "10:00:00.000000 IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1, options [" + strings.Repeat("(", 1000) + "], length 0\n",
		"labels":      "10:00:00.000000 IP " + strings.Repeat("1.", 1000) + "1 > 2.2: Flags [S], seq 1, win 1, length 0\n",
		"pair-adot":   strings.Repeat("a.", 1500) + " 1.1 > 2.2: Flags [S], seq 1, win 1, length 0\n",
		"deep-head":   "10:00:00.000000 IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1, length 0 " + strings.Repeat("[", 65) + "\n",
		"long-suffix": "10:00:00.000000 IP 1.1.1.1.1 > 2.2.2.2.2: Flags [P.], seq 1:2, ack 1, win 1, length 1 " + strings.Repeat("SB 0x7b 0xf5 SE, ", 400) + "\n",
		"nul":         strings.Repeat("\x00", 3000),
	}
	for _, f := range []string{"portreuse-idle-hang.txt", "hang_reuse_after_close.txt", "ttttt-hang.txt"} {
		b, err := os.ReadFile("../../testdata/repro/" + f)
		if err != nil {
			t.Fatal(err)
		}
		seeds[strings.TrimSuffix(f, ".txt")] = string(b)
	}
	for name, s := range seeds {
		if err := os.WriteFile("testdata/fuzz/FuzzPipeline/repro-"+name, fuzzSeed([]byte(s)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzPipelineSmallTable runs the whole pipeline with a table of two
// connections on traces that reuse ports, jump in time and cross midnight:
// no panic, no hang, nothing lost, in text and JSON.
func FuzzPipelineSmallTable(f *testing.F) {
	for _, name := range []string{"portreuse-idle-hang.txt", "hang_reuse_after_close.txt", "ttttt-hang.txt"} {
		b, err := os.ReadFile("../../testdata/repro/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("23:59:59.900000 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0\n" +
		"00:00:00.100000 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [S], seq 7, win 1, length 0\n" +
		"23:59:59.950000 IP 10.0.0.3.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0\n" +
		"01:00:01.000000 IP 10.0.0.4.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _ := annotateBytes(t, in, "--summary", "--max-conns", "2")
		checkNothingLost(t, in, out)
		js, _ := annotateBytes(t, in, "--format", "json", "--max-conns", "2")
		checkJSONRaw(t, in, js)
		annotateBytes(t, in, "--format", "markdown", "--max-conns", "2")
	})
}
