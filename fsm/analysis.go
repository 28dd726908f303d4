package fsm

import "github.com/tcpnote/tcpnote/grammar"

// outOfOrderUs is Wireshark's default window for calling a segment that
// fills a hole "out of order" rather than a retransmission, when the
// initial RTT is unknown (docs/tcp-reference.md §1.2).
const outOfOrderUs = 3000

// The delayed-ACK timer as the trace can show it: Linux waits at least
// 40 ms (TCP_DELACK_MIN; jiffies make it 36–44 ms) and at most 200 ms
// (TCP_DELACK_MAX); RFC 1122 §4.2.3.2 allows up to 500 ms, which other
// stacks use. An ACK is called delayed only for what is left of its gap
// after the round trip the trace shows (rtt.go).
const (
	delayedAckMinUs = 35_000
	delayedAckMaxUs = 500_000
)

// keepaliveIdleUs is the least idle time before a zero-length ACK that
// acknowledges nothing new is taken for a keep-alive when its seq is not
// printed (Linux's smallest TCP_KEEPIDLE is 1 s).
const keepaliveIdleUs = 900_000

// analyse turns one segment into events and moves both endpoints' states.
// The order of the checks follows Wireshark's (docs/tcp-reference.md §1.1),
// except that evidence in the trace outranks fixed time thresholds: bytes
// already seen make a retransmission, never out-of-order.
func (t *Tracker) analyse(c *Conn, from Role, p *grammar.Packet, res *Result, now int64, timed bool, line int) {
	to := from.Other()
	f, o := &c.flows[from], &c.flows[to]
	syn, ack := p.Flags.Has(grammar.SYN), p.Flags.Has(grammar.ACK)
	fin, rst := p.Flags.Has(grammar.FIN), p.Flags.Has(grammar.RST)
	plen := p.Len
	idle := now - c.lastUs
	if !p.Iface.Empty() {
		// -i any: the same segment may show again on another interface
		sig := sigOf(p, now, line)
		if f.copyOf(&sig, timed) {
			// said once, no state, no count
			t.emit(TraceCopy).set(KeyOrigLine, int64(f.lastSig.line))
			return
		}
		if f.lastSig == nil {
			f.lastSig = new(segSig)
		}
		*f.lastSig = sig
	}
	first := f.pkts == 0 && o.pkts == 0
	f.pkts++
	// a line that stops before its fields do: a field not printed has no
	// value (no ack, no length), so nothing is said of it
	cut := p.Truncated || p.Dialect == grammar.Modern && !p.HasLen
	if cut {
		t.emit(TraceCut)
		// the last field of a cut line may be cut mid-number
		// (`ack 1` of `ack 13`): it has no value either
		if p.Dialect == grammar.Modern && !p.Truncated && !p.HasWin {
			if p.HasAck {
				res.HasAck = false
			} else if p.HasSeq {
				res.HasSeq = false
			}
		}
	}
	seq, ackN, hasSeq := res.Seq, res.Ack, res.HasSeq
	t.observeRTT(c, from, p, res, now, timed)
	c.observeIPID(from, p)
	var candLine int32 // a plain-looking ACK that only this packet's peer may explain
	if f.flowMore != nil {
		candLine, f.candLine = f.candLine, 0
	}

	if p.HasSeqEnd && p.HasLen && p.SeqEnd-p.Seq != plen {
		t.emit(LintSeqLength).set(KeySeq, int64(p.Seq)).set(KeySeqEnd, int64(p.SeqEnd)).set(KeyLen, int64(plen))
	}
	if p.Dialect == grammar.Quiet {
		t.quiet(c, from, p, first)
		return
	}
	if p.Flags == 0 {
		// no flags: part of no connection, mid-stream or not
		t.noFlags(c, from, p, res)
		return
	}
	if first && !syn {
		// Both endpoints stay Unknown until their segments show what
		// they are (infer).
		t.emit(TraceMidstream)
		c.Midstream = true
	}

	var retrans, gap bool
	switch {
	case syn && !ack:
		retrans = t.syn(c, from, p, seq, now, timed)
	case syn && ack:
		retrans = t.synAck(c, from, seq, ackN, now, timed)
	}
	if syn && plen > 0 && hasSeq {
		// Data on the SYN starts after the SYN's number. It is TCP Fast
		// Open only with the Fast Open option (RFC 7413 §4.1).
		e := t.emit(Data).set(KeySeq, int64(seq+1)).set(KeyLen, int64(plen)).set(KeySeqEnd, int64(seq+1+plen))
		if _, tfo := p.Option(grammar.OptTFO); tfo {
			e.set(KeyTFOData, 1)
		} else if !ack {
			t.emit(SYNData).set(KeyLen, int64(plen))
		}
		if !retrans {
			f.bytes += uint64(plen)
		}
	}
	t.ecn(p, syn)

	if !syn && !rst && ack && c.state[from] == SynSent {
		// an ACK from SYN_SENT: it received a SYN-ACK the trace lacks
		t.edge(c, from, Established)
	}
	handshakeAck := false
	if !syn && ack && from == Client && c.state[Server] == SynRcvd && o.hasISN && res.HasAck && ackN == o.isn+1 {
		handshakeAck = true
		f.hsAcks++
		e := t.emit(HandshakeACK).set(KeyAck, int64(ackN)).set(KeyPeerISN, int64(o.isn))
		if f.hsAcks > 1 {
			e.set(KeyCount, int64(f.hsAcks))
		}
		if c.state[Client] == Unknown {
			// the SYN-ACK answered no SYN in the trace; this ACK shows the
			// client had sent one
			t.move(c, Client, Established, HowInferred, WhyAcksSYNACK)
		} else {
			t.edge(c, Client, Established)
		}
		t.edge(c, Server, Established)
		if timed && c.synUs != 0 && now >= c.synUs && !c.hasIRTT {
			c.irttUs, c.hasIRTT = now-c.synUs, true
			e.set(KeyIRTTUs, c.irttUs)
		}
	}

	if rst {
		t.reset(c, from, seq)
		c.record(from, p, false)
		t.infer(c)
		return
	}

	// acknowledgment side: what this segment says about the peer's bytes
	ackAdvanced := false
	zeekGap := false // bytes of the peer's this ACK covers that the trace never showed
	if ack && res.HasAck && !syn {
		if o.hasNext && seqGT(ackN, o.next) && t.frag.unattributed(c, to, o.next) {
			// the bytes were in later fragments that showed no length
			t.emit(AckFragmented).set(KeyAck, int64(ackN)).set(KeyExpected, int64(o.next)).
				set(KeyMissing, int64(ackN-o.next)).set(KeySeq, int64(t.frag.seq))
			o.bytes += uint64(ackN - o.next)
			o.next, t.frag.unknown = ackN, false
		}
		zeekGap = o.trimHoles(ackN)
		if o.hasNext && seqGT(ackN, o.next) {
			zeekGap = true
			// One claim: impossible only when the trace proves it has
			// every packet of the peer's (its IP ids run unbroken from
			// its SYN, no gap), or when the ack is beyond the peer's FIN
			// + 1 (nothing follows a FIN); otherwise the bytes are not
			// in the trace.
			if c.noGap() && o.hasISN && o.idRun || o.fin && seqGT(ackN, o.finSeq+1) {
				t.emit(LintAckUnsent).set(KeyAck, int64(ackN)).set(KeyExpected, int64(o.next))
			} else {
				t.emit(AckedUnseen).set(KeyAck, int64(ackN)).set(KeyExpected, int64(o.next)).set(KeyMissing, int64(ackN-o.next))
			}
			o.next = ackN
			gap = true
		}
		ackAdvanced = !f.hasAck || seqGT(ackN, f.lastAck)
	}

	if f.fin && hasSeq && p.HasSeq && !fin && !syn && seq == f.finSeq && (plen > 0 || p.Dialect == grammar.Classic) && c.noGap() {
		// after its FIN the sender's next number is FIN seq + 1
		t.emit(LintFINSeq).set(KeySeq, int64(seq)).set(KeyFINSeq, int64(f.finSeq)).set(KeyExpected, int64(f.finSeq+1))
	}

	// payload
	if plen > 0 && !syn {
		r, g := t.data(c, from, p, res, now, timed, idle, handshakeAck, ackAdvanced, line)
		retrans, gap = retrans || r, gap || g
		if hasSeq {
			if p.Frag.Present {
				// tcpdump counted this fragment's bytes only
				t.emit(IPFragment).set(KeyCount, 1).set(KeySeq, int64(seq)).set(KeySeqEnd, int64(seq+plen)).
					set(KeyFragOffset, 0).set(KeyLen, int64(plen))
			}
			t.frag.note(c, from, p, seq, seq+plen)
		}
	}

	if fin && !syn && plen == 0 && hasSeq && f.hasNext && !f.fin && seqGT(seq, f.next) {
		// a FIN past bytes never seen: they are missing, like a jump in
		// data (Zeek counts the gap when the FIN is acknowledged)
		t.emit(LostSegment).set(KeyExpected, int64(f.next)).set(KeySeq, int64(seq)).set(KeyMissing, int64(seq-f.next))
		f.addHole(f.next, seq)
		gap = true
	}
	if fin && !syn {
		t.finSent(c, from, seq+plen, hasSeq, ackN, ack && res.HasAck)
	}

	// An ack beyond FIN + 1 acknowledges what was never sent (nothing
	// follows a FIN): RFC 9293 §3.10.7.4 drops such a segment, so it does
	// not acknowledge the FIN either, and the peer stays where it was.
	if ack && res.HasAck && !syn && !(o.fin && seqGT(ackN, o.finSeq+1)) {
		t.finAcked(c, from, ackN)
	}

	if plen == 0 && !syn && !fin && ack && !handshakeAck && res.HasAck && !cut {
		t.pureAck(c, from, p, res, now, timed, idle, ackAdvanced, line, candLine)
	}

	// window
	if p.HasWin && !syn {
		switch {
		case p.Win == 0:
			if !f.zeroWin || plen == 0 {
				t.emit(WindowZero).set(KeyWin, 0).set(KeyStill, b2i(f.zeroWin))
			}
			if !f.zeroWin {
				t.persistStarts(c, to, now, ackAdvanced && f.hasAck || plen > 0) // a probe's answer is a bare ACK of nothing new
			}
			f.zeroWin = true
		case f.zeroWin:
			f.zeroWin = false
			o.probeUs, o.probeGap, o.probeN = 0, 0, 0
			if t.find(WindowUpdate) == nil {
				t.emit(WindowUpdate).set(KeyWin, int64(p.Win)).set(KeyWinBytes, c.winBytes(from, p.Win))
			}
		}
	}

	// remember
	if ack && res.HasAck && !syn {
		if ackAdvanced {
			f.dupAcks = 0
			t.sampleDataAck(c, from, res.Ack, now, timed)
		}
		f.sackAbove = hasSACK(p) && !onlyDSACK(p, res, c, from)
		if timed {
			f.lastAckUs = now
		}
		if !f.hasAck || seqGEQ(ackN, f.lastAck) {
			f.lastAck, f.hasAck = ackN, true
		}
		t.finHeld(c, from, p, res)
	}
	if syn && ack && res.HasAck {
		f.lastAck, f.hasAck = ackN, true
	}
	if p.HasWin && !syn {
		// a SYN's window is never scaled: comparing it with later
		// windows would find updates that are not there
		f.win, f.hasWin = p.Win, true
	}
	if res.Relative && (p.HasSeq && !f.relSeqShown || p.HasAck && !f.relAckShown) {
		f.relSeqShown = f.relSeqShown || p.HasSeq
		f.relAckShown = f.relAckShown || p.HasAck
		e := t.emit(TraceRelativeSeq)
		if p.HasSeq {
			e.set(KeyRelSeq, int64(p.Seq))
			if !f.baseUnknown {
				e.set(KeySeq, int64(seq))
			}
		}
		if p.HasAck {
			e.set(KeyRelAck, int64(p.Ack))
			if !o.baseUnknown {
				e.set(KeyAck, int64(ackN))
			}
		}
		if p.HasSeq && f.baseUnknown || p.HasAck && o.baseUnknown {
			e.set(KeyBaseUnknown, 1) // never presented as absolute
		}
	}
	t.observeTSEcho(c, from, p, now, timed)
	if gap {
		c.missed = true // bytes the trace skipped: later claims are unproven
	}
	c.record(from, p, retrans)
	if zeekGap {
		// after the segment's own letter, as Zeek handles the flags
		// before the ACK that trims the undelivered bytes
		c.zeekGap(to)
	}
	if c.Self {
		// one socket: what it sends is what its peer sent, but it is
		// counted once
		sv := &c.flows[Server]
		bytes, pkts, retrans := sv.bytes, sv.pkts, sv.retrans
		*sv = c.flows[Client]
		sv.bytes, sv.pkts, sv.retrans = bytes, pkts, retrans
	}
	t.infer(c)
}

// openOrUnknown reports whether an endpoint is ESTABLISHED, or not shown
// yet (a trace that starts mid-stream) and not closing: a keep-alive needs
// an open connection, not a proven state.
func openOrUnknown(c *Conn, r Role) bool {
	s := c.state[r]
	return s == Established || s == Unknown && !c.flows[r].fin
}

func seqGEQ(a, b uint32) bool { return !seqLT(a, b) }

func (t *Tracker) find(code Code) *Event {
	for i := range t.events {
		if t.events[i].Code == code {
			return &t.events[i]
		}
	}
	return nil
}

// winBytes returns a window field in bytes: scaled by the shift the
// handshake negotiated, never for SYNs (RFC 7323).
func (c *Conn) winBytes(from Role, win uint32) int64 {
	if s := c.WScale(from); s > 0 {
		return int64(win) << uint(s)
	}
	return int64(win)
}

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
func (t *Tracker) syn(c *Conn, from Role, p *grammar.Packet, seq uint32, now int64, timed bool) bool {
	f, o := &c.flows[from], &c.flows[from.Other()]
	switch {
	case f.hasISN && f.isn == seq:
		f.synSeen++
		f.retrans++
		e := t.emit(HandshakeSYNRetransmit).set(KeyISN, int64(seq)).set(KeyCount, int64(f.synSeen)-1)
		f.retryGap(e, now, timed)
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
func (t *Tracker) synAck(c *Conn, from Role, seq, ackN uint32, now int64, timed bool) bool {
	to := from.Other()
	f, o := &c.flows[from], &c.flows[to]
	if c.Self {
		return t.selfSynAck(c, seq, ackN)
	}
	if f.synAcks > 0 && f.isn == seq {
		f.synAcks++
		f.retrans++
		e := t.emit(HandshakeSYNACKRetransmit).set(KeyISN, int64(seq)).set(KeyCount, int64(f.synAcks)-1)
		f.retryGap(e, now, timed)
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
func (t *Tracker) selfSynAck(c *Conn, seq, ackN uint32) bool {
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

// reset handles a RST: a refused connection, the answer to a stray
// segment, or the end of a connection (an abort, after a close, after data
// that came once the application had closed).
func (t *Tracker) reset(c *Conn, from Role, seq uint32) {
	to := from.Other()
	f, o := &c.flows[from], &c.flows[to]
	f.rst = true
	c.done = true
	switch {
	case from == Server && !f.hasISN && c.state[Client] == SynSent:
		t.refused(c)
		return
	case c.stray && c.state[from] == Unknown && f.pkts == 1:
		// its first segment answers the peer's with a RST: it had no
		// connection (RFC 9293 §3.10.7.1), CLOSED throughout
		t.emit(RSTNoConnection).set(KeySeq, int64(seq))
		t.move(c, from, Closed, HowInferred, WhyNoConnection)
		t.advance(c, to, Closed)
		if c.closeKind == closeNone {
			c.closer, c.closeKind = from, closeReset
		}
		return
	}
	c.preRST, c.rstBy = c.state, from
	switch {
	case f.fin && o.fin:
		// both directions had closed cleanly: the RST only cuts the
		// last wait short
		t.emit(RSTAfterClose).set(KeySeq, int64(seq))
	case f.fin && c.halfShown:
		// the application closed (its FIN is in the trace) and data
		// came afterwards: the kernel resets it
		t.emit(RSTDataAfterClose).set(KeySeq, int64(seq))
	default:
		t.emit(RSTAbort).set(KeySeq, int64(seq))
	}
	if c.closeKind == closeNone || c.closeKind == closeThree || c.closeKind == closeFour {
		if c.closeKind == closeNone {
			c.closer = from
		}
		if !(f.fin && o.fin) {
			c.closeKind = closeReset
		}
	}
	// The sender holds no connection once it has sent a RST; the
	// receiver drops it as if the RST was accepted (corrected if it
	// keeps sending: afterReset).
	if c.state[from] == Unknown {
		t.move(c, from, Closed, HowInferred, WhySendsRST)
	} else {
		t.edge(c, from, Closed)
	}
	t.advance(c, to, Closed)
}

// refused handles the server's RST answering the client's SYN: nothing
// listened, so the server side was CLOSED throughout.
func (t *Tracker) refused(c *Conn) {
	e := t.emit(RSTRefused).set(KeyPort, int64(portOf(c.Server)))
	if c.flows[Client].hasISN {
		e.set(KeyPeerISN, int64(c.flows[Client].isn))
	}
	c.closeKind, c.closer = closeRefused, Server
	if c.state[Server] == Unknown {
		t.move(c, Server, Closed, HowInferred, WhyRefuses)
	}
	t.edge(c, Client, Closed)
}

// portOf returns the numeric port of `host.port`, or 0.
func portOf(ep string) int {
	n := 0
	for i := len(ep) - 1; i >= 0; i-- {
		if ep[i] == '.' {
			for _, ch := range ep[i+1:] {
				if ch < '0' || ch > '9' {
					return 0
				}
				n = n*10 + int(ch-'0')
			}
			return n
		}
	}
	return 0
}

// data handles a segment's payload. It reports a retransmission and a gap.
func (t *Tracker) data(c *Conn, from Role, p *grammar.Packet, res *Result, now int64, timed bool, idle int64, handshakeAck, ackAdvanced bool, line int) (retrans, gap bool) {
	to := from.Other()
	f, o := &c.flows[from], &c.flows[to]
	plen := p.Len
	if !res.HasSeq {
		// -q, or tcpdump 4.0.0's missing seq with nothing to infer it from
		t.emit(Data).set(KeyLen, int64(plen))
		f.bytes += uint64(plen)
		return false, false
	}
	seq := res.Seq
	end := seq + plen
	if !f.hasNext {
		f.next, f.hasNext, f.nextUs = seq, true, now
	}
	switch {
	case plen == 1 && seq == f.next-1 && !p.Flags.Has(grammar.FIN) && (o.zeroWin || o.hasAck && o.lastAck == f.next):
		// a keep-alive with one garbage byte, or a zero-window probe
		// whose byte was sent before (RFC 1122 §4.2.3.6). The byte must
		// be acknowledged already: an unacknowledged one sent again is
		// a retransmission, however long the idle before it.
		if o.zeroWin {
			t.windowProbe(c, from, t.emit(WindowProbe).set(KeySeq, int64(seq)), now, timed)
			f.lastWasZWP = true
		} else {
			t.keepalive(c, from, t.emit(Keepalive).set(KeySeq, int64(seq)), now, timed, idle, 0)
			f.lastWasKA = true
		}
	case seqLT(seq, f.next):
		// Bytes never seen that arrive soon after later ones are out of
		// order; anything else below the next number is sent again.
		filled := f.fillsHole(seq, end)
		if filled {
			f.bytes += uint64(plen) // bytes new to the trace, late or not
		}
		if filled && timed && now-f.nextUs < max64(outOfOrderUs, c.irttUs) && !(o.dupAcks >= 2 && o.lastAck == seq) {
			t.emit(OutOfOrder).set(KeySeq, int64(seq)).set(KeyLen, int64(plen))
		} else {
			t.retransmission(c, from, seq, end, now, timed, line)
			retrans = true
		}
	case seqGT(seq, f.next) && t.frag.unattributed(c, from, f.next):
		// the bytes before seq were in the fragments of the last segment
		f.bytes += uint64(seq - f.next)
		f.next, t.frag.unknown = seq, false
	case seqGT(seq, f.next):
		missing := seq - f.next
		t.emit(LostSegment).set(KeyExpected, int64(f.next)).set(KeySeq, int64(seq)).set(KeyMissing, int64(missing))
		f.addHole(f.next, seq)
		gap = true
	case o.zeroWin && plen == 1:
		t.windowProbe(c, from, t.emit(WindowProbe).set(KeySeq, int64(seq)), now, timed)
		f.lastWasZWP = true
	}
	e := t.emit(Data).set(KeySeq, int64(seq)).set(KeyLen, int64(plen)).set(KeySeqEnd, int64(end))
	if end < seq {
		e.set(KeyWrap, 1) // the payload crosses 2^32 = 0
	}
	if p.Flags.Has(grammar.URG) && p.HasUrg {
		e.set(KeyUrgent, int64(p.Urg))
	}
	f.remember(seq, plen, now, line)
	if seqGT(end, f.next) {
		// new bytes end a keep-alive series on both sides
		f.kaN, o.kaN = 0, 0
		newBytes := end - seqMax(seq, f.next)
		if seqLT(seq, f.next) {
			newBytes = end - f.next
		}
		f.bytes += uint64(newBytes)
		f.next, f.nextUs = end, now
	}
	e.set(KeyNext, int64(f.next))
	if !f.dataSeen && !retrans {
		f.dataSeen = true
	}
	if retrans {
		f.retrans++
	}
	// the sender filled the receiver's window to its right edge
	if o.hasAck && o.hasWin && !retrans {
		if s := c.WScale(to); s >= 0 || c.flows[Client].hasISN && c.flows[Server].hasISN {
			edge := o.lastAck + uint32(c.winBytes(to, o.win))
			if end == edge && o.win > 0 {
				t.emit(WindowFull).set(KeyWinBytes, c.winBytes(to, o.win))
			}
		}
	}
	if o.fin && !retrans && !c.halfShown {
		// the peer has closed its direction, this one still sends
		c.halfShown = true
		t.emit(CloseHalf).set(KeyLen, int64(plen))
	}
	if ackAdvanced && f.hasAck && !handshakeAck && res.HasAck {
		acked := res.Ack - f.lastAck
		if o.fin && res.Ack == o.finSeq+1 {
			acked-- // the FIN's number is no data
		}
		if acked > 0 {
			t.emit(AckPiggyback).set(KeyAck, int64(res.Ack)).set(KeyAcked, int64(acked))
		}
	}
	f.lastWasKA = false
	return retrans, gap
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// retransmission names a segment whose bytes were sent before, with the
// evidence for what sent it (retransBy) and, for the timer, its place in
// the series of copies: the interval since the last copy, and whether it
// doubled (RTO backoff, RFC 6298 §5.5) or reached Linux's 120 s cap.
func (t *Tracker) retransmission(c *Conn, from Role, seq, end uint32, now int64, timed bool, line int) {
	to := from.Other()
	f, o := &c.flows[from], &c.flows[to]
	s := f.segment(seq)
	var since int64 = -1
	if s != nil && timed && s.us != 0 && now >= s.us {
		since = now - s.us
	}
	by := t.retransBy(c, from, seq, now, timed, since)
	var e *Event
	switch {
	case o.hasAck && seqLEQ(end, o.lastAck):
		e = t.emit(SpuriousRetransmission).set(KeyAck, int64(o.lastAck))
	case by == ByDupAcks || by == BySACK:
		e = t.emit(FastRetransmission).set(KeyDupAcks, int64(o.dupAcks))
	default:
		e = t.emit(Retransmission)
	}
	e.set(KeySeq, int64(seq)).set(KeyLen, int64(end-seq)).set(KeySeqEnd, int64(end))
	if since >= 0 {
		e.set(KeySinceUs, since)
	}
	if by != 0 {
		e.set(KeyBy, int64(by))
	}
	if s == nil {
		return
	}
	e.set(KeyOrigLine, int64(s.line))
	s.copies++
	if e.Code == Retransmission {
		e.set(KeyCount, int64(s.copies))
		if timed && s.last != 0 && now >= s.last {
			gap := now - s.last
			e.set(KeyGapUs, gap)
			if s.gap > 0 {
				e.set(KeyPrevGapUs, s.gap)
			}
			e.set(KeyBackoff, int64(backoff(gap, s.gap)))
			if gap >= rtoMaxUs*9/10 {
				e.set(KeyCapped, 1)
			}
			s.gap = gap
		}
	}
	if timed {
		s.last = now
	}
	s.lastLine = int32(line)
	if s.len != end-seq && c.noGap() {
		// emitted last: a new event may move the one e points to
		t.emit(LintRetransLength).set(KeySeq, int64(seq)).set(KeyLen, int64(end-seq)).set(KeyExpected, int64(s.len))
	}
}

// retransBy names the evidence for what sent a retransmission: three
// duplicate ACKs, or SACK blocks above the resent bytes, answered at once
// (fast retransmit, SACK/RACK recovery); or silence from the peer for at
// least the least RTO since the original (the timer). Neither: 0, and no
// cause is claimed.
func (t *Tracker) retransBy(c *Conn, from Role, seq uint32, now int64, timed bool, since int64) RetransBy {
	o := &c.flows[from.Other()]
	leg, _, _ := c.legOf(from)
	quiet := int64(-1) // time since the peer's last ACK
	if timed && o.lastAckUs != 0 && now >= o.lastAckUs {
		quiet = now - o.lastAckUs
	}
	prompt := !timed || quiet >= 0 && quiet <= leg+rtoMinUs/2
	switch {
	case o.hasAck && o.lastAck == seq && o.dupAcks >= 3 && prompt:
		return ByDupAcks
	case o.hasAck && o.lastAck == seq && o.sackAbove && o.dupAcks >= 1 && prompt:
		return BySACK
	case since >= rtoMinUs && (quiet < 0 || quiet >= rtoMinUs*3/4):
		return ByTimer
	}
	return 0
}

// segment returns the remembered data segment that starts at seq.
func (f *flow) segment(seq uint32) *sentSeg {
	d := f.data
	for i := 0; d != nil && i < int(d.nsent); i++ {
		if d.sent[i].seq == seq {
			return &d.sent[i]
		}
	}
	return nil
}

// remember keeps a data segment's seq, length, time and line for
// comparison with a later retransmission and for timing its ACK.
func (f *flow) remember(seq, n uint32, us int64, line int) {
	d := f.dataState()
	if f.segment(seq) != nil {
		return
	}
	s := sentSeg{seq: seq, len: n, us: us, last: us, line: int32(line), lastLine: int32(line)}
	if int(d.nsent) < len(d.sent) {
		d.sent[d.nsent] = s
		d.nsent++
		return
	}
	copy(d.sent[:], d.sent[1:])
	d.sent[len(d.sent)-1] = s
}

// dataState returns the flow's data bookkeeping, allocating it on first use.
func (f *flow) dataState() *dataState {
	if f.data == nil {
		f.data = new(dataState)
	}
	return f.data
}

// fillsHole reports whether [seq, end) lies in bytes never seen, and removes
// what it fills from the holes.
func (f *flow) fillsHole(seq, end uint32) bool {
	d := f.data
	if d == nil {
		return false
	}
	for i := 0; i < int(d.nholes); i++ {
		h := &d.holes[i]
		if seqGEQ(seq, h[0]) && seqLEQ(end, h[1]) {
			switch {
			case seq == h[0] && end == h[1]:
				d.holes[i] = d.holes[d.nholes-1]
				d.nholes--
			case seq == h[0]:
				h[0] = end
			case end == h[1]:
				h[1] = seq
			default:
				right := [2]uint32{end, h[1]}
				h[1] = seq
				f.addHole(right[0], right[1])
			}
			return true
		}
	}
	return false
}

// trimHoles forgets the holes, or their parts, below an ack of these
// bytes: the receiver has them, the trace never will. It reports whether
// there were any: a content gap, as Zeek counts it.
func (f *flow) trimHoles(ack uint32) bool {
	d := f.data
	if d == nil {
		return false
	}
	trimmed := false
	for i := 0; i < int(d.nholes); {
		h := &d.holes[i]
		switch {
		case seqLEQ(h[1], ack):
			d.holes[i] = d.holes[d.nholes-1]
			d.nholes--
			trimmed = true
			continue
		case seqLT(h[0], ack):
			h[0] = ack
			trimmed = true
		}
		i++
	}
	return trimmed
}

func (f *flow) addHole(a, b uint32) {
	d := f.dataState()
	if int(d.nholes) < maxHoles {
		d.holes[d.nholes] = [2]uint32{a, b}
		d.nholes++
		return
	}
	// forget the oldest
	copy(d.holes[:], d.holes[1:])
	d.holes[maxHoles-1] = [2]uint32{a, b}
}

// pureAck handles a segment with no payload, no SYN, FIN or RST. line is
// its input line; candLine the sender's previous segment when that was an
// ACK that acknowledged nothing new (0 otherwise): a probe this one may
// show it was.
func (t *Tracker) pureAck(c *Conn, from Role, p *grammar.Packet, res *Result, now int64, timed bool, idle int64, ackAdvanced bool, line int, candLine int32) {
	to := from.Other()
	f, o := &c.flows[from], &c.flows[to]
	ackN := res.Ack
	winChanged := f.hasWin && p.HasWin && p.Win != f.win
	seqPrinted := p.HasSeq && f.hasNext
	// a keep-alive is sent only with nothing outstanding
	allAcked := !f.hasNext || !o.hasAck || o.lastAck == f.next
	switch {
	case !ackAdvanced && o.zeroWin && (!seqPrinted || res.Seq == f.next-1):
		// Linux probes a zero window with seq = SND.UNA - 1 and no data:
		// it looks like a keep-alive, but the peer's window is zero.
		t.windowProbe(c, from, t.emit(WindowProbe), now, timed)
		f.lastWasZWP = true
		return
	case !ackAdvanced && seqPrinted && res.Seq == f.next-1 && allAcked,
		!ackAdvanced && !seqPrinted && !winChanged && !f.zeroWin && idle >= keepaliveIdleUs && !o.lastWasKA && (!o.hasNext || o.next == ackN) && allAcked && openOrUnknown(c, from):
		first := int32(0)
		if candLine != 0 && f.candAck == ackN && f.kaN == 0 {
			first = candLine
		}
		t.keepalive(c, from, t.emit(Keepalive), now, timed, idle, first)
		f.lastWasKA = true
		return
	case !ackAdvanced && o.lastWasKA:
		t.emit(KeepaliveAck)
		o.lastWasKA = false
		return
	case !ackAdvanced && o.lastWasZWP:
		o.lastWasZWP = false
		if p.Win == 0 {
			return // window.zero says it: still closed
		}
	}
	f.lastWasKA = false
	if ackAdvanced && f.hasAck && ackN-f.lastAck == 1 && (t.find(CloseFINAck) != nil || t.find(CloseFinalAck) != nil) {
		return // it acknowledges the FIN alone: the close event says it
	}
	if ackAdvanced {
		e := t.emit(Ack).set(KeyAck, int64(ackN))
		if f.hasAck {
			e.set(KeyAcked, int64(ackN-f.lastAck))
		}
		t.ackGap(c, from, e, ackN, now, timed)
		if !f.hasAck {
			// the sender's first ACK in the trace: whether it is new is
			// unknown, so it may be a probe a later packet explains
			f.candLine, f.candUs, f.candAck, f.candPeer = int32(line), now, ackN, o.pkts
		}
		return
	}
	if winChanged && p.Win != 0 && !f.zeroWin {
		t.emit(WindowUpdate).set(KeyWin, int64(p.Win)).set(KeyWinBytes, c.winBytes(from, p.Win))
		return
	}
	if (o.hasNext && seqGT(o.next, ackN) || hasSACK(p) && !onlyDSACK(p, res, c, from)) && !winChanged && c.state[from] != SynSent {
		f.dupAcks++
		t.emit(DupAck).set(KeyAck, int64(ackN)).set(KeyCount, int64(f.dupAcks))
		return
	}
	if !f.zeroWin {
		t.emit(Ack).set(KeyAck, int64(ackN)).set(KeyAcked, 0)
		// a probe or a keep-alive, perhaps: a later packet may tell
		f.candLine, f.candUs, f.candAck, f.candPeer = int32(line), now, ackN, o.pkts
	}
}

// onlyDSACK reports whether the packet's SACK blocks all lie below its
// ack: D-SACKs reporting duplicates (RFC 2883), not holes.
func onlyDSACK(p *grammar.Packet, res *Result, c *Conn, from Role) bool {
	for i := range p.Options {
		o := &p.Options[i]
		if o.Kind != grammar.OptSACK {
			continue
		}
		for k := 0; k < int(o.NBlocks); k++ {
			r := o.Blocks[k][1]
			if res.Relative {
				r += c.base[from.Other()]
			}
			if seqGT(r, res.Ack) {
				return false
			}
		}
	}
	return true
}

// isDSACK reports whether a SACK option's first block, [l, r) in
// absolute numbers, is a D-SACK (RFC 2883 §4): it lies at or below the
// cumulative ack, or inside the second block (r is its right edge). Such a block reports bytes
// that arrived twice, not a hole.
func isDSACK(r, ack uint32, o *grammar.Option) bool {
	if seqLEQ(r, ack) {
		return true
	}
	if o.NBlocks < 2 {
		return false
	}
	// both blocks are in the same (relative or absolute) numbering
	l0, r0, l1, r1 := o.Blocks[0][0], o.Blocks[0][1], o.Blocks[1][0], o.Blocks[1][1]
	return seqGEQ(l0, l1) && seqLEQ(r0, r1)
}

func hasSACK(p *grammar.Packet) bool {
	_, ok := p.Option(grammar.OptSACK)
	return ok
}

// finSent handles a FIN: the first (active close), the passive side's,
// merged with the ACK of the first (three-segment close), or crossing it
// (simultaneous close).
func (t *Tracker) finSent(c *Conn, from Role, finSeq uint32, hasSeq bool, ackN uint32, hasAck bool) {
	to := from.Other()
	f, o := &c.flows[from], &c.flows[to]
	if !hasSeq && f.hasNext {
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
func (t *Tracker) finAcked(c *Conn, from Role, ackN uint32) {
	to := from.Other()
	o := &c.flows[to]
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

// options explains the TCP options of a segment, and the window scaling
// the first time a direction's window is scaled.
func (t *Tracker) options(c *Conn, from Role, p *grammar.Packet, res *Result) {
	f := &c.flows[from]
	syn := p.Flags.Has(grammar.SYN)
	for i := range p.Options {
		o := &p.Options[i]
		switch o.Kind {
		case grammar.OptMSS:
			if syn {
				f.mss = o.Val
			}
			e := t.emit(OptionMSS).set(KeyMSS, int64(o.Val))
			if p.IPVersion == 6 {
				e.set(KeyMTU, int64(o.Val)+60).set(KeyIPv6, 1) // 40 IPv6 + 20 TCP
			} else {
				e.set(KeyMTU, int64(o.Val)+40) // 20 IP + 20 TCP
			}
		case grammar.OptWScale:
			if syn {
				f.wscale = int8(min(o.Val, 14))
			}
			e := t.emit(OptionWScale).set(KeyWScale, int64(o.Val))
			if p.Flags.Has(grammar.ACK) && c.flows[from.Other()].wscale >= 0 {
				e.set(KeyBothOffered, 1) // scaling is on
			}
		case grammar.OptSACKPermitted:
			f.sackOK = true
			t.emit(OptionSACKPermitted)
		case grammar.OptTimestamps:
			if syn {
				t.emit(OptionTimestamps).set(KeyTSVal, int64(o.Val)).set(KeyTSEcr, int64(o.Val2))
			}
		case grammar.OptTFO:
			t.emit(OptionTFO).set(KeyCookie, b2i(o.Cookie))
		case grammar.OptSACK:
			e := t.emit(OptionSACK).set(KeyBlocks, int64(o.NBlocks))
			if o.NBlocks > 0 {
				l, r := o.Blocks[0][0], o.Blocks[0][1]
				if res.Relative {
					l += c.base[from.Other()]
					r += c.base[from.Other()]
				}
				e.set(KeyLeft, int64(l)).set(KeyRight, int64(r)).set(KeyAck, int64(res.Ack))
				if isDSACK(r, res.Ack, o) {
					e.set(KeyDSACK, 1)
				}
			}
		}
	}
	if syn && p.Flags.Has(grammar.ACK) && p.Flags.Has(grammar.ECE) && !p.Flags.Has(grammar.CWR) {
		t.emit(ECNSetup).set(KeyECNSide, int64(ECNSYNACK))
	}
	if !syn && p.HasWin && !f.scaleShown && !p.Flags.Has(grammar.RST) {
		if s := c.WScale(from); s > 0 {
			f.scaleShown = true
			t.emit(WindowScaled).set(KeyWin, int64(p.Win)).set(KeyWScale, int64(s)).set(KeyWinBytes, c.winBytes(from, p.Win))
		}
	}
}

// ecn explains the ECN signals of a synchronized connection (RFC 3168): a
// CE mark in the IP header (under -v, `tos 0x3,CE`), ECE echoing it back to
// the sender, CWR saying the sender reduced its congestion window. The
// setup on SYN and SYN-ACK is ECNSetup's.
func (t *Tracker) ecn(p *grammar.Packet, syn bool) {
	if p.IP.Present && p.IP.TOS >= 0 && p.IP.TOS&3 == 3 {
		t.emit(ECNCongestion).set(KeyTOS, int64(p.IP.TOS))
	}
	if syn {
		return
	}
	if p.Flags.Has(grammar.ECE) {
		t.emit(ECNEcho)
	}
	if p.Flags.Has(grammar.CWR) {
		t.emit(ECNCWR)
	}
}

// quiet handles a segment printed by tcpdump -q: no flags, no numbers,
// only the length. It cannot show a handshake, a close or any state, so
// none is claimed: both endpoints stay Unknown, and the connection's first
// segment says once what -q hides.
func (t *Tracker) quiet(c *Conn, from Role, p *grammar.Packet, first bool) {
	c.quiet = true
	if first {
		t.emit(TraceQuiet)
	}
	if p.Len > 0 {
		t.emit(Data).set(KeyLen, int64(p.Len))
		c.flows[from].bytes += uint64(p.Len)
	}
	c.record(from, p, false)
}

// noFlags handles a segment with no flags at all (`Flags [none]`): no SYN
// to open with, no ACK, so a receiver in any state drops it (RFC 9293
// §3.10.7: without ACK a segment is dropped; without SYN or RST a
// listener ignores it). It changes no state.
func (t *Tracker) noFlags(c *Conn, from Role, p *grammar.Packet, res *Result) {
	e := t.emit(SegmentNoFlags).set(KeyLen, int64(p.Len))
	c.stray = c.stray || c.flows[from.Other()].pkts == 0
	if res.HasSeq {
		e.set(KeySeq, int64(res.Seq))
		// the numbers it occupies: what an answer's ack will refer to
		f := &c.flows[from]
		if !f.hasNext || seqGT(res.Seq+p.Len, f.next) {
			f.next, f.hasNext = res.Seq+p.Len, true
		}
	}
	c.record(from, p, false)
}

// finHeld notices a receiver that SACKs the peer's FIN while its
// cumulative ack stays below it: it holds the FIN out of order, behind a
// hole, and has not accepted it. Its state is put back to ESTABLISHED;
// the ack that finally covers the FIN moves it to CLOSE_WAIT (finAcked).
func (t *Tracker) finHeld(c *Conn, from Role, p *grammar.Packet, res *Result) {
	o := &c.flows[from.Other()]
	if !o.fin || o.finAcked || c.state[from] != CloseWait || !res.HasAck || seqGT(res.Ack, o.finSeq) {
		return
	}
	sack, ok := p.Option(grammar.OptSACK)
	if !ok {
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

// ignoredRSTUs is how long after a RST a segment continuing the old
// sequence must come to show it was sent after the RST arrived, not in
// flight across it: longer than any round trip on the paths traces show.
const ignoredRSTUs = 1_000_000

// afterReset judges a segment on a 4-tuple a RST closed. A segment that
// does not continue either side's sequence belongs to another connection:
// it reports true, and Process opens a new record. A segment that
// continues it was in flight when the RST was sent, unless it is sent
// again (a reset socket retransmits nothing), comes long after, or comes
// from the RST's own sender: then the RST was ignored (or was not its
// socket's), and the states it ended are put back.
func (t *Tracker) afterReset(c *Conn, from Role, p *grammar.Packet, res *Result, now int64, timed bool) bool {
	f, o := &c.flows[from], &c.flows[from.Other()]
	near := func(a, b uint32) bool { return seqDist(a, b) < 1<<20 }
	seqOK := res.HasSeq && f.hasNext && near(res.Seq, f.next)
	ackOK := res.HasAck && o.hasNext && near(res.Ack, o.next)
	if !seqOK && !ackOK {
		return true
	}
	sends := p.Len > 0 || p.Flags.Has(grammar.FIN)
	resent := seqOK && sends && seqLT(res.Seq, f.next)
	late := timed && now-c.lastUs >= ignoredRSTUs
	// the RST's own sender goes on: its segments after the RST were sent
	// after it, so the RST did not end its connection
	goesOn := from == c.rstBy && (sends || ackOK && seqGT(res.Ack, o.next))
	if !resent && !late && !goesOn {
		return false // in flight across the RST
	}
	e := t.emit(RSTIgnored)
	if res.HasSeq {
		e.set(KeySeq, int64(res.Seq))
	}
	c.done, c.summarized, c.closeKind = false, false, closeNone
	for r := Client; r <= Server; r++ {
		if s := c.preRST[r]; s != Unknown && s != Closed && s != c.state[r] {
			t.move(c, r, s, HowCorrected, WhyRSTIgnored)
		}
	}
	return false
}
