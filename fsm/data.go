package fsm

// Payload: data segments, retransmissions and what the trace shows was sent.

import "github.com/tcpnote/tcpnote/grammar"

// outOfOrderUs is Wireshark's default window for calling a segment that
// fills a hole "out of order" rather than a retransmission, when the
// initial RTT is unknown (docs/tcp-reference.md §1.2).
const outOfOrderUs = 3000

// data handles a segment's payload. It reports a retransmission and a gap.
func (t *Tracker) data(s *segment) (retrans, gap bool) {
	p, res := s.p, s.res
	f, o := s.f, s.o
	now, plen := s.now, s.plen
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
	retrans, gap = t.dataPlace(s)
	e := t.emit(Data).set(KeySeq, int64(seq)).set(KeyLen, int64(plen)).set(KeySeqEnd, int64(end))
	if end < seq {
		e.set(KeyWrap, 1) // the payload crosses 2^32 = 0
	}
	if p.Flags.Has(grammar.URG) && p.HasUrg {
		e.set(KeyUrgent, int64(p.Urg))
	}
	f.remember(seq, plen, now, s.line)
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
	t.dataShows(s, retrans)
	f.lastWasKA = false
	return retrans, gap
}

// dataPlace judges where a data segment's bytes lie against its sender's
// next number: a keep-alive's or a probe's byte, bytes sent again (or late,
// out of order), bytes after a gap. It reports a retransmission and a gap.
func (t *Tracker) dataPlace(s *segment) (retrans, gap bool) {
	c, p, f, o := s.c, s.p, s.f, s.o
	now, seq, plen := s.now, s.seq, s.plen
	end := seq + plen
	switch {
	case plen == 1 && seq == f.next-1 && !p.Flags.Has(grammar.FIN) && (o.zeroWin || o.hasAck && o.lastAck == f.next):
		// a keep-alive with one garbage byte, or a zero-window probe
		// whose byte was sent before (RFC 1122 §4.2.3.6). The byte must
		// be acknowledged already: an unacknowledged one sent again is
		// a retransmission, however long the idle before it.
		if o.zeroWin {
			t.windowProbe(s, t.emit(WindowProbe).set(KeySeq, int64(seq)))
			f.lastWasZWP = true
		} else {
			t.keepalive(s, t.emit(Keepalive).set(KeySeq, int64(seq)), 0)
			f.lastWasKA = true
		}
	case seqLT(seq, f.next):
		// Bytes never seen that arrive soon after later ones are out of
		// order; anything else below the next number is sent again.
		filled := f.fillsHole(seq, end)
		if filled {
			f.bytes += uint64(plen) // bytes new to the trace, late or not
		}
		if filled && s.timed && now-f.nextUs < max64(outOfOrderUs, c.irttUs) && !(o.dupAcks >= 2 && o.lastAck == seq) {
			t.emit(OutOfOrder).set(KeySeq, int64(seq)).set(KeyLen, int64(plen))
		} else {
			t.retransmission(s)
			retrans = true
		}
	case seqGT(seq, f.next) && t.frag.unattributed(c, s.from, f.next):
		// the bytes before seq were in the fragments of the last segment
		f.bytes += uint64(seq - f.next)
		f.next, t.frag.unknown = seq, false
	case seqGT(seq, f.next):
		missing := seq - f.next
		t.emit(LostSegment).set(KeyExpected, int64(f.next)).set(KeySeq, int64(seq)).set(KeyMissing, int64(missing))
		f.addHole(f.next, seq)
		gap = true
	case o.zeroWin && plen == 1:
		t.windowProbe(s, t.emit(WindowProbe).set(KeySeq, int64(seq)))
		f.lastWasZWP = true
	}
	return retrans, gap
}

// dataShows says what a data segment shows of the receiver: its window
// filled to the right edge, its direction closed while this one sends,
// the ack the data carries (retrans: the bytes were sent before).
func (t *Tracker) dataShows(s *segment, retrans bool) {
	c, to, res, f, o := s.c, s.to, s.res, s.f, s.o
	end := s.seq + s.plen
	// the sender filled the receiver's window to its right edge
	if o.hasAck && o.hasWin && !retrans {
		if sh := c.WScale(to); sh >= 0 || c.flows[Client].hasISN && c.flows[Server].hasISN {
			edge := o.lastAck + uint32(c.winBytes(to, o.win))
			if end == edge && o.win > 0 {
				t.emit(WindowFull).set(KeyWinBytes, c.winBytes(to, o.win))
			}
		}
	}
	if o.fin && !retrans && !c.halfShown {
		// the peer has closed its direction, this one still sends
		c.halfShown = true
		t.emit(CloseHalf).set(KeyLen, int64(s.plen))
	}
	if s.ackAdvanced && f.hasAck && !s.handshakeAck && res.HasAck {
		acked := res.Ack - f.lastAck
		if o.fin && res.Ack == o.finSeq+1 {
			acked-- // the FIN's number is no data
		}
		if acked > 0 {
			t.emit(AckPiggyback).set(KeyAck, int64(res.Ack)).set(KeyAcked, int64(acked))
		}
	}
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
func (t *Tracker) retransmission(s *segment) {
	c, f, o := s.c, s.f, s.o
	now, timed := s.now, s.timed
	seq, end := s.seq, s.seq+s.plen
	sent := f.segment(seq)
	var since int64 = -1
	if sent != nil && timed && sent.us != 0 && now >= sent.us {
		since = now - sent.us
	}
	by := t.retransBy(s, since)
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
	if sent == nil {
		return
	}
	e.set(KeyOrigLine, int64(sent.line))
	sent.copies++
	if e.Code == Retransmission {
		e.set(KeyCount, int64(sent.copies))
		if timed && sent.last != 0 && now >= sent.last {
			gap := now - sent.last
			e.set(KeyGapUs, gap)
			if sent.gap > 0 {
				e.set(KeyPrevGapUs, sent.gap)
			}
			e.set(KeyBackoff, int64(backoff(gap, sent.gap)))
			if gap >= rtoMaxUs*9/10 {
				e.set(KeyCapped, 1)
			}
			sent.gap = gap
		}
	}
	if timed {
		sent.last = now
	}
	sent.lastLine = int32(s.line)
	if sent.len != end-seq && c.noGap() {
		// emitted last: a new event may move the one e points to
		t.emit(LintRetransLength).set(KeySeq, int64(seq)).set(KeyLen, int64(end-seq)).set(KeyExpected, int64(sent.len))
	}
}

// retransBy names the evidence for what sent a retransmission: three
// duplicate ACKs, or SACK blocks above the resent bytes, answered at once
// (fast retransmit, SACK/RACK recovery); or silence from the peer for at
// least the least RTO since the original (the timer). Neither: 0, and no
// cause is claimed.
func (t *Tracker) retransBy(s *segment, since int64) RetransBy {
	o, seq, now, timed := s.o, s.seq, s.now, s.timed
	leg, _, _ := s.c.legOf(s.from)
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

// dataState returns the flow's data bookkeeping, setting it up on first
// use: in the flowMore of a grown connection, else (data on a first SYN)
// allocated.
func (f *flow) dataState() *dataState {
	if f.data == nil {
		if f.flowMore != nil {
			f.data = f.dataBuf
		} else {
			f.data = new(dataState)
		}
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
