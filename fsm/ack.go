package fsm

// Pure ACKs: what they acknowledge, how long after, duplicates and SACK.

import "github.com/tcpnote/tcpnote/grammar"

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

// pureAck handles a segment with no payload, no SYN, FIN or RST.
func (t *Tracker) pureAck(s *segment) {
	c, from, p, res := s.c, s.from, s.p, s.res
	f, o := s.f, s.o
	now, ackN := s.now, res.Ack
	if !s.ackAdvanced && t.timerAck(s) {
		return
	}
	f.lastWasKA = false
	if s.ackAdvanced && f.hasAck && ackN-f.lastAck == 1 && (t.find(CloseFINAck) != nil || t.find(CloseFinalAck) != nil) {
		return // it acknowledges the FIN alone: the close event says it
	}
	if s.ackAdvanced {
		e := t.emit(Ack).set(KeyAck, int64(ackN))
		if f.hasAck {
			e.set(KeyAcked, int64(ackN-f.lastAck))
		}
		t.ackGap(s, e)
		if !f.hasAck {
			// the sender's first ACK in the trace: whether it is new is
			// unknown, so it may be a probe a later packet explains
			f.candLine, f.candUs, f.candAck, f.candPeer = int32(s.line), now, ackN, o.pkts
		}
		return
	}
	winChanged := f.hasWin && p.HasWin && p.Win != f.win
	if winChanged && p.Win != 0 && !f.zeroWin {
		t.emit(WindowUpdate).set(KeyWin, int64(p.Win)).set(KeyWinBytes, c.winBytes(from, p.Win))
		return
	}
	if (o.hasNext && seqGT(o.next, ackN) || s.sack != nil && !s.onlyDSACK()) && !winChanged && c.state[from] != SynSent {
		f.dupAcks++
		t.emit(DupAck).set(KeyAck, int64(ackN)).set(KeyCount, int64(f.dupAcks))
		return
	}
	if !f.zeroWin {
		t.emit(Ack).set(KeyAck, int64(ackN)).set(KeyAcked, 0)
		// a probe or a keep-alive, perhaps: a later packet may tell
		f.candLine, f.candUs, f.candAck, f.candPeer = int32(s.line), now, ackN, o.pkts
	}
}

// timerAck judges a pure ACK that acknowledges nothing new as what a timer
// sends or what answers it: a zero-window probe, a keep-alive, the answer
// to the peer's keep-alive or probe. It reports whether the segment is
// said. s.candLine is the sender's previous segment when that was an ACK
// that acknowledged nothing new (0 otherwise): a probe this one may show
// it was.
func (t *Tracker) timerAck(s *segment) (said bool) {
	c, from, p, res := s.c, s.from, s.p, s.res
	f, o := s.f, s.o
	ackN := res.Ack
	winChanged := f.hasWin && p.HasWin && p.Win != f.win
	seqPrinted := p.HasSeq && f.hasNext
	// a keep-alive is sent only with nothing outstanding
	allAcked := !f.hasNext || !o.hasAck || o.lastAck == f.next
	switch {
	case o.zeroWin && (!seqPrinted || res.Seq == f.next-1):
		// Linux probes a zero window with seq = SND.UNA - 1 and no data:
		// it looks like a keep-alive, but the peer's window is zero.
		t.windowProbe(s, t.emit(WindowProbe))
		f.lastWasZWP = true
		return true
	case seqPrinted && res.Seq == f.next-1 && allAcked,
		!seqPrinted && !winChanged && !f.zeroWin && s.idle >= keepaliveIdleUs && !o.lastWasKA && (!o.hasNext || o.next == ackN) && allAcked && openOrUnknown(c, from):
		first := int32(0)
		if s.candLine != 0 && f.candAck == ackN && f.kaN == 0 {
			first = s.candLine
		}
		t.keepalive(s, t.emit(Keepalive), first)
		f.lastWasKA = true
		return true
	case o.lastWasKA:
		t.emit(KeepaliveAck)
		o.lastWasKA = false
		return true
	case o.lastWasZWP:
		o.lastWasZWP = false
		return p.Win == 0 // window.zero says it: still closed
	}
	return false
}

// onlyDSACK reports whether the segment's SACK blocks all lie below its
// ack: D-SACKs reporting duplicates (RFC 2883), not holes.
func (s *segment) onlyDSACK() bool {
	p, res, c, from := s.p, s.res, s.c, s.from
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
