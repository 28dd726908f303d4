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

// The table entries entryBytes makes.
const (
	halfOpen  = iota // a SYN: a live half-open connection
	grownConn        // a SYN and its SYN-ACK: a live connection past its first SYN
	tombEntry        // a SYN and a RST-ACK: a tomb
)

// entryBytes feeds n distinct connections of a kind and returns the heap
// they hold per connection.
func entryBytes(tb testing.TB, n int, kind int) float64 {
	var ps grammar.Parser
	var p grammar.Packet
	tr := NewTracker()
	tr.MaxConns = 10 * n // and the budget with it: nothing forgotten
	before := heapAfter()
	for i := 0; i < n; i++ {
		src := fmt.Sprintf("10.%d.%d.%d.%d", i>>16&255, i>>8&255, i&255, 1024+i%60000)
		line := fmt.Sprintf("10:00:00.%06d IP %s > 10.0.0.1.80: Flags [S], seq %d, win 64240, length 0", i%1000000, src, i)
		if !ps.Parse([]byte(line), &p) {
			tb.Fatal(line)
		}
		tr.Process(&p, i)
		switch kind {
		case grownConn:
			line = fmt.Sprintf("10:00:00.%06d IP 10.0.0.1.80 > %s: Flags [S.], seq 7000, ack %d, win 65160, options [mss 1460,sackOK,TS val 1 ecr 2,nop,wscale 7], length 0", i%1000000, src, i+1)
		case tombEntry:
			line = fmt.Sprintf("10:00:00.%06d IP 10.0.0.1.80 > %s: Flags [R.], seq 0, ack %d, win 0, length 0", i%1000000, src, i+1)
		}
		if kind != halfOpen {
			if !ps.Parse([]byte(line), &p) {
				tb.Fatal(line)
			}
			tr.Process(&p, i)
		}
		tr.Due()
	}
	after := heapAfter()
	if kind == tombEntry && tr.tombCount() != n || kind != tombEntry && tr.Live() != n || kind == grownConn && tr.grown != n {
		tb.Fatalf("%d live (%d grown), %d tombs", tr.Live(), tr.grown, tr.tombCount())
	}
	runtime.KeepAlive(tr)
	return float64(after-before) / float64(n)
}

// BenchmarkTableBytes reports the heap a half-open connection, a grown
// one and a tomb hold (B/conn, B/grown, B/tomb): what DefaultMaxConns and
// the table's budget follow from.
func BenchmarkTableBytes(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.ReportMetric(entryBytes(b, 200000, halfOpen), "B/conn")
		b.ReportMetric(entryBytes(b, 100000, grownConn), "B/grown")
		b.ReportMetric(entryBytes(b, 200000, tombEntry), "B/tomb")
	}
}

// TestTableEntryBytes: the heap each kind of entry holds stays within
// what the table counts for it (liveBytes, grownBytes, tombBytes), so the
// budget it holds the count to bounds the heap; and the default cap's
// half-open connections fit the budget.
func TestTableEntryBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 100k connections of each kind")
	}
	live, grown, tomb := entryBytes(t, 100000, halfOpen), entryBytes(t, 50000, grownConn), entryBytes(t, 100000, tombEntry)
	t.Logf("per entry: half-open %.0f B, grown %.0f B, tomb %.0f B", live, grown, tomb)
	if live > liveBytes || grown > liveBytes+grownBytes || tomb > tombBytes {
		t.Errorf("per entry: half-open %.0f B (counted %d), grown %.0f B (counted %d), tomb %.0f B (counted %d)",
			live, liveBytes, grown, liveBytes+grownBytes, tomb, tombBytes)
	}
	if heap := int64(DefaultMaxConns) * liveBytes; heap > tableBudget+tableBudget/20 {
		t.Errorf("%d half-open connections count %d MB, over the %d MB budget", DefaultMaxConns, heap>>20, tableBudget>>20)
	}
}

// TestBudgetBoundsGrownConnections: connections past their handshake
// are forgotten, oldest first, once the heap they hold reaches the
// budget, though far fewer than the default cap.
func TestBudgetBoundsGrownConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 120k connections")
	}
	var ps grammar.Parser
	var p grammar.Packet
	tr := NewTracker()
	evicted := 0
	for i := 0; i < 120000; i++ {
		src := fmt.Sprintf("10.%d.%d.%d.%d", i>>16&255, i>>8&255, i&255, 1024+i%60000)
		for _, line := range []string{
			fmt.Sprintf("10:00:00.%06d IP %s > 10.0.0.1.80: Flags [S], seq %d, win 64240, length 0", i%1000000, src, i),
			fmt.Sprintf("10:00:00.%06d IP 10.0.0.1.80 > %s: Flags [S.], seq 7000, ack %d, win 65160, length 0", i%1000000, src, i+1),
		} {
			if !ps.Parse([]byte(line), &p) {
				t.Fatal(line)
			}
			for _, e := range tr.Process(&p, i).Events {
				if e.Code == TraceEvicted {
					evicted++
				}
			}
		}
		tr.Due()
		if b := tr.heldBytes(); b > tr.budget() {
			t.Fatalf("after %d connections: %d bytes held, budget %d", i+1, b, tr.budget())
		}
	}
	// the budget holds about 40,000 grown connections: the rest went,
	// each with its note
	if fit := int(tableBudget / (liveBytes + grownBytes)); tr.Live() > fit+fit/20 || tr.Live() < fit-fit/20 || tr.Live() != 120000-evicted {
		t.Errorf("%d evicted, %d live; want about %d live", evicted, tr.Live(), fit)
	}
}
