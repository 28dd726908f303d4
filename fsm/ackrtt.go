package fsm

import "github.com/tcpnote/tcpnote/grammar"

// ACK RTT and bytes in flight, as Wireshark's TCP analysis computes them
// (tcp.analysis.ack_rtt, tcp.analysis.acks_frame,
// tcp.analysis.bytes_in_flight; the rules in docs/tcp-reference.md §1.4),
// so an engineer's numbers agree with tshark's to the microsecond and the
// byte. Each direction keeps the segments it sent that the peer has not
// acknowledged, oldest first: every segment that occupies sequence space
// (payload, SYN or FIN; a retransmission too, as a copy of its own). An
// ACK whose number is exactly the end of a listed segment measures its
// round trip from the oldest such segment; every segment it covers leaves
// the list, and one it covers in part keeps only its unacknowledged part.
// A segment with payload has bytes in flight: from the lowest listed seq to
// the highest listed end, less the bytes the peer's last segment reported
// in SACK blocks.

// maxUnacked bounds the segments listed per direction (Wireshark's own
// bound is 10,000). Past it a segment is not listed, as Wireshark does
// past its bound: its end times no ACK and its bytes count in no flight.
// 128 MSS-sized segments are 185 KB in flight at MSS 1448; the list holds
// 24 bytes a segment, allocated as it grows, so a direction whose ACKs
// the trace never shows (a one-way capture) costs at most 3 KB.
const maxUnacked = 128

// maxSACKRanges is how many SACK blocks of a segment Wireshark keeps for
// bytes in flight (it stores blocks while fewer than four are counted).
const maxSACKRanges = 3

// ackRTTExact is how many ACK RTT samples per direction are kept exactly
// (2 KB); past it they go to a log-scale histogram (rttHist, 2 KB) and
// the median is the middle of the bucket holding it: within 3.2% of the
// exact one (a bucket is a sixteenth of a power of two wide).
const ackRTTExact = 256

// spikeMinSamples, spikeTimes and spikeMinExcessUs decide an ACK RTT
// spike: at least spikeMinSamples samples before it in the same
// direction, and the new one at least spikeTimes × their median and at
// least spikeMinExcessUs above it — on loopback, where the median is a
// few microseconds, scheduler jitter of tens of microseconds is no spike.
const (
	spikeMinSamples  = 8
	spikeTimes       = 4
	spikeMinExcessUs = 10_000
)

// unackedSeg is a segment the peer has not acknowledged yet: its numbers
// (end counts a SYN or FIN), when and on which line it was sent.
type unackedSeg struct {
	seq, end uint32
	line     int32
	timed    bool // us is a time (the line had one)
	us       int64
}

// ackTrack is a connection's ACK RTT and bytes-in-flight state, part of
// its connMore (conn.go), which the first segment past the connection's
// first SYN allocates (a SYN flood's half-open connections never hold
// it), set up on first use. Index: the sender.
type ackTrack struct {
	segs    [2][]unackedSeg // in segBuf until a window holds more
	segBuf  [2][8]unackedSeg
	next    [2]uint32 // Wireshark's next sequence number, for its lost-segment rule
	hasNext [2]bool
	noBIF   [2]bool   // bytes in flight unknown: a gap in this direction, until the peer ACKs
	sacked  [2]uint32 // bytes in the SACK blocks of this direction's last segment
	winFull [2]bool   // this direction's flight has reached the peer's window: said once per episode
	stats   [2]rttStats
	// the first samples' storage: small connections cost one allocation
	firstRTT [2][8]int64
}

// rttStats are the ACK RTT samples of one direction's data: exact while
// few, then a histogram.
type rttStats struct {
	n        int
	min, max int64
	sorted   []int64 // the exact samples, ascending (nil once hist is used)
	hist     *rttHist
}

// rttHist counts samples in buckets of a sixteenth of a power of two:
// bucket 16·k + j holds [2^k·(1 + j/16), 2^k·(1 + (j+1)/16)) µs, up to
// 2^32 µs (71 minutes; longer samples share the last bucket).
type rttHist struct {
	n [histOctaves * 16]uint32
}

// histOctaves is how many powers of two the histogram spans from 1 µs.
const histOctaves = 32

// RTTStats summarizes one direction's ACK RTT samples, µs. MedianUs is
// exact up to 256 samples; past them it is the middle of the log-scale
// bucket (a sixteenth of a power of two wide) holding the median, within
// 3.2% of it. MinUs and MaxUs are always exact.
type RTTStats struct {
	N                      int
	MinUs, MedianUs, MaxUs int64
}

// ackState returns the connection's ACK tracking, setting it up on first
// use: the client's first SYN, taken before the connection grew, is put
// on the list then, with the time and line the connection kept of it
// (timed like the packet that grew it: a trace has times or has none).
func (c *Conn) ackState(timed bool) *ackTrack {
	m := c.connMore
	if m.ack != nil {
		return m.ack
	}
	a := &m.ackBuf
	m.ack = a
	for r := range a.segs {
		a.segs[r] = a.segBuf[r][:0]
		a.stats[r].sorted = a.firstRTT[r][:0]
	}
	f := &c.flows[Client]
	if f.hasISN && f.synSeen > 0 && c.synLine > 0 {
		a.segs[Client] = append(a.segs[Client], unackedSeg{seq: f.isn, end: f.isn + 1 + f.tfoData, line: c.synLine, timed: timed, us: c.firstUs})
		a.next[Client], a.hasNext[Client] = f.isn+1+f.tfoData, true
	}
	return a
}

// ackRTT runs Wireshark's rules on one segment, after the analysis: the
// segment joins its sender's list, its ack takes what it covers off the
// peer's, and res gets the ACK RTT and bytes in flight. It emits the
// spike and window notes.
func (t *Tracker) ackRTT(sg *segment) {
	c, from, p, res := sg.c, sg.from, sg.p, sg.res
	now, timed, line := sg.now, sg.timed, sg.line
	if p.Dialect == grammar.Quiet || sg.copy {
		return // -q has no numbers; a copy on another interface is no segment
	}
	if sg.cut {
		return // a cut line: its length is not known (analyse's read decided it: past a copy, it always runs)
	}
	syn, fin, rst, ackFlag, plen := sg.syn, sg.fin, sg.rst, sg.ack, sg.plen
	if c.connMore == nil && syn && !ackFlag && from == Server {
		// the server's own SYN: a simultaneous open (a flood's SYNs are
		// all a client's), so the connection is worth its memory
		t.grow(c)
	}
	if c.connMore == nil {
		// Only the client's SYN so far, and no memory for more: it is
		// listed when the connection grows (ackState), from its line and
		// the connection's first time. Data on it is all in flight (its
		// copies have the same numbers).
		if syn && !ackFlag && from == Client && c.synLine == 0 && line > 0 {
			c.synLine = int32(line)
		}
		if syn && plen > 0 && res.HasSeq {
			res.InFlight, res.HasInFlight = int64(plen), true
		}
		return
	}
	a := c.connMore.ack // set up once, by ackState: most packets make no call
	if a == nil {
		a = c.ackState(timed)
	}
	to := from.Other()
	if ackFlag {
		a.noBIF[to] = false // an ACK from the peer: its flight is known again
	}
	seq := res.Seq
	zwp := false
	if res.HasSeq {
		if a.hasNext[from] && seqGT(seq, a.next[from]) && !rst {
			a.noBIF[from] = true // bytes before this one are not in the trace
		}
		// Wireshark's zero-window probe: one byte at the next number
		// while the peer's window is 0; it does not move the next number
		o := &c.flows[to]
		zwp = plen == 1 && a.hasNext[from] && seq == a.next[from] && o.hasWin && o.win == 0
		end := seq + plen
		if plen > 0 || syn || fin {
			if syn || fin {
				end++
			}
			if len(a.segs[from]) < maxUnacked {
				a.segs[from] = append(a.segs[from], unackedSeg{seq: seq, end: end, line: int32(line), timed: timed, us: now})
			}
		}
		if (!a.hasNext[from] || seqGT(end, a.next[from])) && !zwp {
			a.next[from], a.hasNext[from] = end, true
		}
	}
	a.sacked[from] = sackedBytes(sg.sack)

	if res.HasAck && len(a.segs[to]) > 0 { // (nothing outstanding: nothing to take off, no call)
		if m, ok := a.acknowledge(to, res.Ack); ok && timed && m.timed && now >= m.us {
			res.AckRTTUs, res.AckedLine, res.HasAckRTT = now-m.us, int(m.line), true
			t.rttSample(a, to, now-m.us, int(m.line))
		}
	}

	if plen > 0 && res.HasSeq && !a.noBIF[from] && len(a.segs[from]) > 0 {
		lo, hi := a.segs[from][0].seq, a.segs[from][0].end
		for _, s := range a.segs[from][1:] {
			if seqLT(s.seq, lo) {
				lo = s.seq
			}
			if seqGT(s.end, hi) {
				hi = s.end
			}
		}
		n := hi - lo - a.sacked[to]
		if n > 0 && n < 2_000_000_000 {
			if syn || fin {
				n-- // the SYN's or FIN's number is no byte
			}
			res.InFlight, res.HasInFlight = int64(n), true
			t.windowFilled(c, a, from, n)
		}
	}
}

// acknowledge takes off to's list what ack covers, and returns the oldest
// segment whose end is ack: the one the ACK's round trip is measured from.
func (a *ackTrack) acknowledge(to Role, ack uint32) (unackedSeg, bool) {
	segs := a.segs[to]
	var m unackedSeg
	found := false
	kept := segs[:0]
	for _, s := range segs {
		switch {
		case s.end == ack:
			if !found {
				m, found = s, true
			}
			continue
		case seqLEQ(s.end, ack):
			continue // covered: acknowledged before, or with this
		case seqLT(s.seq, ack):
			s.seq = ack // covered in part
		}
		kept = append(kept, s)
	}
	a.segs[to] = kept
	return m, found
}

// sackedBytes adds up the lengths of a segment's first SACK blocks (all of
// them, D-SACKs too: Wireshark subtracts them as they are).
func sackedBytes(o *grammar.Option) uint32 {
	if o == nil {
		return 0
	}
	var n uint32
	for k := 0; k < int(o.NBlocks) && k < maxSACKRanges; k++ {
		n += o.Blocks[k][1] - o.Blocks[k][0]
	}
	return n
}

// rttSample counts one ACK RTT of acked's data and says when it is a spike.
func (t *Tracker) rttSample(a *ackTrack, acked Role, us int64, ackedLine int) {
	s := &a.stats[acked]
	if s.n >= spikeMinSamples {
		med := s.median()
		if med > 0 && us >= spikeTimes*med && us-med >= spikeMinExcessUs {
			t.emit(AckRTTSpike).set(KeyAckRTTUs, us).set(KeyAckedLine, int64(ackedLine)).
				set(KeyMedianUs, med).set(KeySamples, int64(s.n)).set(KeyTimes, us/med)
		}
	}
	s.add(us)
}

// add counts a sample.
func (s *rttStats) add(us int64) {
	if s.n == 0 || us < s.min {
		s.min = us
	}
	if us > s.max {
		s.max = us
	}
	s.n++
	if s.sorted == nil && s.hist == nil {
		s.sorted = make([]int64, 0, 8)
	}
	if n := len(s.sorted); s.hist == nil && n < ackRTTExact {
		if n == 0 || us >= s.sorted[n-1] {
			s.sorted = append(s.sorted, us) // above them all: where the search ends
			return
		}
		// the first sample above us (sort.Search's answer, without
		// its closure call per step): us goes after its equals
		i, j := 0, len(s.sorted)
		for i < j {
			h := int(uint(i+j) >> 1)
			if s.sorted[h] > us {
				j = h
			} else {
				i = h + 1
			}
		}
		s.sorted = append(s.sorted, 0)
		copy(s.sorted[i+1:], s.sorted[i:])
		s.sorted[i] = us
		return
	}
	if s.hist == nil {
		s.hist = new(rttHist)
		for _, v := range s.sorted {
			s.hist.n[histBucket(v)]++
		}
		s.sorted = nil
	}
	s.hist.n[histBucket(us)]++
}

// median returns the median sample (the lower middle of an even count).
func (s *rttStats) median() int64 {
	if s.n == 0 {
		return 0
	}
	if s.hist == nil {
		return s.sorted[(len(s.sorted)-1)/2]
	}
	want := uint32((s.n-1)/2) + 1
	var seen uint32
	for b, k := range s.hist.n {
		seen += k
		if seen >= want {
			lo, hi := histBounds(b)
			return (lo + hi) / 2
		}
	}
	return s.max
}

// histBucket returns the bucket of a sample (µs, at least 1).
func histBucket(us int64) int {
	if us < 1 {
		us = 1
	}
	k := 0
	for v := us; v > 1; v >>= 1 {
		k++
	}
	if k >= histOctaves {
		return histOctaves*16 - 1
	}
	// the four bits after the leading one
	j := int(((us << 4) >> uint(k)) & 15)
	return k*16 + j
}

// histBounds returns a bucket's range [lo, hi) in µs.
func histBounds(b int) (lo, hi int64) {
	k, j := b/16, int64(b%16)
	base := int64(1) << uint(k)
	lo, hi = base+base*j/16, base+base*(j+1)/16
	if hi <= lo {
		hi = lo + 1 // below 16 µs a bucket is narrower than a microsecond
	}
	return lo, hi
}

// stats returns the summary of a direction's samples.
func (s *rttStats) summary() RTTStats {
	return RTTStats{N: s.n, MinUs: s.min, MedianUs: s.median(), MaxUs: s.max}
}

// windowFilled says when a sender's bytes in flight reach the window its
// peer last advertised, in bytes — only when the handshake showed both
// window scales (or showed that neither side scales), so the window is
// known in bytes. Once per episode: again only after the flight fell
// below the window. Not on a packet Wireshark's window-full rule already
// names (window.full says the same of the segment's end).
func (t *Tracker) windowFilled(c *Conn, a *ackTrack, from Role, n uint32) {
	to := from.Other()
	o := &c.flows[to]
	if !o.hasWin || !c.flows[Client].hasISN || !c.flows[Server].hasISN || c.Midstream {
		return
	}
	win := c.winBytes(to, o.win)
	if win <= 0 || int64(n) < win {
		a.winFull[from] = false
		return
	}
	if a.winFull[from] {
		return
	}
	a.winFull[from] = true
	if t.find(WindowFull) != nil {
		return
	}
	t.emit(WindowInFlightFull).set(KeyInFlight, int64(n)).set(KeyWinBytes, win)
}
