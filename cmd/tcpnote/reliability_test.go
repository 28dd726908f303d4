package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/annotate"
)

// annotateBytes runs tcpnote in-process on input with args and returns its
// output and exit code.
func annotateBytes(t testing.TB, input []byte, args ...string) ([]byte, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append(args, "--color", "never"), bytes.NewReader(input), &out, &errOut, func(string) string { return "" })
	// The one line that says an input held no TCP segment is expected
	// of many inputs here; anything else on stderr is not.
	if e := errOut.String(); e != "" && !((strings.HasPrefix(e, "tcpnote: no TCP segment in the input: ") || strings.HasPrefix(e, "tcpnote: nothing to explain: ")) && strings.Count(e, "\n") == 1) {
		t.Errorf("stderr: %q", e)
	}
	return out.Bytes(), code
}

// withoutNotes removes the lines tcpnote adds (they start with the marker)
// and, with --inline, the note appended to a line.
func withoutNotes(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		line := b
		if i >= 0 {
			line, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		// a note, or a note quoted like the e-mail quote it follows
		if bytes.HasPrefix(bytes.TrimLeft(line, "> "), []byte(strings.TrimLeft(annotate.Marker, " "))) {
			continue
		}
		out = append(out, line...)
	}
	return out
}

// checkNothingLost asserts the text-mode invariant: every input line comes
// out unchanged and in order; tcpnote only adds lines. Input lines that
// themselves look like notes are set aside on both sides. A final line
// without a newline may gain one (a note follows it).
func checkNothingLost(t testing.TB, input, output []byte) {
	t.Helper()
	want := withoutNotes(input)
	got := withoutNotes(output)
	if bytes.Equal(got, want) || len(want) > 0 && want[len(want)-1] != '\n' && bytes.Equal(got, append(append([]byte{}, want...), '\n')) {
		return
	}
	t.Fatalf("text output without notes differs from the input\ninput:  %q\noutput: %q", clip(want), clip(got))
}

func clip(b []byte) []byte {
	if len(b) > 300 {
		return b[:300]
	}
	return b
}

// checkJSONRaw asserts the JSON invariant: the records' raw fields (or
// raw_base64 where the bytes are not UTF-8), in order, joined by newlines,
// give back the input.
func checkJSONRaw(t testing.TB, input, output []byte) {
	t.Helper()
	var parts [][]byte
	cont := false // the last record's line goes on in this one
	dec := json.NewDecoder(bytes.NewReader(output))
	for dec.More() {
		var rec struct {
			Part      int     `json:"part"`
			Kind      string  `json:"kind"`
			Raw       *string `json:"raw"`
			RawBase64 string  `json:"raw_base64"`
			Continues bool    `json:"continues"`
		}
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("invalid JSON: %v", err)
		}
		if rec.Kind == "summary" {
			continue
		}
		if rec.Raw == nil {
			t.Fatal("record without raw")
		}
		raw := []byte(*rec.Raw)
		if rec.RawBase64 != "" {
			b, err := base64.StdEncoding.DecodeString(rec.RawBase64)
			if err != nil {
				t.Fatal(err)
			}
			raw = b
		}
		// a piece of a long line, or a later segment of a flattened
		// line, continues the line before
		if (cont || rec.Part > 0) && len(parts) > 0 {
			parts[len(parts)-1] = append(parts[len(parts)-1], raw...)
		} else {
			parts = append(parts, raw)
		}
		cont = rec.Continues
	}
	got := bytes.Join(parts, []byte("\n"))
	want := bytes.TrimSuffix(input, []byte("\n"))
	if !bytes.Equal(got, want) {
		t.Fatalf("JSON raw fields do not give back the input\ninput: %q\nraw:   %q", clip(want), clip(got))
	}
}

func realTrace(t testing.TB) []byte {
	b, err := os.ReadFile("../../testdata/captures/three-way-close/nn+S.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRandomBinaryInput(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	n := 200
	if !exhaustive() {
		n = 15 // the first 15 of the same 200 inputs
	}
	for i := 0; i < n; i++ {
		in := make([]byte, r.Intn(4096))
		r.Read(in)
		out, code := annotateBytes(t, in)
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
		checkNothingLost(t, in, out)
		js, _ := annotateBytes(t, in, "--format", "json")
		checkJSONRaw(t, in, js)
	}
}

func TestNULAndInvalidUTF8InTCPLines(t *testing.T) {
	lines := strings.SplitAfter(string(realTrace(t)), "\n")
	// a NUL in the suffix, invalid UTF-8 in the suffix, a NUL inside a field
	in := []byte(strings.TrimSuffix(lines[0], "\n") + "\x00\xff\xfe\n" + strings.Replace(lines[1], "win", "w\x00in", 1) + lines[2] + "\xc3\x28 garbage \x00\n")
	out, _ := annotateBytes(t, in)
	checkNothingLost(t, in, out)
	if !bytes.Contains(out, []byte("1st handshake")) {
		t.Error("a SYN with NUL and invalid UTF-8 after its fields is still a SYN")
	}
	js, _ := annotateBytes(t, in, "--format", "json")
	checkJSONRaw(t, in, js)
}

// TestHugeLineThenTrace puts a line far longer than the Scanner's 64 KiB
// buffer before a real trace: 10 MiB in the exhaustive tier, 1 MiB (16
// buffers) by default.
func TestHugeLineThenTrace(t *testing.T) {
	size := 10 << 20
	if !exhaustive() {
		size = 1 << 20
	}
	huge := bytes.Repeat([]byte("x"), size)
	in := append(append(huge, '\n'), realTrace(t)...)
	out, code := annotateBytes(t, in)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	checkNothingLost(t, in, out)
	for _, want := range []string{"1st handshake", "three-segment close", "TIME_WAIT"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the trace after a %d-byte line was not annotated: no %q", size, want)
		}
	}
}

func TestLineEndings(t *testing.T) {
	trace := realTrace(t)
	crlf := bytes.ReplaceAll(trace, []byte("\n"), []byte("\r\n"))
	noFinal := bytes.TrimSuffix(trace, []byte("\n"))
	for name, in := range map[string][]byte{"crlf": crlf, "no final newline": noFinal} {
		out, _ := annotateBytes(t, in, "--summary")
		checkNothingLost(t, in, out)
		if n := bytes.Count(out, []byte(annotate.Marker)); n < 11 {
			t.Errorf("%s: %d notes, want one per packet and a summary", name, n)
		}
		js, _ := annotateBytes(t, in, "--format", "json")
		checkJSONRaw(t, in, js)
	}
}

// TestLinesCutEverywhere feeds every prefix of real lines (a modern -v
// packet and a classic one) as the whole input.
func TestLinesCutEverywhere(t *testing.T) {
	v, _ := os.ReadFile("../../testdata/captures/half-close/nn+S+v.txt")
	classic, _ := os.ReadFile("../../testdata/corpus/rendered-versions/tcpdump-3.9.8/print-flags.n+v.txt")
	for _, src := range [][]byte{v, classic} {
		rec := src[:bytes.IndexByte(src, '\n')+1]
		if bytes.Contains(src[:200], []byte("length 60)\n")) {
			second := bytes.IndexByte(src[len(rec):], '\n')
			rec = src[:len(rec)+second+1]
		}
		step := 1
		if !exhaustive() {
			step = 3 // every third prefix, and the whole record
		}
		for n := 0; n <= len(rec); n++ {
			if n%step != 0 && n != len(rec) {
				continue
			}
			in := rec[:n]
			out, _ := annotateBytes(t, in)
			checkNothingLost(t, in, out)
		}
	}
}

func TestNumbersTooLarge(t *testing.T) {
	in := []byte("22:13:20.000000 IP 10.0.0.1.43210 > 10.0.0.2.80: Flags [S], seq 4294967296, win 64240, length 0\n" +
		"22:13:20.000000 IP 10.0.0.1.43210 > 10.0.0.2.80: Flags [S], seq 99999999999999999999999, win 64240, length 0\n")
	out, _ := annotateBytes(t, in)
	checkNothingLost(t, in, out)
	// a seq beyond 2^32-1 is no TCP segment tcpdump could print: the
	// line is not explained as one, but it is not skipped silently either
	if bytes.Contains(out, []byte("handshake")) {
		t.Error("a seq beyond 2^32-1 was explained as a segment")
	}
	if n := bytes.Count(out, []byte("cannot read a number too large for 32 bits")); n != 2 {
		t.Errorf("%d notes say a number is too large, want 2:\n%s", n, out)
	}
}

// TestDuplicatedLines doubles every line of a real trace, as a paste
// sometimes does: each copy is a retransmission, and the connection still
// ends the same way.
func TestDuplicatedLines(t *testing.T) {
	var in []byte
	for _, l := range bytes.SplitAfter(realTrace(t), []byte("\n")) {
		in = append(append(in, l...), l...)
	}
	out, _ := annotateBytes(t, in, "--summary")
	checkNothingLost(t, in, out)
	for _, want := range []string{"SYN retransmitted", "three-segment close", "conn_state SF"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("no %q", want)
		}
	}
}

// FuzzPipeline runs the whole pipeline on any input: no panic, no hang,
// nothing lost in text mode, and the JSON raw fields give back the input.
func FuzzPipeline(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/corpus/seeds/*.txt")
	more, _ := filepath.Glob("../../testdata/damaged/three-way-close/*.txt")
	for _, p := range append(seeds, more...) {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add(realTrace(f))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _ := annotateBytes(t, in, "--summary")
		checkNothingLost(t, in, out)
		// issue 17: brief notes under -v, --full, --only
		for _, args := range [][]string{{"-v", "--only", "notable"}, {"-v", "--full", "--only", "anomalies"}} {
			out, _ := annotateBytes(t, in, args...)
			checkNothingLost(t, in, out)
		}
		js, _ := annotateBytes(t, in, "--format", "json")
		checkJSONRaw(t, in, js)
		annotateBytes(t, in, "--format", "markdown")
		annotateBytes(t, in, "--lint")
	})
}
