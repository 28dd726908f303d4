package fsm

import "github.com/tcpnote/tcpnote/grammar"

// segment is one packet as the analysis reads it: the packet and the
// Result being filled, its connection and sender, its time, its flags, the
// numbers as read and the judgements the analysis makes of it on the way
// (handshakeAck, ackAdvanced …), which later steps need.
//
// Process builds it once per packet and every helper of the analysis takes
// it by pointer, besides only what is its own (an event to extend, a
// number it computed). It lives in the Tracker and is reset per packet, so
// building it allocates nothing (BenchmarkTracker: 0 allocs/op).
type segment struct {
	p   *grammar.Packet
	res *Result

	c    *Conn
	f, o *flow // the sender's flow and the receiver's, in c

	// sack and ts are the packet's first SACK and timestamps options, or
	// nil: found once, where several steps look for them.
	sack, ts *grammar.Option
	// optSaid is set when options has something to say of an option
	// (any but timestamps past the SYN, NOPs and the unexplained kinds)
	optSaid bool

	// segVals holds the rest, with no pointers: reset clears it with one
	// plain store, where clearing pointers too takes the write barrier's
	// bulk path while a collection runs.
	segVals
}

// segVals is what a segment holds besides pointers.
type segVals struct {
	line int // the packet's input line

	// now is the packet's trace time in µs, meaningful when timed; idle
	// is the time since the connection's previous packet.
	now   int64
	timed bool
	idle  int64

	from, to Role // the sender and the receiver

	syn, ack, fin, rst bool
	plen               uint32 // the payload's length as printed

	// The numbers as the analysis read them, absolute when known, once
	// a cut line's last field is dropped (analyse): res holds the same.
	seq, ackN uint32
	hasSeq    bool

	first        bool  // the connection's first packet in the trace
	cut          bool  // the line stops before its fields do
	handshakeAck bool  // the ACK of the three-way handshake
	ackAdvanced  bool  // it acknowledges more of the peer's bytes than before
	candLine     int32 // a plain-looking ACK of the sender's only this one may explain
	copy         bool  // a copy on another interface (TraceCopy): no segment of its own
}

// optSaidKinds are the option kinds options explains on any segment (and
// timestamps on a SYN).
const optSaidKinds = 1<<grammar.OptMSS | 1<<grammar.OptWScale | 1<<grammar.OptSACKPermitted |
	1<<grammar.OptTFO | 1<<grammar.OptSACK

// reset starts the segment of a new packet.
func (s *segment) reset(p *grammar.Packet, res *Result, line int, now int64, timed bool) {
	s.p, s.res, s.c, s.f, s.o = p, res, nil, nil, nil
	var sack, ts *grammar.Option
	said := uint64(0)
	if p.Flags.Has(grammar.SYN) {
		said = 1 << grammar.OptTimestamps
	}
	said |= optSaidKinds
	var kinds uint64 // the kinds seen, as bits
	opts := p.Options
	for i := range opts {
		o := &opts[i]
		k := o.Kind
		kinds |= 1 << (k & 63)
		if k == grammar.OptTimestamps && ts == nil {
			ts = o
		} else if k == grammar.OptSACK && sack == nil {
			sack = o
		}
	}
	s.sack, s.ts, s.optSaid = sack, ts, kinds&said != 0
	s.segVals = segVals{line: line, now: now, timed: timed,
		syn: p.Flags.Has(grammar.SYN), ack: p.Flags.Has(grammar.ACK),
		fin: p.Flags.Has(grammar.FIN), rst: p.Flags.Has(grammar.RST),
		plen: p.Len}
}

// on places the segment on its connection, sent by from; Process calls it
// again when a segment after a RST opens a new record.
func (s *segment) on(c *Conn, from Role) {
	s.c, s.from, s.to = c, from, from.Other()
	s.f, s.o = &c.flows[from], &c.flows[s.to]
	s.idle = s.now - c.lastUs
	s.res.Conn, s.res.From, s.res.Before = c, from, c.state
}
