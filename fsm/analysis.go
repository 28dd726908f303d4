package fsm

import "github.com/tcpnote/tcpnote/grammar"

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
