package fsm

import "github.com/tcpnote/tcpnote/grammar"

// zeekState is an endpoint's state as Zeek's connection analyser keeps it
// (docs/tcp-reference.md §2.1); conn_state is derived from the pair.
type zeekState uint8

const (
	zInactive zeekState = iota
	zSynSent
	zSynAckSent
	zPartial
	zEstablished
	zClosed
	zReset
)

// history letters and their slots in histCnt / histSeq
const (
	slotF = iota
	slotH
	slotR
	slotS
)

// record updates Zeek's endpoint states and history for one segment.
// History letters: upper case from the originator (the client).
func (c *Conn) record(from Role, p *grammar.Packet, retrans bool) {
	syn, ack := p.Flags.Has(grammar.SYN), p.Flags.Has(grammar.ACK)
	fin, rst := p.Flags.Has(grammar.FIN), p.Flags.Has(grammar.RST)
	z := &c.zeek[from]
	o := &c.zeek[from.Other()]
	if len(c.history) == 0 && from == Server && c.flows[Client].pkts+c.flows[Server].pkts == 1 {
		// the responder's packet comes first: Zeek flips the roles so
		// the originator is the one that opened, and marks it with ^
		c.addHistory('^')
	}
	was := [2]zeekState{c.zeek[0], c.zeek[1]}
	switch {
	case rst && *z == zClosed && *o == zClosed:
		// both sides had closed cleanly: Zeek keeps SF
	case rst:
		*z = zReset
	case fin:
		if *z != zReset {
			*z = zClosed
		}
	case syn && !ack:
		if *z == zInactive {
			*z = zSynSent
		}
	case syn && ack:
		if *z == zInactive || *z == zSynSent {
			*z = zSynAckSent
		}
	default:
		switch {
		case *z == zInactive:
			*z = zPartial
		case (*z == zSynSent || *z == zSynAckSent) && (*o == zSynAckSent || *o == zSynSent || *o == zEstablished):
			*z, *o = zEstablished, zEstablished
		}
	}
	if c.zeek != was {
		c.zeekMoved(was) // only the switch above moves them (no defer: it is every packet; no call when nothing moved, the usual case)
	}
	seq := p.Seq
	switch {
	case syn && (fin || rst):
		c.once(from, 'q')
	case fin && rst:
		c.once(from, 'i')
	}
	if syn && !ack {
		c.repeat(from, 's', slotS, seq)
	}
	if syn && ack {
		c.repeat(from, 'h', slotH, seq)
	}
	if fin {
		c.repeat(from, 'f', slotF, seq)
	}
	if rst {
		c.repeat(from, 'r', slotR, seq)
	}
	if !syn && !fin && !rst && ack && p.Len == 0 && (p.HasLen || p.Dialect != grammar.Modern) {
		c.once(from, 'a') // a line cut before its length is no known pure ACK
	}
	if p.Len > 0 {
		c.once(from, 'd')
	}
	if retrans && p.Len > 0 {
		c.logarithmic(from, 't', 1)
	}
	if p.HasWin && p.Win == 0 && !rst && !syn {
		c.logarithmic(from, 'w', 2)
	}
}

// zeekMoved keeps each endpoint's previous Zeek state when it changes:
// a gap counts in a CLOSED endpoint only if it closed from ESTABLISHED.
func (c *Conn) zeekMoved(was [2]zeekState) {
	for r := range was {
		if c.zeek[r] != was[r] {
			c.zeekPrev[r] = was[r]
		}
	}
}

// zeekGap records a content gap in the bytes of side: Zeek's 'g' (upper
// case for the originator's bytes), counted only while both endpoints are
// established or closing cleanly (TCP_Reassembler::Gap): elsewhere a gap
// may be no more than a RST's odd seq or a partial connection's past.
func (c *Conn) zeekGap(side Role) {
	clean := func(r Role) bool {
		return c.zeek[r] == zEstablished || c.zeek[r] == zClosed && c.zeekPrev[r] == zEstablished
	}
	if clean(side) && clean(side.Other()) {
		c.logarithmic(side, 'g', 0)
	}
}

// maxHistory bounds the history string.
const maxHistory = 48

func (c *Conn) letter(from Role, l byte) {
	if from == Client {
		l -= 'a' - 'A'
	}
	c.addHistory(l)
}

// addHistory appends a byte to the history, up to maxHistory.
func (c *Conn) addHistory(l byte) {
	switch {
	case len(c.history) >= maxHistory:
	case cap(c.history) == 0:
		// the first letter, before the connection grows (a SYN's):
		// a view of the letter in oneLetter, not an allocation; its
		// capacity of one makes the next append copy it
		c.history = oneLetter[l : l+1 : l+1]
	default:
		c.history = append(c.history, l)
	}
}

// oneLetter holds every byte at its own index: the history of one letter
// of a connection that has not grown (letter). Nothing writes to it:
// history is only appended to, never written in place.
var oneLetter = func() (a [256]byte) {
	for i := range a {
		a[i] = byte(i)
	}
	return a
}()

// once records a letter at most once per direction.
func (c *Conn) once(from Role, l byte) {
	bit := uint32(1) << (l - 'a')
	if c.histOnce[from]&bit != 0 {
		return
	}
	c.histOnce[from] |= bit
	c.letter(from, l)
}

// repeat records a letter again each time its segment's seq differs from
// the last one recorded with that letter.
func (c *Conn) repeat(from Role, l byte, slot int, seq uint32) {
	bit := uint8(1) << (4*uint(from) + uint(slot))
	if c.histHas&bit != 0 && c.histSeq[from][slot] == seq {
		return
	}
	c.histHas |= bit
	c.histSeq[from][slot] = seq
	c.letter(from, l)
}

// logarithmic records a letter at the 1st, 10th, 100th … occurrence.
func (c *Conn) logarithmic(from Role, l byte, slot int) {
	if c.histCnt[from][slot] < 65535 {
		c.histCnt[from][slot]++
	}
	n := c.histCnt[from][slot]
	for m := uint16(1); m <= n && m < 10000; m *= 10 {
		if m == n {
			c.letter(from, l)
			return
		}
	}
}

// Summary is the account of one connection (kind "summary" in JSON).
type Summary struct {
	Conn      *Conn
	ConnState string // Zeek's conn_state: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH
	History   string // Zeek's history letters
	// Close is the close pattern: three_packet, four_packet, simultaneous,
	// refused, reset, or "" while open or unknown.
	Close    string
	Closer   Role
	HasClose bool
	// Quiet is set for a connection printed by tcpdump -q: no flags, so
	// no close, no conn_state and no history ("").
	Quiet bool
	// ISNs, initial RTT, bytes and segments each way.
	ClientISN, ServerISN       uint32
	HasClientISN, HasServerISN bool
	IRTTUs                     int64
	HasIRTT                    bool
	Bytes, Segments, Retrans   [2]uint64
	DurationUs                 int64
	Evicted                    bool
	// AckRTT summarizes the ACK RTTs (fsm/ackrtt.go) by the role whose
	// data (or SYN, or FIN) is acknowledged: AckRTT[Client] are the
	// server's ACKs of the client's segments.
	AckRTT [2]RTTStats
}

// Summary returns the connection's account so far.
func (c *Conn) Summary() Summary {
	s := Summary{Conn: c, Evicted: c.evicted, Quiet: c.quiet}
	if !c.quiet {
		s.ConnState, s.History = c.connState(), string(c.history)
	}
	s.ClientISN, s.HasClientISN = c.flows[Client].isn, c.flows[Client].hasISN
	s.ServerISN, s.HasServerISN = c.flows[Server].isn, c.flows[Server].hasISN
	s.IRTTUs, s.HasIRTT = c.irttUs, c.hasIRTT
	for r := Client; r <= Server; r++ {
		s.Bytes[r] = c.flows[r].bytes
		s.Segments[r] = uint64(c.flows[r].pkts)
		s.Retrans[r] = uint64(c.flows[r].retrans)
	}
	s.DurationUs = c.lastUs - c.firstUs
	switch c.closeKind {
	case closeThree:
		s.Close = "three_packet"
	case closeFour:
		s.Close = "four_packet"
	case closeSimultaneous:
		s.Close = "simultaneous"
	case closeRefused:
		s.Close = "refused"
	case closeReset:
		s.Close = "reset"
	}
	s.Closer, s.HasClose = c.closer, c.closeKind != closeNone
	if c.connMore != nil && c.ack != nil {
		s.AckRTT = [2]RTTStats{c.ack.stats[Client].summary(), c.ack.stats[Server].summary()}
	}
	return s
}

// connState derives Zeek's conn_state, evaluating its rules top-down
// (docs/tcp-reference.md §2.1; zeek scripts/base/protocols/conn/main.zeek).
func (c *Conn) connState() string {
	orig, resp := c.zeek[Client], c.zeek[Server]
	inactive := func(z zeekState) bool { return z == zInactive || z == zPartial }
	noBytes := c.flows[Client].bytes == 0 && c.flows[Server].bytes == 0
	switch {
	case resp == zReset && (orig == zSynSent || orig == zSynAckSent || orig == zReset && noBytes):
		return "REJ"
	case resp == zReset && inactive(orig):
		return "RSTRH"
	case resp == zReset:
		return "RSTR"
	case orig == zReset && inactive(resp) && rstos0(c.history):
		return "RSTOS0"
	case orig == zReset && inactive(resp):
		return "OTH"
	case orig == zReset:
		return "RSTO"
	case orig == zClosed && resp == zClosed:
		return "SF"
	case orig == zClosed && inactive(resp):
		return "SH"
	case orig == zClosed:
		return "S2"
	case resp == zClosed && inactive(orig):
		return "SHR"
	case resp == zClosed:
		return "S3"
	case orig == zSynSent && resp == zInactive:
		return "S0"
	case orig == zEstablished && resp == zEstablished:
		return "S1"
	}
	return "OTH"
}

// rstos0 matches Zeek's `^?S[^HAFGIQ]*R.*` against the history.
func rstos0(h []byte) bool {
	i := 0
	if i < len(h) && h[i] == '^' {
		i++
	}
	if i >= len(h) || h[i] != 'S' {
		return false
	}
	for i++; i < len(h); i++ {
		switch h[i] {
		case 'R':
			return true
		case 'H', 'A', 'F', 'G', 'I', 'Q':
			return false
		}
	}
	return false
}
