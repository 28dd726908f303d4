package fsm

import "github.com/tcpnote/tcpnote/grammar"

// analyse turns one segment into events and moves both endpoints' states.
// The order of the checks follows Wireshark's (docs/tcp-reference.md §1.1),
// except that evidence in the trace outranks fixed time thresholds: bytes
// already seen make a retransmission, never out-of-order.
func (t *Tracker) analyse(s *segment) {
	c, p, res, o := s.c, s.p, s.res, s.o
	if !p.Iface.Empty() && t.ifaceCopy(s) {
		return // said once, no state, no count
	}
	t.read(s)
	if p.Dialect == grammar.Quiet {
		t.quiet(s)
		return
	}
	if p.Flags == 0 {
		// no flags: part of no connection, mid-stream or not
		t.noFlags(s)
		return
	}
	if s.first && !s.syn {
		// Both endpoints stay Unknown until their segments show what
		// they are (infer).
		t.emit(TraceMidstream)
		c.Midstream = true
	}

	retrans := t.opening(s)
	if s.rst {
		t.reset(s)
		c.record(s.from, p, false)
		t.infer(c)
		return
	}

	// acknowledgment side: what this segment says about the peer's bytes
	var zeekGap, gap bool // zeekGap: bytes of the peer's this ACK covers that the trace never showed
	if s.ack && res.HasAck && !s.syn {
		zeekGap, gap = t.ackSide(s)
	}
	if !s.fin && !s.syn && s.f.fin {
		t.lintFINSeq(s) // (it has to do only with a FIN sent: no call before)
	}

	// payload
	if s.plen > 0 && !s.syn {
		r, g := t.payload(s)
		retrans, gap = retrans || r, gap || g
	}

	if !s.syn && s.fin {
		gap = t.finSegment(s) || gap
	}

	// An ack beyond FIN + 1 acknowledges what was never sent (nothing
	// follows a FIN): RFC 9293 §3.10.7.4 drops such a segment, so it does
	// not acknowledge the FIN either, and the peer stays where it was.
	if s.ack && res.HasAck && !s.syn && o.fin && !o.finAcked && !seqGT(s.ackN, o.finSeq+1) {
		t.finAcked(s) // (o.fin and !o.finAcked first: it needs a FIN not yet acknowledged)
	}

	if s.plen == 0 && !s.syn && !s.fin && s.ack && !s.handshakeAck && res.HasAck && !s.cut {
		t.pureAck(s)
	}

	if p.HasWin && !s.syn && (p.Win == 0 || s.f.zeroWin) {
		t.window(s) // (only a zero window, or the first after one, says anything)
	}
	t.remember(s)
	if res.Relative {
		t.relativeSeq(s)
	}
	t.observeTSEcho(s)
	t.account(s, retrans, gap, zeekGap)
}

// read takes what the analysis reads of every segment: whether it is its
// connection's first, the numbers as read once a cut line's last field is
// dropped, the handshake's round trips, the IP id, the sender's pending
// probe candidate, and a length its numbers contradict.
func (t *Tracker) read(s *segment) {
	c, p, res, f := s.c, s.p, s.res, s.f
	s.first = f.pkts == 0 && s.o.pkts == 0
	f.pkts++
	s.cut = p.Truncated || p.Dialect == grammar.Modern && !p.HasLen
	if s.cut {
		t.cutLine(s)
	}
	s.seq, s.ackN, s.hasSeq = res.Seq, res.Ack, res.HasSeq
	if s.timed && c.connMore != nil && !c.rtt.hsOK[s.from] {
		t.observeRTT(s) // (a handshake sample, once a side: no call after it)
	}
	if f.flowMore != nil && (p.IP.ID >= 0 || f.idRun) {
		c.observeIPID(s.from, p) // (without an id it only ends a run: no call when none runs)
	}
	if f.flowMore != nil {
		s.candLine, f.candLine = f.candLine, 0
	}
	if p.HasSeqEnd && p.HasLen && p.SeqEnd-p.Seq != s.plen {
		t.emit(LintSeqLength).set(KeySeq, int64(p.Seq)).set(KeySeqEnd, int64(p.SeqEnd)).set(KeyLen, int64(s.plen))
	}
}

// opening handles what a segment does to the handshake: a SYN, a SYN-ACK
// and the data on it, ECN, an ACK from SYN_SENT, the third segment. It
// reports a retransmitted SYN or SYN-ACK.
func (t *Tracker) opening(s *segment) (retrans bool) {
	c, o := s.c, s.o
	switch {
	case s.syn && !s.ack:
		retrans = t.syn(s)
	case s.syn && s.ack:
		retrans = t.synAck(s)
	}
	if s.syn && s.plen > 0 && s.hasSeq {
		t.synData(s, retrans)
	}
	if s.p.IP.Present || !s.syn && s.p.Flags&(grammar.ECE|grammar.CWR) != 0 {
		t.ecn(s) // (most packets have nothing for it: no call)
	}

	if !s.syn && !s.rst && s.ack && c.state[s.from] == SynSent {
		// an ACK from SYN_SENT: it received a SYN-ACK the trace lacks
		t.edge(c, s.from, Established)
	}
	if !s.syn && s.ack && s.from == Client && c.state[Server] == SynRcvd && o.hasISN && s.res.HasAck && s.ackN == o.isn+1 {
		t.handshakeACK(s)
	}
	return retrans
}

// lintFINSeq notes a segment (not a FIN, not a SYN) whose sender reuses
// its FIN's number: after its FIN the sender's next number is FIN seq + 1.
func (t *Tracker) lintFINSeq(s *segment) {
	c, p, f := s.c, s.p, s.f
	if f.fin && s.hasSeq && p.HasSeq && s.seq == f.finSeq && (s.plen > 0 || p.Dialect == grammar.Classic) && c.noGap() {
		t.emit(LintFINSeq).set(KeySeq, int64(s.seq)).set(KeyFINSeq, int64(f.finSeq)).set(KeyExpected, int64(f.finSeq+1))
	}
}

// account ends a segment's analysis: the gap, the Zeek history, the
// counts of a socket connected to itself, the inferred states.
func (t *Tracker) account(s *segment, retrans, gap, zeekGap bool) {
	c := s.c
	if gap {
		c.missed = true // bytes the trace skipped: later claims are unproven
	}
	c.record(s.from, s.p, retrans)
	if zeekGap {
		// after the segment's own letter, as Zeek handles the flags
		// before the ACK that trims the undelivered bytes
		c.zeekGap(s.to)
	}
	if c.Self {
		// one socket: what it sends is what its peer sent, but it is
		// counted once
		sv := &c.flows[Server]
		bytes, pkts, retrans := sv.bytes, sv.pkts, sv.retrans
		*sv = c.flows[Client]
		sv.bytes, sv.pkts, sv.retrans = bytes, pkts, retrans
	}
	if c.state[Client] == Unknown || c.state[Server] == Unknown {
		t.infer(c) // (only an Unknown endpoint is inferred: most packets make no call)
	}
}

// ifaceCopy reports whether a segment of a -i any trace is a copy of the
// sender's previous one shown again on another interface, and says so.
func (t *Tracker) ifaceCopy(s *segment) bool {
	f := s.f
	sig := sigOf(s.p, s.now, s.line)
	if f.copyOf(&sig, s.timed) {
		t.emit(TraceCopy).set(KeyOrigLine, int64(f.lastSig.line))
		s.copy = true
		return true
	}
	if f.lastSig == nil {
		f.lastSig = new(segSig)
	}
	*f.lastSig = sig
	return false
}

// cutLine notes a line that stops before its fields do: a field not
// printed has no value (no ack, no length), so nothing is said of it. read
// decides s.cut and calls it only for a cut line.
func (t *Tracker) cutLine(s *segment) {
	p, res := s.p, s.res
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

// synData handles data on a SYN or SYN-ACK (retrans: the SYN is sent
// again). The data starts after the SYN's number. It is TCP Fast Open only
// with the Fast Open option (RFC 7413 §4.1).
func (t *Tracker) synData(s *segment, retrans bool) {
	seq, plen := s.seq, s.plen
	e := t.emit(Data).set(KeySeq, int64(seq+1)).set(KeyLen, int64(plen)).set(KeySeqEnd, int64(seq+1+plen))
	if optionOf(s.p, grammar.OptTFO) != nil {
		e.set(KeyTFOData, 1)
	} else if !s.ack {
		t.emit(SYNData).set(KeyLen, int64(plen))
	}
	if !retrans {
		s.f.bytes += uint64(plen)
	}
}

// handshakeACK handles the client's ACK of the server's SYN-ACK: the third
// segment of the handshake, which establishes both sides.
func (t *Tracker) handshakeACK(s *segment) {
	c, f, o := s.c, s.f, s.o
	s.handshakeAck = true
	f.hsAcks++
	e := t.emit(HandshakeACK).set(KeyAck, int64(s.ackN)).set(KeyPeerISN, int64(o.isn))
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
	if s.timed && c.synUs != 0 && s.now >= c.synUs && !c.hasIRTT {
		c.irttUs, c.hasIRTT = s.now-c.synUs, true
		e.set(KeyIRTTUs, c.irttUs)
	}
}

// ackSide judges what an ACK says about the peer's bytes: bytes it covers
// that were in fragments, or that the trace never showed, and whether it
// acknowledges more than before (s.ackAdvanced). It reports a content gap
// as Zeek counts it, and a gap in the trace.
func (t *Tracker) ackSide(s *segment) (zeekGap, gap bool) {
	c, f, o, ackN := s.c, s.f, s.o, s.ackN
	if o.hasNext && seqGT(ackN, o.next) && t.frag.unattributed(c, s.to, o.next) {
		// the bytes were in later fragments that showed no length
		t.emit(AckFragmented).set(KeyAck, int64(ackN)).set(KeyExpected, int64(o.next)).
			set(KeyMissing, int64(ackN-o.next)).set(KeySeq, int64(t.frag.seq))
		o.bytes += uint64(ackN - o.next)
		o.next, t.frag.unknown = ackN, false
	}
	if o.data != nil && o.data.nholes > 0 {
		zeekGap = o.trimHoles(ackN) // (no call while nothing is missing, the usual case)
	}
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
	s.ackAdvanced = !f.hasAck || seqGT(ackN, f.lastAck)
	return zeekGap, gap
}

// payload handles the data of a segment that is not a SYN, and the IP
// fragment it may be the first of. It reports a retransmission and a gap.
func (t *Tracker) payload(s *segment) (retrans, gap bool) {
	retrans, gap = t.data(s)
	if !s.hasSeq {
		return retrans, gap
	}
	seq, plen := s.seq, s.plen
	if s.p.Frag.Present {
		// tcpdump counted this fragment's bytes only
		t.emit(IPFragment).set(KeyCount, 1).set(KeySeq, int64(seq)).set(KeySeqEnd, int64(seq+plen)).
			set(KeyFragOffset, 0).set(KeyLen, int64(plen))
	}
	t.frag.note(s.c, s.from, s.p, seq, seq+plen)
	return retrans, gap
}

// finSegment handles the FIN of a segment that is not a SYN. It reports a gap:
// bytes before the FIN the trace never showed.
func (t *Tracker) finSegment(s *segment) (gap bool) {
	f, seq := s.f, s.seq
	if s.plen == 0 && s.hasSeq && f.hasNext && !f.fin && seqGT(seq, f.next) {
		// a FIN past bytes never seen: they are missing, like a jump in
		// data (Zeek counts the gap when the FIN is acknowledged)
		t.emit(LostSegment).set(KeyExpected, int64(f.next)).set(KeySeq, int64(seq)).set(KeyMissing, int64(seq-f.next))
		f.addHole(f.next, seq)
		gap = true
	}
	t.finSent(s)
	return gap
}

// window handles the window field of a segment that is not a SYN: a
// window closing to zero (and the persist timer it starts) or opening again.
func (t *Tracker) window(s *segment) {
	c, p, f, o := s.c, s.p, s.f, s.o
	switch {
	case p.Win == 0:
		if !f.zeroWin || s.plen == 0 {
			t.emit(WindowZero).set(KeyWin, 0).set(KeyStill, b2i(f.zeroWin))
		}
		if !f.zeroWin {
			t.persistStarts(s, s.ackAdvanced && f.hasAck || s.plen > 0) // a probe's answer is a bare ACK of nothing new
		}
		f.zeroWin = true
	case f.zeroWin:
		f.zeroWin = false
		o.probeUs, o.probeGap, o.probeN = 0, 0, 0
		if t.find(WindowUpdate) == nil {
			t.emit(WindowUpdate).set(KeyWin, int64(p.Win)).set(KeyWinBytes, c.winBytes(s.from, p.Win))
		}
	}
}

// remember keeps what the next segments are judged against: the sender's
// last ack and its time, whether SACK blocks lie above it, its window.
func (t *Tracker) remember(s *segment) {
	p, res, f := s.p, s.res, s.f
	ackN := s.ackN
	if s.ack && res.HasAck && !s.syn {
		if s.ackAdvanced {
			f.dupAcks = 0
			t.sampleDataAck(s)
		}
		f.sackAbove = s.sack != nil && !s.onlyDSACK()
		if s.timed {
			f.lastAckUs = s.now
		}
		if !f.hasAck || seqGEQ(ackN, f.lastAck) {
			f.lastAck, f.hasAck = ackN, true
		}
		if s.o.fin && !s.o.finAcked {
			t.finHeld(s) // (only a FIN not yet acknowledged is held: no call before)
		}
	}
	if s.syn && s.ack && res.HasAck {
		f.lastAck, f.hasAck = ackN, true
	}
	if p.HasWin && !s.syn {
		// a SYN's window is never scaled: comparing it with later
		// windows would find updates that are not there
		f.win, f.hasWin = p.Win, true
	}
}

// relativeSeq says, the first time a direction's numbers are printed
// relative, what they are relative to, and whether the base is before
// the trace.
func (t *Tracker) relativeSeq(s *segment) {
	p, f, o := s.p, s.f, s.o
	if !(p.HasSeq && !f.relSeqShown || p.HasAck && !f.relAckShown) {
		return
	}
	f.relSeqShown = f.relSeqShown || p.HasSeq
	f.relAckShown = f.relAckShown || p.HasAck
	e := t.emit(TraceRelativeSeq)
	if p.HasSeq {
		e.set(KeyRelSeq, int64(p.Seq))
		if !f.baseUnknown {
			e.set(KeySeq, int64(s.seq))
		}
	}
	if p.HasAck {
		e.set(KeyRelAck, int64(p.Ack))
		if !o.baseUnknown {
			e.set(KeyAck, int64(s.ackN))
		}
	}
	if p.HasSeq && f.baseUnknown || p.HasAck && o.baseUnknown {
		e.set(KeyBaseUnknown, 1) // never presented as absolute
	}
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

// quiet handles a segment printed by tcpdump -q: no flags, no numbers,
// only the length. It cannot show a handshake, a close or any state, so
// none is claimed: both endpoints stay Unknown, and the connection's first
// segment says once what -q hides.
func (t *Tracker) quiet(s *segment) {
	c, from, p := s.c, s.from, s.p
	c.quiet = true
	if s.first {
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
func (t *Tracker) noFlags(s *segment) {
	c, from, p, res := s.c, s.from, s.p, s.res
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
