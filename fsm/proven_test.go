package fsm

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

func TestIsElision(t *testing.T) {
	for s, want := range map[string]bool{
		"...": true, "  …  ": true, "[snip]": true, "[...]": true, "": true, " \t\r": true,
		"..": false, "0x0000:  4500 0034": false, "tcpdump: listening on lo": false, "P.": false,
	} {
		if got := isElision([]byte(s)); got != want {
			t.Errorf("isElision(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestImpossibleOnlyWhenProven edits the server's ACK in the -v render of
// three-way-close to acknowledge 10 bytes the client never sent. With the
// client's IP ids running unbroken the trace proves it has every client
// packet: impossible (lint), and only that claim. Without -v, or with an
// elision line before it, the bytes are only "not in this trace".
func TestImpossibleOnlyWhenProven(t *testing.T) {
	run := func(text string) []Event {
		s := grammar.NewScanner(strings.NewReader(text))
		tr := NewTracker()
		var last []Event
		for s.Scan() {
			r := s.Record()
			if r.Kind != grammar.TCP {
				tr.Other(r.Raw)
				continue
			}
			last = append([]Event(nil), tr.Process(&r.Packet, r.Line).Events...)
		}
		return last
	}
	edit := func(render string, keep int) string {
		lines := strings.Split(readCapture(t, "three-way-close", render), "\n")[:keep]
		lines[keep-1] = strings.Replace(lines[keep-1], "ack 3669053404,", "ack 3669053414,", 1)
		return strings.Join(lines, "\n") + "\n"
	}
	v := edit("nn+S+v", 10)
	evs := run(v)
	if findIn(evs, LintAckUnsent) == nil || findIn(evs, AckedUnseen) != nil {
		t.Errorf("-v, ids unbroken: want lint.ack_unsent alone: %v", evs)
	}
	lines := strings.SplitAfter(v, "\n")
	cut := strings.Join(lines[:8], "") + "...\n" + strings.Join(lines[8:], "")
	evs = run(cut)
	if findIn(evs, LintAckUnsent) != nil || findIn(evs, AckedUnseen) == nil {
		t.Errorf("after an elision line: want acked_unseen alone: %v", evs)
	}
	evs = run(edit("nn+S", 5))
	if findIn(evs, LintAckUnsent) != nil || findIn(evs, AckedUnseen) == nil {
		t.Errorf("no IP ids: want acked_unseen alone: %v", evs)
	}
	// a jump in the client's IP ids: a client packet was missed
	jump := strings.Replace(v, "id 12937,", "id 12939,", 1)
	evs = run(jump)
	if findIn(evs, LintAckUnsent) != nil {
		t.Errorf("the client's ids jump: still called impossible: %v", evs)
	}
}

// TestAnyInterfaceCopies: with -i any each segment shows on br13 and on
// the veth (any-bridge/truth.md): the copies are said, never called
// retransmissions, and not counted: 6 segments from the client, 4 from
// the server, 6 bytes each way.
func TestAnyInterfaceCopies(t *testing.T) {
	for _, render := range []string{"nn+S", "nn", "nn+S+v"} {
		views, conns := analyseFile(t, filepath.Join(capturesDir, "any-bridge", render+".txt"))
		copies := 0
		for i, v := range views {
			if strings.Contains(" "+v.codes+" ", " trace.copy ") {
				copies++
			}
			if strings.Contains(v.codes, "retransmission") || strings.Contains(v.codes, "dup_ack") {
				t.Errorf("%s packet %d: %s", render, i+1, v.codes)
			}
		}
		if copies != 9 {
			t.Errorf("%s: %d copies, want 9 (the tenth follows the close)", render, copies)
		}
		if len(conns) != 1 {
			t.Fatalf("%s: %d connections", render, len(conns))
		}
		s := conns[0].Summary()
		if s.Segments != [2]uint64{6, 4} || s.Bytes != [2]uint64{6, 6} || s.Retrans != [2]uint64{0, 0} {
			t.Errorf("%s: segments %v bytes %v retrans %v, want 6/4, 6/6, 0/0", render, s.Segments, s.Bytes, s.Retrans)
		}
	}
}

// TestCutLastLine: a pasted trace whose last line stops at `seq 5001`
// has no ack and no length: nothing is said of them (no "ACK 0", no
// duplicate ACK), and the line says it is cut.
func TestCutLastLine(t *testing.T) {
	trace := `10:00:00.000000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [S], seq 1000, win 65535, length 0
10:00:00.001000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, length 0
10:00:00.002000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], ack 5001, win 65535, length 0
10:00:00.003000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1001:1008, ack 5001, win 65535, length 7
10:00:00.004000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], seq 5001`
	evs := eventsByLine(t, trace)
	if findIn(evs[5], TraceCut) == nil {
		t.Errorf("the cut line does not say it is cut: %v", evs[5])
	}
	for _, c := range []Code{Ack, DupAck, Keepalive, WindowProbe} {
		if findIn(evs[5], c) != nil {
			t.Errorf("the cut line gets %s, from a field it does not print", c)
		}
	}
}

// TestZeekGaps follows Zeek's content-gap rule (TCP_Reassembler::Gap):
// the gap is counted when an ACK covers bytes the trace never showed, in
// the letter of the side whose bytes they are (G: the originator's), and
// only while both sides are established or closing cleanly. A hole that a
// later segment fills is no gap; a FIN past bytes never seen is one.
func TestZeekGaps(t *testing.T) {
	const hs = `10:00:00.000000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [S], seq 1000, win 65535, length 0
10:00:00.001000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, length 0
10:00:00.002000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], ack 5001, win 65535, length 0
10:00:00.003000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], seq 1001:1101, ack 5001, win 65535, length 100
10:00:00.004000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1201:1301, ack 5001, win 65535, length 100
`
	summary := func(text string) Summary {
		_, conns := analyseText(t, text)
		if len(conns) != 1 {
			t.Fatalf("%d connections", len(conns))
		}
		return conns[0].Summary()
	}
	gap := hs + "10:00:00.005000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1301, win 65535, length 0\n"
	if s := summary(gap); s.History != "ShADaG" {
		t.Errorf("an ACK over 100 unseen bytes of the client's: history %q, want ShADaG", s.History)
	}
	filled := hs + "10:00:00.010000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], seq 1101:1201, ack 5001, win 65535, length 100\n" +
		"10:00:00.011000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1301, win 65535, length 0\n"
	s := summary(filled)
	if strings.ContainsAny(s.History, "Gg") {
		t.Errorf("a hole filled before the ACK: history %q has a gap", s.History)
	}
	if s.Bytes[Client] != 300 {
		t.Errorf("the filled hole's bytes are not counted: %d, want 300", s.Bytes[Client])
	}
	fin := hs + "10:00:00.005000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1101, win 65535, length 0\n" +
		"10:00:00.006000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [F.], seq 1401, ack 5001, win 65535, length 0\n" +
		"10:00:00.007000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1402, win 65535, length 0\n"
	views, _ := analyseText(t, fin)
	if !strings.Contains(views[6].codes, "lost_segment") {
		t.Errorf("a FIN past 100 unseen bytes: %q", views[6].codes)
	}
	if s := summary(fin); !strings.Contains(s.History, "G") {
		t.Errorf("the ACK of a FIN past unseen bytes: history %q, want a G", s.History)
	}
}

// analyseText is analyseFile for a trace in a string.
func analyseText(t *testing.T, text string) ([]view, []*Conn) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trace.txt")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return analyseFile(t, path)
}

// TestExcerpts reads the pieces of real renders in testdata/excerpts
// (README.md there says where each is cut from).
func TestExcerpts(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("../testdata/excerpts", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// the timer's retransmissions without the handshake, with and
	// without -S: the same events, each copy by the timer, doubling
	for _, name := range []string{"rto-midstream.nn.txt", "rto-midstream.nn+S.txt"} {
		evs := eventsByLine(t, read(name))
		for line := 2; line <= 6; line++ {
			e := findIn(evs[line], Retransmission)
			if e == nil {
				t.Errorf("%s line %d: no retransmission: %v", name, line, evs[line])
				continue
			}
			if by, _ := e.Get(KeyBy); RetransBy(by) != ByTimer {
				t.Errorf("%s line %d: by %s, want timer", name, line, RetransBy(by))
			}
			if b, _ := e.Get(KeyBackoff); line >= 4 && Backoff(b) != BackoffDoubled {
				t.Errorf("%s line %d: backoff %s, want doubled", name, line, Backoff(b))
			}
		}
	}
	// an elision line: no lint, no impossible claim after it
	evs := eventsByLine(t, read("delay-elided.nn.txt"))
	for line, es := range evs {
		for _, e := range es {
			if e.Code.IsLint() {
				t.Errorf("delay-elided line %d: %s after an elision", line, e.Code)
			}
		}
	}
	// the cut last line: no ack from `ack 1` (cut from `ack 13`)
	evs = eventsByLine(t, read("delay-cut.nn.txt"))
	if findIn(evs[9], TraceCut) == nil {
		t.Errorf("delay-cut line 9 not said to be cut: %v", evs[9])
	}
	for _, c := range []Code{Ack, DupAck, AckPiggyback, AckedUnseen} {
		if findIn(evs[9], c) != nil {
			t.Errorf("delay-cut line 9: %s from a cut field", c)
		}
	}
}

// TestCapReached: timer intervals of 60, 120, 120 s — the last two have
// reached Linux's 120 s cap (TCP_RTO_MAX) and say so; 60 s has not.
func TestCapReached(t *testing.T) {
	trace := `00:00:00.000000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [S], seq 1000, win 65535, length 0
00:00:00.010000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, length 0
00:00:00.020000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], ack 5001, win 65535, length 0
00:00:00.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1001:1011, ack 5001, win 65535, length 10
00:01:00.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1001:1011, ack 5001, win 65535, length 10
00:03:00.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1001:1011, ack 5001, win 65535, length 10
00:05:00.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1001:1011, ack 5001, win 65535, length 10
`
	evs := eventsByLine(t, trace)
	for line, want := range map[int]bool{5: false, 6: true, 7: true} {
		e := findIn(evs[line], Retransmission)
		if e == nil {
			t.Fatalf("line %d: no retransmission", line)
		}
		if got := e.Has(KeyCapped); got != want {
			t.Errorf("line %d: capped %v, want %v", line, got, want)
		}
	}
	if b, _ := findIn(evs[7], Retransmission).Get(KeyBackoff); Backoff(b) != BackoffLinear {
		t.Errorf("line 7: backoff %s: at the cap the interval stays the same", Backoff(b))
	}
}

// isElisionReference is isElision without its first-byte test: the
// definition the faster one must keep.
func isElisionReference(raw []byte) bool {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return true
	}
	if len(bytes.Trim(s, ".…")) == 0 {
		return len(s) >= 3 || bytes.Contains(s, []byte("…"))
	}
	l := bytes.ToLower(s)
	for _, m := range []string{"[snip]", "<snip>", "[...]", "[…]", "(snip)", "-- snip --", "[cut]"} {
		if bytes.Equal(l, []byte(m)) {
			return true
		}
	}
	return false
}

// TestIsElisionMatchesReference compares the two on every string of up to
// five pieces of markers, dots, case and space (the first-byte test must
// turn away no marker), and on every line of the shipped renders.
func TestIsElisionMatchesReference(t *testing.T) {
	pieces := []string{".", "…", "[", "SNIP", "snip", "]", " ", "-- ", "x", "\u212a", "(", "<", "cut", ">", "\xe2"}
	n := 0
	var gen func(prefix []byte, depth int)
	gen = func(prefix []byte, depth int) {
		n++
		if got, want := isElision(prefix), isElisionReference(prefix); got != want {
			t.Fatalf("isElision(%q) = %v, reference %v", prefix, got, want)
		}
		if depth == 0 {
			return
		}
		for _, p := range pieces {
			gen(append(prefix[:len(prefix):len(prefix)], p...), depth-1)
		}
	}
	gen(nil, 5)
	for _, s := range []string{"[SNIP]", " -- SNIP -- ", "[…]", "(Snip)", "<snip>", "[CUT]", "...", "…"} {
		if !isElision([]byte(s)) {
			t.Errorf("isElision(%q) = false", s)
		}
	}
	files, _ := filepath.Glob("../testdata/captures/*/*.txt")
	if len(files) == 0 {
		t.Fatal("no renders under testdata/captures")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.Split(data, []byte("\n")) {
			if got, want := isElision(l), isElisionReference(l); got != want {
				t.Fatalf("%s: isElision(%q) = %v, reference %v", f, l, got, want)
			}
		}
	}
	t.Logf("%d generated strings agree", n)
}
