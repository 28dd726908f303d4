package fsm

// Series of timer-driven segments: zero-window probes (the persist timer),
// keep-alives, and the timing of an ACK against the segment it
// acknowledges. A series is what teaches the timer: the intervals, whether
// each doubled, and the cap when reached. Retransmission series live with
// the segments they repeat (retransmission in analysis.go).

// ackGap gives an ACK the time since the segment it acknowledges (its last
// copy, on the line the trace shows it) and what explains that time: one
// round trip to the ACK's sender, a delayed-ACK timer, or nothing the
// trace shows. A gap under the least delayed-ACK timer is not remarked on.
func (t *Tracker) ackGap(c *Conn, from Role, e *Event, ackN uint32, now int64, timed bool) {
	f, o := &c.flows[from], &c.flows[from.Other()]
	s, ok := o.ackedSegment(ackN)
	if !ok || !timed || s.last == 0 || now < s.last {
		return
	}
	gap := now - s.last
	// the ACK covers that segment alone: two full segments are
	// acknowledged at once (RFC 5681 §4.2), one may wait for the timer
	one := f.hasAck && seqGEQ(s.seq, f.lastAck)
	v := c.ackTiming(from, gap, one)
	if v == 0 && gap < delayedAckMinUs {
		return
	}
	e.set(KeyGapUs, gap).set(KeyAckedLine, int64(s.lastLine))
	if v != 0 {
		leg, src, _ := c.legOf(from)
		e.set(KeyAckGap, int64(v)).set(KeyRTTUs, leg).set(KeyRTTSource, int64(src))
	}
}

// sampleDataAck takes an ACK that advances as a sample of its sender's
// leg, measured from the segment it acknowledges; never from a segment
// sent more than once, whose ACK may answer an earlier copy (Karn's rule).
func (t *Tracker) sampleDataAck(c *Conn, from Role, ackN uint32, now int64, timed bool) {
	s, ok := c.flows[from.Other()].ackedSegment(ackN)
	if ok && timed && s.copies == 0 && s.last != 0 && now >= s.last {
		c.rtt.sample(from, now-s.last, RTTDataAck)
	}
}

// persistStarts begins the prober's series of zero-window probes when the
// peer's window closes: the first probe's interval is measured from here.
// When the prober's previous segment was an ACK that acknowledged nothing
// new and this zero window is the answer to it, that ACK was the first
// probe of a series whose start is not in the trace: said here.
func (t *Tracker) persistStarts(c *Conn, prober Role, now int64, notAnswer bool) {
	pr, rx := &c.flows[prober], &c.flows[prober.Other()]
	pr.probeUs, pr.probeGap, pr.probeN = now, 0, 0
	if pr.candLine == 0 || notAnswer || pr.candPeer+1 != rx.pkts {
		return
	}
	first := pr.candLine
	pr.probeUs, pr.probeN = pr.candUs, 1
	pr.candLine = 0
	pr.lastWasZWP = false
	t.emit(WindowProbeFirst).set(KeyFirstLine, int64(first))
}

// windowProbe gives a zero-window probe its place in the persist timer's
// series: its number, the interval since the previous probe (the first:
// since the window closed), and whether it doubled (Linux backs the persist
// timer off like the RTO, up to 120 s).
func (t *Tracker) windowProbe(c *Conn, from Role, e *Event, now int64, timed bool) {
	f := &c.flows[from]
	f.probeN++
	e.set(KeyCount, int64(f.probeN))
	if !timed {
		return
	}
	if f.probeUs != 0 && now > f.probeUs {
		gap := now - f.probeUs
		e.set(KeyGapUs, gap)
		if f.probeGap > 0 {
			e.set(KeyPrevGapUs, f.probeGap)
		}
		e.set(KeyBackoff, int64(backoff(gap, f.probeGap)))
		if gap >= rtoMaxUs*9/10 {
			e.set(KeyCapped, 1)
		}
		f.probeGap = gap
	}
	f.probeUs = now
}

// keepalive gives a keep-alive its place in its series: its number, the
// idle time before the first, the interval since the previous one and how
// it compares (keep-alives do not back off: Linux repeats them every
// TCP_KEEPINTVL while unanswered, every TCP_KEEPIDLE when answered). first
// is the line of an earlier ACK this one shows was the first keep-alive.
func (t *Tracker) keepalive(c *Conn, from Role, e *Event, now int64, timed bool, idle int64, first int32) {
	f := &c.flows[from]
	if first != 0 {
		f.kaN, f.kaUs, f.kaGap = 1, f.candUs, 0
	}
	f.kaN++
	e.set(KeyCount, int64(f.kaN))
	if timed {
		switch {
		case f.kaN == 1:
			if idle > 0 {
				e.set(KeyGapUs, idle)
			}
		case f.kaUs != 0 && now > f.kaUs:
			gap := now - f.kaUs
			e.set(KeyGapUs, gap)
			if f.kaGap > 0 {
				e.set(KeyPrevGapUs, f.kaGap)
			}
			e.set(KeyBackoff, int64(backoff(gap, f.kaGap)))
			f.kaGap = gap
		}
		f.kaUs = now
	}
	if first != 0 {
		t.emit(KeepaliveFirst).set(KeyFirstLine, int64(first))
	}
}
