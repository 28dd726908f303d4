package fsm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// reversedLastSeen is a trace of n connections that open in one order and
// are last seen in the reverse order, none closed: Flush gets them in the
// reverse of the order it returns them in (the insertion sort it once used
// was quadratic here).
func reversedLastSeen(n int) string {
	var b strings.Builder
	line := func(i, t int, flags string) {
		fmt.Fprintf(&b, "10:%02d:%02d.%06d IP 10.0.%d.%d.%d > 10.1.0.1.80: Flags [%s], %s, win 65535, length 0\n",
			t/60_000_000%60, t/1_000_000%60, t%1_000_000, i/60000, i/250%240, 1024+i%60000, flags,
			map[bool]string{true: "seq 100", false: "ack 1"}[flags == "S"])
	}
	for i := 0; i < n; i++ {
		line(i, i, "S")
	}
	for i := n - 1; i >= 0; i-- {
		line(i, 2*n-i, ".")
	}
	return b.String()
}

// trackAll runs a trace through a new Tracker, returning it unflushed.
func trackAll(t testing.TB, trace string) *Tracker {
	tr := NewTracker()
	s := grammar.NewScanner(strings.NewReader(trace))
	for s.Scan() {
		if r := s.Record(); r.Kind == grammar.TCP {
			tr.Process(&r.Packet, r.Line)
		}
	}
	return tr
}

// TestFlushOrder: Flush returns every open connection, once, in the order
// they first appeared, whatever the order they were last seen in.
func TestFlushOrder(t *testing.T) {
	const n = 5000
	got := trackAll(t, reversedLastSeen(n)).Flush()
	if len(got) != n {
		t.Fatalf("Flush: %d connections, want %d", len(got), n)
	}
	for i, c := range got {
		if c.ID != i+1 {
			t.Fatalf("Flush[%d] is connection #%d, want #%d", i, c.ID, i+1)
		}
	}
}

// BenchmarkFlushReversed measures Flush alone on 20,000 open connections
// last seen in the reverse of their opening order.
func BenchmarkFlushReversed(b *testing.B) {
	trace := reversedLastSeen(20000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tr := trackAll(b, trace)
		b.StartTimer()
		tr.Flush()
	}
}
