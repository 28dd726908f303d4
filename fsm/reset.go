package fsm

// RSTs: refused connections, aborts, and segments on a 4-tuple a RST closed.

import "github.com/tcpnote/tcpnote/grammar"

// reset handles a RST: a refused connection, the answer to a stray
// segment, or the end of a connection (an abort, after a close, after data
// that came once the application had closed).
func (t *Tracker) reset(s *segment) {
	c, from, to, f, o, seq := s.c, s.from, s.to, s.f, s.o, s.seq
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
func (t *Tracker) afterReset(s *segment) bool {
	c, from, p, res, f, o := s.c, s.from, s.p, s.res, s.f, s.o
	near := func(a, b uint32) bool { return seqDist(a, b) < 1<<20 }
	seqOK := res.HasSeq && f.hasNext && near(res.Seq, f.next)
	ackOK := res.HasAck && o.hasNext && near(res.Ack, o.next)
	if !seqOK && !ackOK {
		return true
	}
	sends := p.Len > 0 || p.Flags.Has(grammar.FIN)
	resent := seqOK && sends && seqLT(res.Seq, f.next)
	late := s.timed && s.idle >= ignoredRSTUs
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
