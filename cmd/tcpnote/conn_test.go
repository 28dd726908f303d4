package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestConnFilter: --conn keeps one connection's segments, by number or
// by endpoint, drops the other connections' segments (the one filter that
// drops lines), passes every line that is not a segment through, and ends
// with that connection's summary.
func TestConnFilter(t *testing.T) {
	data, err := os.ReadFile("../../testdata/captures/interleaved-200/nn+S.txt")
	if err != nil {
		t.Fatal(err)
	}
	in := append([]byte("# a line that is not a segment\n"), data...)
	for _, sel := range []string{"2", "127.0.0.1:35990", "127.0.0.1.35990"} {
		js, code := annotateBytes(t, in, "--format", "json", "--conn", sel)
		if code != 0 {
			t.Fatalf("--conn %s: exit %d", sel, code)
		}
		tcp, other, summaries := 0, 0, 0
		dec := json.NewDecoder(bytes.NewReader(js))
		for dec.More() {
			var r struct {
				Kind string `json:"kind"`
				Conn int    `json:"conn"`
			}
			if err := dec.Decode(&r); err != nil {
				t.Fatal(err)
			}
			switch r.Kind {
			case "tcp":
				tcp++
				if r.Conn != 2 {
					t.Fatalf("--conn %s: a segment of connection %d", sel, r.Conn)
				}
			case "other":
				other++
			case "summary":
				summaries++
				if r.Conn != 2 {
					t.Fatalf("--conn %s: the summary of connection %d", sel, r.Conn)
				}
			}
		}
		if tcp != 10 || other != 1 || summaries != 1 {
			t.Errorf("--conn %s: %d segments, %d other lines, %d summaries; want 10, 1, 1", sel, tcp, other, summaries)
		}
	}
	// text: the kept lines are the input's, in order
	out, _ := annotateBytes(t, in, "--conn", "2")
	kept := withoutNotes(out)
	if !bytes.HasPrefix(kept, []byte("# a line that is not a segment\n")) || bytes.Count(kept, []byte("\n")) != 11 {
		t.Errorf("text: %q", kept)
	}
	for _, l := range strings.SplitAfter(string(kept), "\n") {
		if l != "" && !bytes.Contains(in, []byte(l)) {
			t.Errorf("text: %q is not an input line", l)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--conn", "x"}, bytes.NewReader(nil), &stdout, &stderr, func(string) string { return "" }); code != exitUsage || !strings.Contains(stderr.String(), "--conn") {
		t.Errorf("--conn x: exit %d, %q", code, stderr.String())
	}
}
