package fsm

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// heapAfter returns the live heap after a full collection.
func heapAfter() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// entryBytes feeds n distinct connections, each one line (a SYN: a live
// half-open connection) or two (SYN, RST-ACK: a tomb), and returns the
// heap they hold per connection.
func entryBytes(tb testing.TB, n int, refused bool) float64 {
	var ps grammar.Parser
	var p grammar.Packet
	tr := NewTracker()
	tr.MaxConns = n + 1
	before := heapAfter()
	for i := 0; i < n; i++ {
		src := fmt.Sprintf("10.%d.%d.%d.%d", i>>16&255, i>>8&255, i&255, 1024+i%60000)
		line := fmt.Sprintf("10:00:00.%06d IP %s > 10.0.0.1.80: Flags [S], seq %d, win 64240, length 0", i%1000000, src, i)
		if !ps.Parse([]byte(line), &p) {
			tb.Fatal(line)
		}
		tr.Process(&p, i)
		if refused {
			line = fmt.Sprintf("10:00:00.%06d IP 10.0.0.1.80 > %s: Flags [R.], seq 0, ack %d, win 0, length 0", i%1000000, src, i+1)
			ps.Parse([]byte(line), &p)
			tr.Process(&p, i)
		}
		tr.Due()
	}
	after := heapAfter()
	if refused && tr.tombCount() != n || !refused && tr.Live() != n {
		tb.Fatalf("%d live, %d tombs", tr.Live(), tr.tombCount())
	}
	runtime.KeepAlive(tr)
	return float64(after-before) / float64(n)
}

// BenchmarkTableBytes reports the heap a half-open connection and a tomb
// hold (B/conn, B/tomb): what DefaultMaxConns follows from.
func BenchmarkTableBytes(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.ReportMetric(entryBytes(b, 200000, false), "B/conn")
		b.ReportMetric(entryBytes(b, 200000, true), "B/tomb")
	}
}

// TestDefaultCapBoundsMemory: the default cap times the bytes of the
// larger entry stays within the heap budget the default is chosen for.
func TestDefaultCapBoundsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 200k connections")
	}
	per := entryBytes(t, 100000, false)
	if tomb := entryBytes(t, 100000, true); tomb > per {
		per = tomb
	}
	if heap := per * DefaultMaxConns; heap > tableBudget {
		t.Errorf("%.0f B per connection × %d = %.0f MB, over the %d MB budget", per, DefaultMaxConns, heap/1e6, tableBudget>>20)
	}
}
