package fsm

// Round trips as a trace shows them. tcpdump sits somewhere on the path
// between the two endpoints, so the trace has no single RTT: what it shows
// is, for each endpoint, the time from a segment passing the capture point
// toward that endpoint until the endpoint's answer passes back (its "leg").
// Near the client, the server's leg is the whole RTT and the client's is
// almost nothing: ACKs of the client's data come one RTT after it, and the
// client's ACKs leave at once. Near the server it is the other way round.
//
// An ACK's gap from the segment it acknowledges is explained by the
// acknowledging side's leg; only what is left over can be a delayed-ACK
// timer. Every sample is an upper bound of the leg (the answer may have
// waited), so the estimate is the least sample.

// rtoMinUs is the least retransmission timeout Linux uses (TCP_RTO_MIN,
// 200 ms; RFC 6298 asks for 1 s): a segment sent again sooner, with no
// duplicate ACK or SACK to explain it, was not sent by the timer.
const rtoMinUs = 200_000

// rtoMaxUs is Linux's cap on the retransmission and persist timers
// (TCP_RTO_MAX, 120 s); an interval within a tenth of it has reached it.
const rtoMaxUs = 120_000_000

// tsRing is how many TS vals of a direction are remembered for their echo.
const tsRing = 8

// tsSeen is a TS val and when the trace first showed it.
type tsSeen struct {
	val uint32
	us  int64
}

// rttEst is a connection's round-trip knowledge: each endpoint's leg (0:
// no sample yet) and what its least sample was measured on.
type rttEst struct {
	leg  [2]int64
	src  [2]RTTSource
	hsOK [2]bool // the handshake sample of the leg is taken
	ts   *tsEchoes
}

// tsEchoes is the TS vals each direction showed last, in connMore's tsBuf
// from the first segment after the handshake that has timestamps: a
// connection that never gets there (a SYN flood's) costs nothing.
type tsEchoes struct {
	val [2][tsRing]tsSeen
	n   [2]uint8
}

// sample offers one measurement of an endpoint's leg.
func (r *rttEst) sample(end Role, us int64, src RTTSource) {
	if us < 1 {
		us = 1 // loopback: microseconds round to nothing
	}
	if r.leg[end] == 0 || us < r.leg[end] {
		r.leg[end], r.src[end] = us, src
	}
}

// legOf returns an endpoint's leg and its source, if the trace showed one.
func (c *Conn) legOf(end Role) (int64, RTTSource, bool) {
	return c.rtt.leg[end], c.rtt.src[end], c.rtt.leg[end] > 0
}

// observeRTT takes the round-trip samples of the handshake, before the
// segment changes the connection: SYN → SYN-ACK (the server's leg) and
// SYN-ACK → ACK (the client's). A retried SYN or SYN-ACK gives no sample:
// the answer may be to an earlier copy (Karn's rule).
func (t *Tracker) observeRTT(s *segment) {
	c, from, res, now := s.c, s.from, s.res, s.now
	if !s.timed || c.connMore == nil { // only a SYN so far: nothing to time
		return
	}
	f, o := s.f, s.o
	r := &c.rtt
	syn, ack := s.syn, s.ack
	switch {
	case syn && ack && !r.hsOK[from] && o.hasISN && o.synSeen == 1 && f.synAcks == 0 && o.synUs != 0 && res.HasAck && res.Ack == o.isn+1+o.tfoData:
		r.hsOK[from] = true
		r.sample(from, now-o.synUs, RTTHandshake)
	case !syn && ack && !r.hsOK[from] && o.hasISN && o.synAcks == 1 && o.synUs != 0 && res.HasAck && res.Ack == o.isn+1:
		r.hsOK[from] = true
		r.sample(from, now-o.synUs, RTTHandshake)
	}
}

// observeTSEcho takes the sample a TS echo gives, after the segment has
// been judged: a segment's own echo must not explain its own gap.
func (t *Tracker) observeTSEcho(s *segment) {
	c, from, to, now := s.c, s.from, s.to, s.now
	if !s.timed {
		return
	}
	if s.syn || c.connMore == nil {
		return // the handshake has its own samples
	}
	r := &c.rtt
	ts := s.ts
	if ts == nil {
		return
	}
	if r.ts == nil {
		r.ts = &c.tsBuf
	}
	e := r.ts
	if ts.Val2 != 0 {
		for i := int(e.n[to]) - 1; i >= 0; i-- { // the echo is of a recent val
			if seen := e.val[to][i]; seen.val == ts.Val2 {
				r.sample(from, now-seen.us, RTTTSEcho)
				break
			}
		}
	}
	if n := e.n[from]; n == 0 || e.val[from][n-1].val != ts.Val {
		e.remember(from, ts.Val, now) // (the same val as the last, the usual case, is no news: no call)
	}
}

// remember keeps the first time a direction showed a TS val.
func (e *tsEchoes) remember(from Role, val uint32, us int64) {
	n := int(e.n[from])
	if n > 0 && e.val[from][n-1].val == val {
		return // the clock has not ticked: the usual case
	}
	for i := 0; i < n; i++ {
		if e.val[from][i].val == val {
			return
		}
	}
	if n < tsRing {
		e.val[from][n] = tsSeen{val, us}
		e.n[from]++
		return
	}
	copy(e.val[from][:], e.val[from][1:])
	e.val[from][tsRing-1] = tsSeen{val, us}
}

// ackedSegment finds the data segment of the peer's an ACK acknowledges:
// the last one whose end is the ack.
func (o *flow) ackedSegment(ackN uint32) (*sentSeg, bool) {
	d := o.data
	if d == nil {
		return nil, false
	}
	for i := int(d.nsent) - 1; i >= 0; i-- {
		if s := &d.sent[i]; s.seq+s.len == ackN {
			return s, true
		}
	}
	return nil, false
}

// ackTiming judges the gap between a segment and the ACK of it, sent by
// end: a round trip when the end's leg explains it, delayed when what the
// leg leaves over fits a delayed-ACK timer and the ACK covers one segment
// (two full segments are acknowledged at once, RFC 5681 §4.2), otherwise
// unexplained. It returns 0 for a gap too short to remark on, and for a
// longer one when the trace shows no round trip to compare it with.
func (c *Conn) ackTiming(end Role, gap int64, oneSegment bool) AckGap {
	if gap < delayedAckMinUs {
		return 0
	}
	leg, _, ok := c.legOf(end)
	if !ok {
		return 0
	}
	slack := max64(leg/4, 5_000)
	excess := gap - leg
	switch {
	case excess <= slack:
		return AckRoundTrip
	case excess >= delayedAckMinUs && excess <= delayedAckMaxUs && oneSegment:
		return AckDelayed
	}
	return AckUnexplained
}
