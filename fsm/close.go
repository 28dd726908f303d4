package fsm

// The close: FINs, their ACKs, and FINs held behind a hole.

// finSent handles a FIN: the first (active close), the passive side's,
// merged with the ACK of the first (three-segment close), or crossing it
// (simultaneous close). The FIN's number follows the segment's data.
func (t *Tracker) finSent(s *segment) {
	c, from, to, f, o := s.c, s.from, s.to, s.f, s.o
	finSeq, ackN, hasAck := s.seq+s.plen, s.ackN, s.ack && s.res.HasAck
	if !s.hasSeq && f.hasNext {
		finSeq = f.next
	}
	if f.fin && f.finSeq == finSeq {
		if t.find(Retransmission) == nil {
			t.emit(Retransmission).set(KeySeq, int64(finSeq)).set(KeyLen, 0).set(KeyFIN, 1)
			f.retrans++
		}
		if !f.finAcked && c.state[to] == CloseWait && !o.fin && (!o.hasAck || seqLEQ(o.lastAck, finSeq)) {
			// The FIN is sent again and the receiver never acknowledged
			// it: it was not accepted, the receiver never left
			// ESTABLISHED. This copy is delivered as the first was.
			t.move(c, to, Established, HowCorrected, WhyFINNotAccepted)
			t.advance(c, to, CloseWait)
		}
		return
	}
	f.fin, f.finSeq = true, finSeq
	if !f.hasNext || seqGT(finSeq+1, f.next) {
		f.next, f.hasNext = finSeq+1, true
	}
	switch {
	case c.Self:
		// a socket connected to itself receives its own FIN while its
		// FIN is unacknowledged: a simultaneous close of one socket
		t.emit(CloseFIN).set(KeySeq, int64(finSeq))
		c.closer, c.closeKind = from, closeSimultaneous
		t.advance(c, from, FinWait1)
		t.advance(c, from, Closing)
	case !o.fin:
		t.emit(CloseFIN).set(KeySeq, int64(finSeq))
		if c.closeKind == closeNone {
			c.closer = from
		}
		t.advance(c, from, FinWait1)
		t.advance(c, to, CloseWait)
	case hasAck && seqGT(ackN, o.finSeq) && !o.finAcked:
		// the ACK of the peer's FIN rides on this FIN
		o.finAcked, f.passiveFIN = true, true
		t.emit(CloseFINMerged).set(KeyAck, int64(ackN)).set(KeyFINSeq, int64(o.finSeq))
		t.advance(c, from, LastAck)
		t.advance(c, to, TimeWait)
		if c.closeKind == closeNone {
			c.closeKind = closeThree
		}
	case o.finAcked || hasAck && seqGT(ackN, o.finSeq):
		f.passiveFIN = true
		t.emit(ClosePassiveFIN).set(KeySeq, int64(finSeq))
		t.advance(c, from, LastAck)
		if c.state[to] == FinWait2 || c.state[to] == FinWait1 {
			t.edge(c, to, TimeWait)
		}
		if c.closeKind == closeNone {
			c.closeKind = closeFour
		}
	default:
		// The FINs crossed: this FIN does not acknowledge the peer's,
		// so its sender had not received that FIN when it sent this
		// one. It was still ESTABLISHED, not CLOSE_WAIT: it goes to
		// FIN_WAIT_1, then CLOSING when the peer's FIN arrives; the
		// peer, in FIN_WAIT_1, goes to CLOSING when this one arrives.
		t.emit(CloseSimultaneous).set(KeySeq, int64(finSeq)).set(KeyFINSeq, int64(o.finSeq))
		if c.state[from] == CloseWait {
			t.move(c, from, Established, HowCorrected, WhyFINCrossed)
		}
		t.advance(c, from, FinWait1)
		t.advance(c, from, Closing)
		t.advance(c, to, Closing)
		c.closeKind = closeSimultaneous
	}
}

// finAcked handles the acknowledgment of the peer's FIN.
func (t *Tracker) finAcked(s *segment) {
	c, from, to, o, ackN := s.c, s.from, s.to, s.o, s.ackN
	if !o.fin || o.finAcked || !seqGT(ackN, o.finSeq) {
		return
	}
	o.finAcked = true
	if c.state[from] == Established && !c.flows[from].fin {
		// a FIN held back before (finHeld) is accepted now
		t.edge(c, from, CloseWait)
	}
	switch c.state[to] {
	case FinWait1:
		t.emit(CloseFINAck).set(KeyAck, int64(ackN)).set(KeyFINSeq, int64(o.finSeq))
		t.edge(c, to, FinWait2)
	case Closing:
		// in a simultaneous close each side acknowledges the other's
		// FIN: neither ACK is a "second wave"
		t.emit(CloseFINAck).set(KeyAck, int64(ackN)).set(KeyFINSeq, int64(o.finSeq)).set(KeySimultaneous, 1)
		t.edge(c, to, TimeWait)
	case LastAck:
		t.emit(CloseFinalAck).set(KeyAck, int64(ackN)).set(KeyFINSeq, int64(o.finSeq))
		t.edge(c, to, Closed)
	default:
		if c.state[to] == Unknown {
			t.emit(CloseFINAck).set(KeyAck, int64(ackN)).set(KeyFINSeq, int64(o.finSeq))
		}
	}
	if (c.state[0] == Closed || c.state[0] == TimeWait) && (c.state[1] == Closed || c.state[1] == TimeWait) {
		c.done = true
	}
}

// finHeld notices a receiver that SACKs the peer's FIN while its
// cumulative ack stays below it: it holds the FIN out of order, behind a
// hole, and has not accepted it. Its state is put back to ESTABLISHED;
// the ack that finally covers the FIN moves it to CLOSE_WAIT (finAcked).
func (t *Tracker) finHeld(s *segment) {
	c, from, res, o := s.c, s.from, s.res, s.o
	if !o.fin || o.finAcked || c.state[from] != CloseWait || !res.HasAck || seqGT(res.Ack, o.finSeq) {
		return
	}
	sack := s.sack
	if sack == nil {
		return
	}
	for k := 0; k < int(sack.NBlocks); k++ {
		r := sack.Blocks[k][1]
		if res.Relative {
			r += c.base[from.Other()]
		}
		if seqGT(r, o.finSeq) {
			t.move(c, from, Established, HowCorrected, WhyFINHeld)
			return
		}
	}
}
