package fsm

import (
	"os"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

func process(t *testing.T, tr *Tracker, text string) []*Result {
	t.Helper()
	s := grammar.NewScanner(strings.NewReader(text))
	var out []*Result
	for s.Scan() {
		r := s.Record()
		if r.Kind == grammar.TCP {
			res := *tr.Process(&r.Packet, r.Line)
			res.Events = append([]Event(nil), res.Events...)
			out = append(out, &res)
			tr.Due()
		}
	}
	return out
}

// TestMaxConnsEvicts feeds 200 interleaved real connections to a table
// that holds 10: the least recently seen are forgotten, with a note, and
// the table never grows past the cap.
func TestMaxConnsEvicts(t *testing.T) {
	data, err := os.ReadFile("../testdata/captures/interleaved-200/nn+S.txt")
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker()
	tr.MaxConns = 10
	evicted := 0
	s := grammar.NewScanner(strings.NewReader(string(data)))
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		res := tr.Process(&r.Packet, r.Line)
		if res.Find(TraceEvicted) != nil {
			evicted++
		}
		if tr.Live() > 10 {
			t.Fatalf("%d connections held, cap 10", tr.Live())
		}
		tr.Due()
	}
	if evicted == 0 {
		t.Error("no eviction noted")
	}
}

// TestClosedConnectionsLeave checks that a closed connection becomes a
// tomb at once, answers for a late segment, recognises port reuse, and
// leaves after 2MSL of trace time.
func TestClosedConnectionsLeave(t *testing.T) {
	data, _ := os.ReadFile("../testdata/captures/three-way-close/nn+S.txt")
	lines := strings.SplitAfter(string(data), "\n")
	tr := NewTracker()
	process(t, tr, string(data))
	if tr.Live() != 0 || tr.tombCount() != 1 {
		t.Fatalf("after the close: %d live, %d tombs; want 0 and 1", tr.Live(), tr.tombCount())
	}
	// the last ACK again, a moment later: a late duplicate of a closed
	// connection keeps its number and its closed states
	res := process(t, tr, strings.Replace(lines[len(lines)-2], "23:54:59.217099", "23:54:59.300000", 1))
	if res[0].Conn.ID != 1 || res[0].After[Client] != TimeWait || res[0].After[Server] != Closed {
		t.Errorf("late ACK: conn %d, states %v", res[0].Conn.ID, res[0].After)
	}
	// a packet of another connection 61 s later sweeps the tomb away
	other := "23:56:01.000000 IP 127.0.0.1.40000 > 127.0.0.1.7000: Flags [S], seq 1, win 100, length 0\n"
	process(t, tr, other)
	if _, ok := tr.tomb([]byte("127.0.0.1.59156\x00127.0.0.1.6801")); ok {
		t.Error("the tomb is still there after 2MSL")
	}
}

// TestTombsRevivedCompact: refused connections, then a late copy of each
// RST: every tomb is revived and closed again, which leaves a dead entry
// in the queue per connection. The queue is compacted (its places in the
// map move with it), every connection keeps its number, and the queue
// stays within its bound.
func TestTombsRevivedCompact(t *testing.T) {
	const n = 3000
	text := closedTrace(n, 36000, 100)
	var late strings.Builder
	for i, line := range strings.SplitAfter(text, "\n") {
		if i%2 == 1 {
			late.WriteString(strings.Replace(line, "10:00:00.", "10:00:01.", 1))
		}
	}
	tr := NewTracker()
	feed(t, tr, text)
	s := grammar.NewScanner(strings.NewReader(late.String()))
	for k := 1; s.Scan(); k++ {
		r := s.Record()
		res := tr.Process(&r.Packet, r.Line)
		if res.Conn.ID != k {
			t.Fatalf("late RST %d: connection #%d", k, res.Conn.ID)
		}
		checkTable(t, tr)
	}
	if tr.tombCount() != n || tr.Live() != 0 {
		t.Errorf("%d tombs, %d live; want %d and 0", tr.tombCount(), tr.Live(), n)
	}
}
