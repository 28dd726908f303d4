package fsm

// The opening: SYNs, SYN-ACKs, their retries and a socket connected to itself.

import "github.com/tcpnote/tcpnote/grammar"

// retryGap gives a retransmitted SYN or SYN-ACK the time since the
// previous one and whether the timeout doubled, and remembers it.
func (f *flow) retryGap(e *Event, now int64, timed bool) {
	if timed && f.synUs != 0 && now > f.synUs {
		gap := now - f.synUs
		e.set(KeyGapUs, gap)
		if f.synGap > 0 {
			e.set(KeyPrevGapUs, f.synGap).set(KeyDoubled, b2i(backoff(gap, f.synGap) == BackoffDoubled))
		}
		e.set(KeyBackoff, int64(backoff(gap, f.synGap)))
		f.synGap = gap
	}
	f.synUs = now
}

// syn handles a SYN without ACK: the first handshake, its retransmission,
// or the second SYN of a simultaneous open. It reports a retransmission.
func (t *Tracker) syn(s *segment) bool {
	c, from, p, f, o := s.c, s.from, s.p, s.f, s.o
	seq, now := s.seq, s.now
	switch {
	case f.hasISN && f.isn == seq:
		f.synSeen++
		f.retrans++
		e := t.emit(HandshakeSYNRetransmit).set(KeyISN, int64(seq)).set(KeyCount, int64(f.synSeen)-1)
		f.retryGap(e, now, s.timed)
		c.synUs = now
		switch {
		case from == Client && o.synAcks > 0 && !c.Simultaneous && c.state[Server] == SynRcvd:
			// The server answered, yet the client asks again: the
			// SYN-ACK never arrived. The client is still in SYN_SENT.
			e.set(KeyLost, 1)
			if c.state[Client] != SynSent {
				t.move(c, Client, SynSent, HowCorrected, WhySYNACKLost)
			}
		case from == Client && o.synAcks == 0 && !c.Simultaneous:
			// No answer anywhere in the trace: the server has shown
			// nothing, so its state stays unknown.
			e.set(KeyUnanswered, 1)
		}
		return true
	case from == Server && !f.hasISN && c.state[Client] == SynSent:
		// The "server" sends a SYN of its own: it never listened. Each
		// SYN reaches a side in SYN_SENT, which goes to SYN_RCVD.
		c.Simultaneous = true
		t.emit(HandshakeSimultaneousOpen).set(KeyISN, int64(seq)).set(KeyPeerISN, int64(o.isn))
		f.isn, f.hasISN, f.synSeen, f.synUs = seq, true, 1, now
		f.next, f.hasNext, f.nextUs = seq+1+p.Len, true, now
		if c.state[Server] == Unknown {
			t.move(c, Server, SynSent, HowInferred, WhySendsSYN)
		}
		t.edge(c, Server, SynRcvd)
		t.edge(c, Client, SynRcvd)
	case from == Client && c.Client == c.Server:
		// A socket connected to itself: its SYN comes back to it, as
		// in a simultaneous open of one socket.
		c.Self = true
		t.emit(HandshakeSelfConnect).set(KeyISN, int64(seq)).set(KeyPort, int64(portOf(c.Client)))
		f.isn, f.hasISN, f.synSeen, f.synUs = seq, true, 1, now
		f.next, f.hasNext, f.nextUs = seq+1+p.Len, true, now
		o.isn, o.hasISN, o.next, o.hasNext = seq, true, seq+1+p.Len, true
		c.synUs = now
		t.edge(c, Client, SynSent)
		t.edge(c, Client, SynRcvd)
	default:
		e := t.emit(HandshakeSYN).set(KeyISN, int64(seq))
		if p.Len > 0 {
			e.set(KeyTFOData, int64(p.Len))
		}
		f.isn, f.hasISN, f.synSeen, f.synUs = seq, true, 1, now
		f.next, f.hasNext, f.nextUs = seq+1+p.Len, true, now
		f.tfoData = p.Len
		c.synUs = now
		if c.state[from] == Unknown {
			t.move(c, from, SynSent, HowInferred, WhySendsSYN)
		} else {
			t.edge(c, from, SynSent)
		}
		// the passive side stays Unknown until it answers
	}
	if p.Flags.Has(grammar.ECE) && p.Flags.Has(grammar.CWR) {
		t.emit(ECNSetup).set(KeyECNSide, int64(ECNSYN))
	}
	return false
}

// synAck handles a SYN-ACK: the second handshake or its retransmission.
func (t *Tracker) synAck(s *segment) bool {
	c, from, to, f, o := s.c, s.from, s.to, s.f, s.o
	seq, ackN, now := s.seq, s.ackN, s.now
	if c.Self {
		return t.selfSynAck(s)
	}
	if f.synAcks > 0 && f.isn == seq {
		f.synAcks++
		f.retrans++
		e := t.emit(HandshakeSYNACKRetransmit).set(KeyISN, int64(seq)).set(KeyCount, int64(f.synAcks)-1)
		f.retryGap(e, now, s.timed)
		t.advance(c, to, Established) // from SYN_SENT, if the first was lost
		if c.state[from] == Established && !c.Simultaneous && !o.dataSeen {
			// The server asks again: the 3rd handshake it was given
			// never reached it, so it is still in SYN_RCVD.
			if o.hsAcks > 0 {
				// The ACK is in the trace, yet the listener did not take
				// it: dropped on arrival (a full accept queue does that).
				t.emit(HandshakeACKDropped).set(KeyCount, int64(o.hsAcks))
			} else {
				e.set(KeyLost, 1)
			}
			t.move(c, from, SynRcvd, HowCorrected, WhyHandshakeAckLost)
		}
		return true
	}
	if f.synAcks > 0 && o.hasISN && !c.Simultaneous {
		// A second SYN-ACK for the same SYN with another ISN: not a
		// retransmission; the client, synchronized to the first ISN,
		// finds it outside its window and can only answer with an ACK.
		t.emit(HandshakeSYNACKNewISN).set(KeyISN, int64(seq)).set(KeyExpected, int64(f.isn)).set(KeyAck, int64(ackN))
		return false
	}
	if !o.hasISN {
		// No SYN in the trace: it came before the capture, or there was
		// none. The ack says what the peer's next number would be, not
		// that it ever sent a SYN: no ISN is invented.
		t.emit(HandshakeSYNACKUnsolicited).set(KeyISN, int64(seq)).set(KeyAck, int64(ackN))
		o.next, o.hasNext = ackN, true
		c.Midstream = true
		c.stray = o.pkts == 0
	} else {
		e := t.emit(HandshakeSYNACK).set(KeyISN, int64(seq)).set(KeyAck, int64(ackN))
		if c.Simultaneous {
			e.set(KeySimultaneous, 1)
		}
		e.set(KeyPeerISN, int64(o.isn))
		switch {
		case o.tfoData > 0 && ackN == o.isn+1+o.tfoData:
			e.set(KeyTFOBytes, int64(o.tfoData))
		case ackN != o.isn+1:
			e.set(KeyExpected, int64(o.isn+1))
			if !c.elided && !c.missed {
				// a SYN with another ISN may be in a gap of the trace
				t.emit(LintSYNACKAck).set(KeyAck, int64(ackN)).set(KeyExpected, int64(o.isn+1)).set(KeyPeerISN, int64(o.isn))
			}
		case o.tfoData > 0:
			// the SYN's data is not acknowledged: not taken
			e.set(KeyMissing, int64(o.tfoData))
		}
	}
	if f.synSeen == 0 || f.isn != seq {
		f.synSeen = 1
	}
	f.isn, f.hasISN, f.synAcks, f.synUs = seq, true, 1, now
	if !f.hasNext || seqGT(seq+1, f.next) {
		f.next, f.hasNext, f.nextUs = seq+1, true, now
	}
	t.advance(c, to, Established)
	if c.state[from] == Unknown {
		if o.hasISN {
			// it answers the SYN: it was listening
			t.move(c, from, Listen, HowInferred, WhyAnswersSYN)
			t.edge(c, from, SynRcvd)
		} else {
			t.move(c, from, SynRcvd, HowInferred, WhySendsSYNACK)
		}
	}
	return false
}

// selfSynAck handles the SYN-ACK of a socket connected to itself: it
// answers its own SYN, and receiving that SYN-ACK establishes it.
func (t *Tracker) selfSynAck(s *segment) bool {
	c, seq, ackN := s.c, s.seq, s.ackN
	f := &c.flows[Client]
	if f.synAcks > 0 {
		f.synAcks++
		f.retrans++
		t.emit(HandshakeSYNACKRetransmit).set(KeyISN, int64(seq)).set(KeyCount, int64(f.synAcks)-1)
		return true
	}
	f.synAcks = 1
	t.emit(HandshakeSYNACK).set(KeyISN, int64(seq)).set(KeyAck, int64(ackN)).set(KeyPeerISN, int64(f.isn)).set(KeySimultaneous, 1)
	t.edge(c, Client, Established)
	return false
}
