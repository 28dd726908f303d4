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
func (t *Tracker) ackGap(s *segment, e *Event) {
	c, from, f, o, now := s.c, s.from, s.f, s.o, s.now
	sent, ok := o.ackedSegment(s.ackN)
	if !ok || !s.timed || sent.last == 0 || now < sent.last {
		return
	}
	gap := now - sent.last
	// the ACK covers that segment alone: two full segments are
	// acknowledged at once (RFC 5681 §4.2), one may wait for the timer
	one := f.hasAck && seqGEQ(sent.seq, f.lastAck)
	v := c.ackTiming(from, gap, one)
	if v == 0 && gap < delayedAckMinUs {
		return
	}
	e.set(KeyGapUs, gap).set(KeyAckedLine, int64(sent.lastLine))
	if v != 0 {
		leg, src, _ := c.legOf(from)
		e.set(KeyAckGap, int64(v)).set(KeyRTTUs, leg).set(KeyRTTSource, int64(src))
	}
}

// sampleDataAck takes an ACK that advances as a sample of its sender's
// leg, measured from the segment it acknowledges; never from a segment
// sent more than once, whose ACK may answer an earlier copy (Karn's rule).
func (t *Tracker) sampleDataAck(s *segment) {
	sent, ok := s.o.ackedSegment(s.ackN)
	if ok && s.timed && sent.copies == 0 && sent.last != 0 && s.now >= sent.last {
		s.c.rtt.sample(s.from, s.now-sent.last, RTTDataAck)
	}
}

// persistStarts begins the prober's series of zero-window probes when the
// segment closes its sender's window: the prober is the segment's
// receiver, and the first probe's interval is measured from here. When the
// prober's previous segment was an ACK that acknowledged nothing new and
// this zero window is the answer to it (notAnswer is false), that ACK was
// the first probe of a series whose start is not in the trace: said here.
func (t *Tracker) persistStarts(s *segment, notAnswer bool) {
	pr, rx := s.o, s.f
	pr.probeUs, pr.probeGap, pr.probeN = s.now, 0, 0
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
func (t *Tracker) windowProbe(s *segment, e *Event) {
	f, now := s.f, s.now
	f.probeN++
	e.set(KeyCount, int64(f.probeN))
	if !s.timed {
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
func (t *Tracker) keepalive(s *segment, e *Event, first int32) {
	f, now, idle := s.f, s.now, s.idle
	if first != 0 {
		f.kaN, f.kaUs, f.kaGap = 1, f.candUs, 0
	}
	f.kaN++
	e.set(KeyCount, int64(f.kaN))
	if s.timed {
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
