package annotate

import "github.com/tcpnote/tcpnote/fsm"

// Numbers in notes are the trace's own: what the line shows, with the
// absolute value in parentheses when tcpdump printed it relative, and byte
// ranges written the way tcpdump writes them (`seq 1:7` is 6 bytes, 1 to
// 6). Events carry absolute numbers; the line's printed and absolute
// numbers give the base of each direction.

// seqBase returns what tcpdump subtracted from the sender's numbers on
// this line, and whether it printed them relative.
func (x ctx) seqBase() (uint32, bool) {
	if x.r == nil || !x.r.Relative || !x.r.HasSeq || !x.p.HasSeq {
		return 0, false
	}
	return x.r.Seq - x.p.Seq, true
}

// ackBase returns what tcpdump subtracted from the receiver's numbers (the
// ack and SACK edges) on this line, and whether it printed them relative.
func (x ctx) ackBase() (uint32, bool) {
	if x.r == nil || !x.r.Relative || !x.r.HasAck || !x.p.HasAck {
		return 0, false
	}
	return x.r.Ack - x.p.Ack, true
}

// seqRange appends `seq A:B` for the absolute range [seq, end) of the
// sender's bytes, in the line's numbers.
func seqRange(b []byte, x ctx, seq, end int64) []byte {
	b = append(b, "seq "...)
	base, rel := x.seqBase()
	b = num(b, int64(uint32(seq)-base))
	b = append(b, ':')
	b = num(b, int64(uint32(end)-base))
	if rel && base != 0 {
		b = append(b, " ("...)
		b = num(b, seq)
		b = append(b, ':')
		b = num(b, end)
		b = append(b, ')')
	}
	return b
}

// ackRange appends `A:B` for an absolute range of the receiver's numbers
// (a SACK block), in the line's numbers, as tcpdump prints it: {A:B}.
func ackRange(b []byte, x ctx, l, r int64) []byte {
	base, rel := x.ackBase()
	b = num(b, int64(uint32(l)-base))
	b = append(b, ':')
	b = num(b, int64(uint32(r)-base))
	if rel && base != 0 {
		b = append(b, " ("...)
		b = num(b, l)
		b = append(b, ':')
		b = num(b, r)
		b = append(b, ')')
	}
	return b
}

// seqOf appends one of the sender's sequence numbers in the line's numbers.
func seqOf(b []byte, x ctx, v int64) []byte {
	base, rel := x.seqBase()
	return asPrinted(b, v, base, rel)
}

// ackOf appends one of the receiver's sequence numbers (an ack, a SACK
// edge) in the line's numbers.
func ackOf(b []byte, x ctx, v int64) []byte {
	base, rel := x.ackBase()
	return asPrinted(b, v, base, rel)
}

func asPrinted(b []byte, v int64, base uint32, rel bool) []byte {
	b = num(b, int64(uint32(v)-base))
	if rel && base != 0 {
		b = append(b, " ("...)
		b = num(b, v)
		b = append(b, ')')
	}
	return b
}

// rttSource names what a round trip was measured on.
func rttSource(b []byte, zh bool, e *fsm.Event) []byte {
	src := fsm.RTTSource(arg(e, fsm.KeyRTTSource))
	if zh {
		switch src {
		case fsm.RTTHandshake:
			return append(b, "握手"...)
		case fsm.RTTTSEcho:
			return append(b, "时间戳回显"...)
		}
		return append(b, "最快的一对数据与确认"...)
	}
	switch src {
	case fsm.RTTHandshake:
		return append(b, "the handshake"...)
	case fsm.RTTTSEcho:
		return append(b, "a timestamp echo"...)
	}
	return append(b, "the quickest data→ACK pair"...)
}
