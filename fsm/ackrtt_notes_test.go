package fsm

import (
	"fmt"
	"strings"
	"testing"
)

// rttTrace builds a connection over a 30 ms path whose client sends n
// 1000-byte segments, each acknowledged rtts[i] µs after it, and returns
// the trace with the line of the last ACK.
func rttTrace(rtts []int64) (string, int) {
	var b strings.Builder
	us := int64(0)
	line := 0
	add := func(format string, a ...any) {
		line++
		fmt.Fprintf(&b, "%02d:%02d:%02d.%06d ", us/3_600_000_000, us/60_000_000%60, us/1_000_000%60, us%1_000_000)
		fmt.Fprintf(&b, format+"\n", a...)
	}
	add("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0")
	us += 30_000
	add("IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,sackOK,TS val 2 ecr 1,nop,wscale 7], length 0")
	us += 100
	add("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5001, win 502, length 0")
	seq := uint32(1001)
	for _, r := range rtts {
		us += 1000
		add("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq %d:%d, ack 5001, win 502, length 1000", seq, seq+1000)
		seq += 1000
		us += r
		add("IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack %d, win 509, length 0", seq)
	}
	return b.String(), line
}

// TestAckRTTSpike: a 212 ms ACK after fourteen of 30 ms is a spike, said
// with its evidence; one that is not far enough above the median, or
// comes before enough samples, is not.
func TestAckRTTSpike(t *testing.T) {
	steady := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = 29_500 + int64(i%3)*500 // 29.5, 30, 30.5 ms
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		rtts  []int64
		spike bool
	}{
		// the handshake's SYN-ACK is timed too (30 ms): 15 samples before
		{"spike", append(steady(14), 212_000), true},
		{"too few before", append(steady(6), 212_000), false},                                    // 7 samples before it
		{"not 4× the median", append(steady(14), 110_000), false},                                // 3.6×
		{"loopback jitter", append([]int64{40, 42, 38, 41, 39, 40, 43, 40, 41, 40}, 900), false}, // 22× but 0.9 ms
	} {
		text, last := rttTrace(tc.rtts)
		evs := eventsByLine(t, text)
		fired := 0
		for line, es := range evs {
			if e := findIn(es, AckRTTSpike); e != nil {
				fired++
				if line != last {
					t.Errorf("%s: a spike on line %d, not the last ACK (line %d)", tc.name, line, last)
				}
				if tc.name == "spike" {
					want := map[Key]int64{KeyAckRTTUs: 212_000, KeyAckedLine: int64(last - 1), KeyMedianUs: 30_000, KeySamples: 15, KeyTimes: 7}
					for k, v := range want {
						if got, _ := e.Get(k); got != v {
							t.Errorf("spike: %s = %d, want %d", k, got, v)
						}
					}
				}
			}
		}
		if (fired > 0) != tc.spike {
			t.Errorf("%s: %d spikes, want spike=%v", tc.name, fired, tc.spike)
		}
	}
}

// TestInFlightFull: a receiver (window scale 0 from the handshake) that
// shrinks its window below what the sender already has in flight. The
// sender's next segment brings its flight to 1500 bytes over a 500-byte
// window: said once, with both numbers; the segment that ends exactly at the
// window's edge is window.full's, not this note's; without the
// handshake the window's unit is unknown and nothing is said.
func TestInFlightFull(t *testing.T) {
	const hs = `10:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,wscale 0], length 0
10:00:00.010000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 3000, options [mss 1460,wscale 0], length 0
10:00:00.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5001, win 64240, length 0
`
	const data = `10:00:00.021000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], seq 1001:2001, ack 5001, win 64240, length 1000
10:00:00.022000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], seq 2001:3001, ack 5001, win 64240, length 1000
10:00:00.031000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 2001, win 500, length 0
10:00:00.032000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], seq 3001:3501, ack 5001, win 64240, length 500
10:00:00.033000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], seq 3501:3601, ack 5001, win 64240, length 100
10:00:00.041000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 3001, win 3000, length 0
10:00:00.042000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], seq 3601:6001, ack 5001, win 64240, length 2400
`
	evs := eventsByLine(t, hs+data)
	e := findIn(evs[7], WindowInFlightFull)
	if e == nil {
		t.Fatalf("line 7 (1500 bytes in flight, window 500): no %s: %v", WindowInFlightFull, evs[7])
	}
	if n, _ := e.Get(KeyInFlight); n != 1500 {
		t.Errorf("in flight %d, want 1500", n)
	}
	if w, _ := e.Get(KeyWinBytes); w != 500 {
		t.Errorf("window %d bytes, want 500", w)
	}
	if findIn(evs[8], WindowInFlightFull) != nil {
		t.Errorf("line 8: said again in the same episode")
	}
	// line 10 ends at the new edge 3001 + 3000: window.full speaks
	if findIn(evs[10], WindowFull) == nil || findIn(evs[10], WindowInFlightFull) != nil {
		t.Errorf("line 10: want window.full alone, got %v", evs[10])
	}
	for line, es := range eventsByLine(t, data) { // mid-stream: no handshake
		if findIn(es, WindowInFlightFull) != nil {
			t.Errorf("mid-stream line %d: %s without the handshake's window scale", line, WindowInFlightFull)
		}
	}
}

// TestRTTStatsMedian: exact up to ackRTTExact samples, then within the
// histogram's 3.2% (half a bucket); memory stays bounded (the exact samples are dropped).
func TestRTTStatsMedian(t *testing.T) {
	var s rttStats
	for i := int64(1); i <= 101; i++ {
		s.add(i * 1000)
	}
	if got := s.summary(); got.N != 101 || got.MinUs != 1000 || got.MaxUs != 101_000 || got.MedianUs != 51_000 {
		t.Errorf("101 samples: %+v", got)
	}
	var big rttStats
	n := 10_000
	for i := 0; i < n; i++ {
		big.add(int64(1000 + (i*7919)%n)) // 1000 … 10999 µs, shuffled
	}
	if big.sorted != nil || big.hist == nil {
		t.Fatalf("past %d samples the exact list must go", ackRTTExact)
	}
	exact := int64(1000 + (n-1)/2)
	got := big.median()
	if d := got - exact; d*1000 > exact*32 || -d*1000 > exact*32 {
		t.Errorf("median %d, exact %d: more than 3.2%% off", got, exact)
	}
	if r := big.summary(); r.MinUs != 1000 || r.MaxUs != 10_999 || r.N != n {
		t.Errorf("%+v", r)
	}
	for _, us := range []int64{1, 2, 3, 17, 1000, 1 << 20, 1<<31 + 5, 1<<40 + 5} {
		lo, hi := histBounds(histBucket(us))
		if us < lo && us < 1<<32 || us >= hi && us < 1<<32 {
			t.Errorf("%d µs in bucket [%d, %d)", us, lo, hi)
		}
	}
}

// BenchmarkRTTStatsAdd measures a sample's cost, exact and past the exact
// samples.
func BenchmarkRTTStatsAdd(b *testing.B) {
	var s rttStats
	for i := 0; i < b.N; i++ {
		s.add(int64(1000 + (i*7919)%5000))
	}
}
