package fsm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// eventsByLine runs a trace through a tracker and returns the events of
// each TCP record, by input line.
func eventsByLine(t *testing.T, text string) map[int][]Event {
	t.Helper()
	s := grammar.NewScanner(strings.NewReader(text))
	tr := NewTracker()
	out := map[int][]Event{}
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		res := tr.Process(&r.Packet, r.Line)
		out[r.Line] = append([]Event(nil), res.Events...)
		tr.Due()
	}
	return out
}

func readCapture(t *testing.T, name, render string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(capturesDir, name, render+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func findIn(evs []Event, c Code) *Event {
	for i := range evs {
		if evs[i].Code == c {
			return &evs[i]
		}
	}
	return nil
}

// TestAckGapFromTheRightReference reads one connection captured at both
// ends of a 50 ms path (truth.md in delay-at-sender, delay-at-receiver).
// Next to the sender an ACK comes one round trip after the data: not a
// delayed ACK; the one the server held back 41.6 ms is delayed from
// either end; next to the receiver an immediate ACK is not remarked on.
// Each render, with and without -S, must say the same.
func TestAckGapFromTheRightReference(t *testing.T) {
	for _, render := range []string{"nn+S", "nn", "nn+S+ttt", "default"} {
		sender := eventsByLine(t, readCapture(t, "delay-at-sender", render))
		receiver := eventsByLine(t, readCapture(t, "delay-at-receiver", render))
		for _, c := range []struct {
			name  string
			evs   map[int][]Event
			line  int
			want  AckGap
			acked int64 // the line of the data acknowledged
		}{
			{"sender", sender, 5, AckRoundTrip, 4},     // 100.7 ms, the server ACKed at once
			{"sender", sender, 9, AckDelayed, 8},       // 145.8 ms: RTT + the server's 41.6 ms
			{"sender", sender, 11, AckRoundTrip, 10},   // 110.3 ms: RTT and jitter
			{"receiver", receiver, 7, AckRoundTrip, 6}, // the client's ACK, one RTT toward it
			{"receiver", receiver, 9, AckDelayed, 8},   // 41.6 ms at the server itself
			{"receiver", receiver, 5, 0, 0},            // 16 µs: nothing to say
			{"receiver", receiver, 11, 0, 0},           // 33 µs
		} {
			e := findIn(c.evs[c.line], Ack)
			if e == nil {
				t.Errorf("%s/%s line %d: no ack event: %v", c.name, render, c.line, c.evs[c.line])
				continue
			}
			got, _ := e.Get(KeyAckGap)
			if AckGap(got) != c.want {
				t.Errorf("%s/%s line %d: ack_gap %s, want %s", c.name, render, c.line, AckGap(got), c.want)
			}
			if l, _ := e.Get(KeyAckedLine); c.want != 0 && l != c.acked {
				t.Errorf("%s/%s line %d: acked_line %d, want %d", c.name, render, c.line, l, c.acked)
			}
		}
	}
}

// TestRTOBackoff: five copies of one segment to a blackholed peer
// (rto-backoff/truth.md): each by the timer, none fast; the intervals
// 205, 208, 424, 832, 1664 ms: the same, then doubling.
func TestRTOBackoff(t *testing.T) {
	for _, render := range []string{"nn+S", "nn"} {
		evs := eventsByLine(t, readCapture(t, "rto-backoff", render))
		want := []Backoff{BackoffFirst, BackoffLinear, BackoffDoubled, BackoffDoubled, BackoffDoubled}
		for i, w := range want {
			line := 9 + i
			if findIn(evs[line], FastRetransmission) != nil {
				t.Errorf("%s line %d: a fast retransmission, with no duplicate ACK in the trace", render, line)
			}
			e := findIn(evs[line], Retransmission)
			if e == nil {
				t.Errorf("%s line %d: no retransmission: %v", render, line, evs[line])
				continue
			}
			if by, _ := e.Get(KeyBy); RetransBy(by) != ByTimer {
				t.Errorf("%s line %d: by %s, want timer", render, line, RetransBy(by))
			}
			if b, _ := e.Get(KeyBackoff); Backoff(b) != w {
				t.Errorf("%s line %d: backoff %s, want %s", render, line, Backoff(b), w)
			}
			if n, _ := e.Get(KeyCount); n != int64(i+1) {
				t.Errorf("%s line %d: count %d, want %d", render, line, n, i+1)
			}
		}
	}
}

// TestKeepaliveSeries: three unanswered keep-alives 2 s idle, then 1 s
// apart (keepalive-unanswered/truth.md): counted, not backing off, never
// retransmissions.
func TestKeepaliveSeries(t *testing.T) {
	evs := eventsByLine(t, readCapture(t, "keepalive-unanswered", "nn"))
	for i, line := range []int{8, 9, 10} {
		e := findIn(evs[line], Keepalive)
		if e == nil {
			t.Fatalf("line %d: no keep-alive: %v", line, evs[line])
		}
		if n, _ := e.Get(KeyCount); n != int64(i+1) {
			t.Errorf("line %d: count %d", line, n)
		}
		if findIn(evs[line], Retransmission) != nil {
			t.Errorf("line %d: a keep-alive called a retransmission", line)
		}
	}
	if g, _ := findIn(evs[8], Keepalive).Get(KeyGapUs); g < 2_000_000 || g > 2_100_000 {
		t.Errorf("line 8: idle %d µs, want ≈ 2.02 s", g)
	}
	if b, _ := findIn(evs[10], Keepalive).Get(KeyBackoff); Backoff(b) != BackoffLinear {
		t.Errorf("line 10: backoff %s, want linear (keep-alives do not back off)", Backoff(b))
	}
}

// TestPersistBackoff: five zero-window probes whose intervals double
// (persist-backoff/truth.md).
func TestPersistBackoff(t *testing.T) {
	evs := eventsByLine(t, readCapture(t, "persist-backoff", "nn"))
	for i, line := range []int{10, 12, 13, 15, 17} {
		e := findIn(evs[line], WindowProbe)
		if e == nil {
			t.Fatalf("line %d: no probe: %v", line, evs[line])
		}
		if n, _ := e.Get(KeyCount); n != int64(i+1) {
			t.Errorf("line %d: count %d, want %d", line, n, i+1)
		}
		if b, _ := e.Get(KeyBackoff); i > 0 && Backoff(b) != BackoffDoubled {
			t.Errorf("line %d: backoff %s, want doubled", line, Backoff(b))
		}
	}
}

// TestFirstProbeSaidLater cuts persist-backoff after its zero window
// (from the first probe on, -S): the first line looks like a plain ACK;
// the zero window answering it says it was the first probe.
func TestFirstProbeSaidLater(t *testing.T) {
	lines := strings.SplitAfter(readCapture(t, "persist-backoff", "nn+S"), "\n")
	evs := eventsByLine(t, strings.Join(lines[9:18], ""))
	if e := findIn(evs[1], WindowProbe); e != nil {
		t.Errorf("line 1 called a probe before the trace shows a zero window")
	}
	e := findIn(evs[2], WindowProbeFirst)
	if e == nil {
		t.Fatalf("line 2 (the zero window): no window.probe_first: %v", evs[2])
	}
	if l, _ := e.Get(KeyFirstLine); l != 1 {
		t.Errorf("first_line %d, want 1", l)
	}
	// from the data before the zero window: a data segment is no probe
	evs2 := eventsByLine(t, strings.Join(lines[7:9], ""))
	if findIn(evs2[2], WindowProbeFirst) != nil {
		t.Errorf("a zero window after data called the answer to a probe: %v", evs2[2])
	}
	if p := findIn(evs[3], WindowProbe); p == nil {
		t.Errorf("line 3: no probe #2: %v", evs[3])
	} else if n, _ := p.Get(KeyCount); n != 2 {
		t.Errorf("line 3: probe #%d, want #2", n)
	}
}

// A retransmission 3 s after the original, after only two duplicate ACKs,
// is the timer's, not a fast retransmission; with a third duplicate ACK
// just before it, it is fast.
const rtoAfterDupAcks = `00:00:00.000000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [S], seq 1000, win 65535, length 0
00:00:00.010000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, length 0
00:00:00.020000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], ack 5001, win 65535, length 0
00:00:00.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], seq 1001:2001, ack 5001, win 65535, length 1000
00:00:00.031000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], seq 2001:3001, ack 5001, win 65535, length 1000
00:00:00.032000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], seq 3001:4001, ack 5001, win 65535, length 1000
00:00:00.042000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1001, win 65535, length 0
00:00:00.043000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1001, win 65535, length 0
`

func TestRTONotFast(t *testing.T) {
	slow := rtoAfterDupAcks + "00:00:03.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], seq 1001:2001, ack 5001, win 65535, length 1000\n"
	evs := eventsByLine(t, slow)
	if findIn(evs[9], FastRetransmission) != nil {
		t.Errorf("3 s after the original, 2 duplicate ACKs: called fast")
	}
	if e := findIn(evs[9], Retransmission); e == nil {
		t.Errorf("no retransmission: %v", evs[9])
	} else if by, _ := e.Get(KeyBy); RetransBy(by) != ByTimer {
		t.Errorf("by %s, want timer", RetransBy(by))
	}
	fast := rtoAfterDupAcks + "00:00:00.044000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1001, win 65535, length 0\n" +
		"00:00:00.044100 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], seq 1001:2001, ack 5001, win 65535, length 1000\n"
	evs = eventsByLine(t, fast)
	if e := findIn(evs[10], FastRetransmission); e == nil {
		t.Errorf("3 duplicate ACKs, resent at once: not fast: %v", evs[10])
	} else if by, _ := e.Get(KeyBy); RetransBy(by) != ByDupAcks {
		t.Errorf("by %s, want dup_acks", RetransBy(by))
	}
}

// TestUnackedByteNotKeepalive: one byte sent, never acknowledged, sent
// again after 5 s of silence is a retransmission; a keep-alive's byte is
// one the peer has acknowledged.
func TestUnackedByteNotKeepalive(t *testing.T) {
	trace := `00:00:00.000000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [S], seq 1000, win 65535, length 0
00:00:00.010000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65535, length 0
00:00:00.020000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [.], ack 5001, win 65535, length 0
00:00:00.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1001:1002, ack 5001, win 65535, length 1
00:00:05.030000 IP 127.0.0.1.40000 > 127.0.0.1.80: Flags [P.], seq 1001:1002, ack 5001, win 65535, length 1
`
	evs := eventsByLine(t, trace)
	if findIn(evs[5], Keepalive) != nil {
		t.Errorf("an unacknowledged byte sent again called a keep-alive")
	}
	if findIn(evs[5], Retransmission) == nil {
		t.Errorf("no retransmission: %v", evs[5])
	}
	acked := strings.Replace(trace, "00:00:05.030000", "00:00:00.040000 IP 127.0.0.1.80 > 127.0.0.1.40000: Flags [.], ack 1002, win 65535, length 0\n00:00:05.030000", 1)
	acked = strings.Replace(acked, "Flags [P.], seq 1001:1002, ack 5001, win 65535, length 1\n", "Flags [.], seq 1001:1002, ack 5001, win 65535, length 1\n", 2)
	evs = eventsByLine(t, acked)
	if findIn(evs[6], Keepalive) == nil {
		t.Errorf("an acknowledged byte sent again after idle: no keep-alive: %v", evs[6])
	}
}

// TestExcerptOfRelativeRender cuts lines 8–14 out of delay-at-sender's
// render without -S: its first line already prints relative numbers
// (`seq 7:13, ack 7`) whose bases are before the excerpt. They must be
// read as relative with no absolute value, not as absolute numbers with
// 2 GB missing; the same cut of the -S render tells the same story.
func TestExcerptOfRelativeRender(t *testing.T) {
	cut := func(render string) string {
		lines := strings.SplitAfter(readCapture(t, "delay-at-sender", render), "\n")
		return strings.Join(lines[7:14], "")
	}
	rel, abs := eventsByLine(t, cut("nn")), eventsByLine(t, cut("nn+S"))
	e := findIn(rel[1], TraceRelativeSeq)
	if e == nil || !e.Has(KeyBaseUnknown) || e.Has(KeySeq) || e.Has(KeyAck) {
		t.Errorf("line 1: want trace.relative_seq with base_unknown and no absolute value: %v", rel[1])
	}
	for line := 1; line <= 7; line++ {
		var a, b []string
		for _, ev := range rel[line] {
			if !ev.Code.Spec().Form {
				a = append(a, ev.Code.String())
			}
		}
		for _, ev := range abs[line] {
			if !ev.Code.Spec().Form {
				b = append(b, ev.Code.String())
			}
		}
		if strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("line %d: without -S %v, with -S %v", line, a, b)
		}
		for _, c := range []Code{LostSegment, AckedUnseen, LintAckUnsent} {
			if findIn(rel[line], c) != nil {
				t.Errorf("line %d: %s in a trace with no bytes missing", line, c)
			}
		}
	}
	// the server's second ACK of the excerpt: 18 − 13
	if e := findIn(rel[4], Ack); e == nil {
		t.Errorf("line 4: no ack")
	} else if n, _ := e.Get(KeyAcked); n != 5 {
		t.Errorf("line 4: acked %d, want 5", n)
	}
}

// TestFirstKeepaliveSaidLater cuts keepalive (answered keep-alives 1 s
// apart) from its first keep-alive on: line 1 looks like a plain ACK;
// line 3, the same ACK again after 1 s of idle, is a keep-alive and says
// that line 1 was the first.
func TestFirstKeepaliveSaidLater(t *testing.T) {
	lines := strings.SplitAfter(readCapture(t, "keepalive", "nn+S"), "\n")
	evs := eventsByLine(t, strings.Join(lines[7:13], ""))
	if findIn(evs[1], Keepalive) != nil {
		t.Errorf("line 1 called a keep-alive with no idle time in the trace")
	}
	e := findIn(evs[3], KeepaliveFirst)
	if e == nil {
		t.Fatalf("line 3: no keepalive.first: %v", evs[3])
	}
	if l, _ := e.Get(KeyFirstLine); l != 1 {
		t.Errorf("first_line %d, want 1", l)
	}
	if k := findIn(evs[3], Keepalive); k == nil {
		t.Errorf("line 3: no keep-alive")
	} else if n, _ := k.Get(KeyCount); n != 2 {
		t.Errorf("line 3: keep-alive #%d, want #2", n)
	}
}
