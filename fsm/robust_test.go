package fsm

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// The table's loops must make progress by construction: every iteration
// removes an entry, so over a whole trace they run at most a few times per
// packet. stepsPerPacket is a generous bound on that, amortized: one entry
// in the list and one in the queue per packet, each leaving once, the
// queue's compaction scanning each entry about twice, and the check that
// stops each loop.
const stepsPerPacket = 8

// stepSlack covers the compaction of the first 1024 queue entries.
const stepSlack = 4096

// guard holds a tracker to the bound before each packet: a loop that
// spins panics instead of hanging the test.
func guard(tr *Tracker) {
	tr.stepLimit = stepsPerPacket*(tr.packets+1) + stepSlack
}

// checkTable verifies the table's invariants: the list holds exactly the
// connections of the map, the queue names every tomb once, and the cap
// holds connections and tombs together.
func checkTable(t testing.TB, tr *Tracker) {
	t.Helper()
	n, grown := 0, 0
	for c := tr.lruHead; c != nil; c = c.nextConn {
		n++
		if c.connMore != nil {
			grown++
		}
		if !c.inTable || tr.conns[c.key] != c {
			t.Fatalf("connection #%d is in the list but not the map", c.ID)
		}
		if n > tr.live {
			t.Fatalf("the list holds more than %d live connections", tr.live)
		}
		if c.nextConn != nil && c.nextConn.seenUs > c.seenUs {
			t.Fatalf("the list is out of time order at #%d", c.ID)
		}
	}
	if n != tr.live || len(tr.conns) != tr.live {
		t.Fatalf("list %d, map %d, live %d", n, len(tr.conns), tr.live)
	}
	named := map[string]int{}
	q := &tr.tombQ
	for k := 0; k < q.len(); k++ {
		p := q.first + uint32(q.head+k)
		if tb := q.at(p); !tb.dead {
			named[tb.key]++
			if j, ok := tr.tombs.get(tb.key, q); !ok || j != p {
				t.Fatalf("tomb %q is at %d in the queue, the index says %d", tb.key, p, j)
			}
		}
	}
	for k, n := range named {
		if n != 1 {
			t.Fatalf("tomb %q is named %d times in the queue", k, n)
		}
	}
	if len(named) != tr.tombCount() {
		t.Fatalf("%d tombs in the queue, %d in the index", len(named), tr.tombCount())
	}
	if q := tr.tombQ.len(); q > 2*tr.tombCount()+1024 {
		t.Fatalf("the tomb queue has %d entries for %d tombs", q, tr.tombCount())
	}
	if tr.MaxConns > 0 && tr.held() > tr.MaxConns {
		t.Fatalf("%d connections and %d tombs held, cap %d", tr.live, tr.tombCount(), tr.MaxConns)
	}
	if grown != tr.grown {
		t.Fatalf("%d grown connections in the list, %d counted", grown, tr.grown)
	}
	if b := tr.heldBytes(); tr.MaxConns > 0 && b > tr.budget() && (tr.live > 1 || tr.tombCount() > 0) {
		t.Fatalf("%d bytes held (%d connections, %d grown, %d tombs), budget %d", b, tr.live, tr.grown, tr.tombCount(), tr.budget())
	}
}

// feed runs a trace through a guarded tracker, checking the table after
// every packet, and returns the results' codes.
func feed(t testing.TB, tr *Tracker, text string) (codes []string) {
	t.Helper()
	s := grammar.NewScanner(strings.NewReader(text))
	last := int64(-1 << 62)
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		guard(tr)
		res := tr.Process(&r.Packet, r.Line)
		if res == nil {
			continue // a later IP fragment of no segment in the trace
		}
		var cs []string
		for _, e := range res.Events {
			cs = append(cs, e.Code.String())
		}
		codes = append(codes, strings.Join(cs, " "))
		tr.Due()
		if tr.held() <= 64 || tr.packets%997 == 0 {
			checkTable(t, tr) // a walk of the whole table
		} else if tr.MaxConns > 0 && tr.held() > tr.MaxConns {
			t.Fatalf("%d held, cap %d", tr.held(), tr.MaxConns)
		}
		if tr.clk.tableUs < last {
			t.Fatalf("the table's time went back from %d to %d", last, tr.clk.tableUs)
		}
		last = tr.clk.tableUs
	}
	checkTable(t, tr)
	if tr.steps > stepsPerPacket*tr.packets+stepSlack {
		t.Fatalf("%d loop steps for %d packets", tr.steps, tr.packets)
	}
	return codes
}

// TestReproHangs runs the traces that hung tcpnote at 0666d29: a port
// reused, then the clock jumping past the idle timeout (the old
// connection stayed in the list while the map held the new one, so the
// sweep retired it again and again); the same after a close; and a
// -ttttt render whose offsets read as -ttt deltas race the clock ahead.
func TestReproHangs(t *testing.T) {
	for _, name := range []string{"portreuse-idle-hang.txt", "hang_reuse_after_close.txt", "ttttt-hang.txt"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("../testdata/repro/" + name)
			if err != nil {
				t.Fatal(err)
			}
			tr := NewTracker()
			codes := feed(t, tr, string(data))
			if name == "portreuse-idle-hang.txt" {
				// the reuse is noted, and the hour of silence lets both
				// earlier connections go: only the last SYN's is left
				if !strings.Contains(codes[1], "trace.ports_reused") {
					t.Errorf("second SYN: %s", codes[1])
				}
				if tr.Live() != 1 || tr.lruHead.Client != "10.0.0.3.1000" {
					t.Errorf("%d live after the hour", tr.Live())
				}
			}
		})
	}
}

// TestCapAfterReuse: one port reuse at the start, then a thousand new
// SYNs with --max-conns 10. The old connection used to stay in the list,
// so every new SYN "forgot" it again (a false note) and nothing ever left:
// the table grew with the input. Now each eviction forgets a different
// connection, whose summary becomes due once.
func TestCapAfterReuse(t *testing.T) {
	var b strings.Builder
	b.WriteString("10:00:00.000000 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 100, win 65535, length 0\n")
	b.WriteString("10:00:00.000001 IP 10.0.0.1.1000 > 10.0.0.2.80: Flags [S], seq 5000, win 65535, length 0\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "10:00:01.%06d IP 10.0.1.%d.%d > 10.0.0.2.80: Flags [S], seq 1, win 65535, length 0\n", i, i/200, 1024+i)
	}
	tr := NewTracker()
	tr.MaxConns = 10
	s := grammar.NewScanner(strings.NewReader(b.String()))
	seen := map[int]bool{}
	evictions := 0
	for s.Scan() {
		r := s.Record()
		guard(tr)
		res := tr.Process(&r.Packet, r.Line)
		if res.Find(TraceEvicted) != nil {
			evictions++
		}
		for _, c := range tr.Due() {
			if seen[c.ID] {
				t.Fatalf("connection #%d is due twice", c.ID)
			}
			seen[c.ID] = true
		}
		checkTable(t, tr)
	}
	// 1,001 connections after the reuse's, 10 held: 991 forgotten
	if evictions != 991 || tr.Live() != 10 {
		t.Errorf("%d evictions, %d live; want 991 and 10", evictions, tr.Live())
	}
}

// closedTrace writes n refused connections (SYN, RST-ACK) on distinct
// 4-tuples, one every stepUs, starting at startS seconds after midnight,
// in the default time of day, which wraps at midnight: the shape of
// testdata/repro/gen_closed.py.
func closedTrace(n int, startS, stepUs int64) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		us := (startS*1_000_000 + int64(i)*stepUs) % dayUs
		s, f := us/1_000_000, us%1_000_000
		tm := fmt.Sprintf("%02d:%02d:%02d.%06d", s/3600, s/60%60, s%60, f)
		src := fmt.Sprintf("10.0.%d.%d.%d", i/60000, i/250%240, 1024+i%60000)
		fmt.Fprintf(&b, "%s IP %s > 10.0.0.1.80: Flags [S], seq %d, win 64240, length 0\n", tm, src, i*7919)
		fmt.Fprintf(&b, "%s IP 10.0.0.1.80 > %s: Flags [R.], seq 0, ack %d, win 0, length 0\n", tm, src, i*7919+1)
	}
	return b.String()
}

// TestExpiryAcrossMidnight: refused connections every 10 ms, crossing
// midnight a minute in. Their tombs must go on expiring after 00:00:00
// (at most 2MSL = 60 s of them, 6,000, are held), the wrap is said once,
// and no time goes backwards.
func TestExpiryAcrossMidnight(t *testing.T) {
	tr := NewTracker()
	codes := feed(t, tr, closedTrace(20000, 86340, 10_000))
	days := 0
	for _, c := range codes {
		if strings.Contains(c, "trace.new_day") {
			days++
		}
		if strings.Contains(c, "trace.time_backwards") {
			t.Fatalf("time backwards: %s", c)
		}
	}
	if days != 1 {
		t.Errorf("the new day is said %d times", days)
	}
	if h := tr.held(); h > 6002 || h < 5990 {
		t.Errorf("%d held at the end; 2MSL of refused connections is 6,000", h)
	}
}

// TestMidnightLateLine: after the wrap, a line of the day before is a
// step back of a moment, not a day ahead.
func TestMidnightLateLine(t *testing.T) {
	tr := NewTracker()
	codes := feed(t, tr, `23:59:59.900000 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0
00:00:00.100000 IP 10.0.0.3.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0
23:59:59.950000 IP 10.0.0.4.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0
00:00:00.200000 IP 10.0.0.5.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0
`)
	want := []string{"", "trace.new_day", "trace.time_backwards", ""}
	for i, w := range want {
		if got := strings.TrimPrefix(strings.ReplaceAll(codes[i], "handshake.syn", ""), " "); got != w {
			t.Errorf("line %d: %q, want %q", i+1, got, w)
		}
	}
}

// jumps are the time steps the fuzz target chooses from: none, small
// ones, 2MSL, the idle timeout, a day, and back across midnight.
var jumps = []int64{0, 1, 1000, 1_000_000, 61_000_000, idleUs + 1, -1_000_000, -13 * 3600_000_000, 13 * 3600_000_000, 25 * 3600_000_000, 1 << 40}

// fuzzTrace turns bytes into a trace of SYNs, SYN-ACKs, ACKs, FINs and
// RSTs on a few 4-tuples (so ports are reused), in a clock form chosen by
// the first byte, with time jumps, and a small cap.
func fuzzTrace(data []byte) (text string, maxConns int) {
	if len(data) == 0 {
		return "", 1
	}
	form := data[0] % 4
	maxConns = 1 + int(data[0]>>2)%4
	var b strings.Builder
	us := int64(86390_000_000) // ten seconds before midnight
	for i := 1; i+2 < len(data); i += 3 {
		op, tuple, jump := data[i], data[i+1], data[i+2]
		step := jumps[int(jump)%len(jumps)]
		us += step
		switch f := form; {
		case f == 1 || f == 3 && jump&16 != 0: // -ttt: the step itself
			d := step
			if d < 0 {
				d = -d
			}
			fmt.Fprintf(&b, " %02d:%02d:%02d.%06d ", d/3600_000_000%100, d/60_000_000%60, d/1_000_000%60, d%1_000_000)
		case f == 2: // -tt
			fmt.Fprintf(&b, "%d.%06d ", 1_700_000_000+us/1_000_000, (us%1_000_000+1_000_000)%1_000_000)
		default: // the time of day, wrapping at midnight
			d := (us%dayUs + dayUs) % dayUs
			fmt.Fprintf(&b, "%02d:%02d:%02d.%06d ", d/3600_000_000, d/60_000_000%60, d/1_000_000%60, d%1_000_000)
		}
		a, p := 1+tuple%3, 1000+int(tuple>>2)%3
		src, dst := fmt.Sprintf("10.0.0.%d.%d", a, p), "10.0.0.9.80"
		if op&1 != 0 {
			src, dst = dst, src
		}
		seq := 100 * int(op>>5)
		flags := []string{"S", "S.", ".", "F.", "R", "R.", "P.", "S"}[op>>1&7]
		fmt.Fprintf(&b, "IP %s > %s: Flags [%s], seq %d, ack %d, win 100, length 0\n", src, dst, flags, seq, seq+1)
	}
	return b.String(), maxConns
}

// FuzzTable drives the table through port reuse, time jumps both ways
// (midnight wraps included), -ttt deltas and eviction with a cap of 1–4,
// and fails when a loop runs past its bound or an invariant breaks.
func FuzzTable(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 14, 0, 1, 0, 0, 5})                            // reuse, then the idle jump
	f.Add([]byte{4, 0, 0, 0, 7, 0, 0, 8, 0, 4, 0, 0, 3, 14, 4, 5, 0, 1, 5}) // close, reuse, jump
	f.Add([]byte{1, 0, 0, 10, 0, 4, 10, 0, 8, 10})                          // deltas racing ahead
	f.Add([]byte{12, 0, 0, 7, 0, 1, 7, 2, 2, 8, 4, 3, 7, 0, 0, 9})          // back across midnight
	f.Fuzz(func(t *testing.T, data []byte) {
		text, max := fuzzTrace(data)
		tr := NewTracker()
		tr.MaxConns = max
		// and a budget of one grown connection or two, so that growing
		// evicts too
		tr.budgetBytes = int64(max) * (liveBytes + grownBytes) / 2
		feed(t, tr, text)
		tr.Flush()
	})
}

// TestEditedJumpIsNoNewDay: one line of an edited trace 20 hours ahead,
// then back: no new day, the step back said as such; a real wrap later
// is still a new day.
func TestEditedJumpIsNoNewDay(t *testing.T) {
	tr := NewTracker()
	codes := feed(t, tr, `02:24:03.518594 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [S], seq 1, win 1, length 0
22:49:27.762588 IP 10.0.0.2.80 > 10.0.0.1.1: Flags [S.], seq 9, ack 2, win 1, length 0
02:24:03.518636 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [.], ack 10, win 1, length 0
23:59:59.000000 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [.], ack 10, win 1, length 0
00:00:01.000000 IP 10.0.0.1.1 > 10.0.0.2.80: Flags [.], ack 10, win 1, length 0
`)
	if !strings.Contains(codes[2], "trace.time_backwards") || strings.Contains(strings.Join(codes[:4], " "), "trace.new_day") {
		t.Errorf("the edited line: %q", codes[:4])
	}
	if !strings.Contains(codes[4], "trace.new_day") {
		t.Errorf("midnight: %q", codes[4])
	}
}
