package annotate

import "github.com/tcpnote/tcpnote/fsm"

// Numbers in notes are the trace's own: what the line shows, with the
// absolute value after it (in the language's parentheses, Words.Abs) when
// tcpdump printed it relative, and byte ranges written the way tcpdump
// writes them (`seq 1:7` is 6 bytes, 1 to 6). Events carry absolute
// numbers; the line's printed and absolute numbers give the base of each
// direction. These are the specials {seq_range}, {seq_line}, {ack_line} …
// of template.go: the language files hold only the words around them.

// seqBase returns what tcpdump subtracted from the sender's numbers on
// this line, and whether it printed them relative.
func (v *view) seqBase() (uint32, bool) {
	if v.r == nil || v.p == nil || !v.r.Relative || !v.r.HasSeq || !v.p.HasSeq {
		return 0, false
	}
	return v.r.Seq - v.p.Seq, true
}

// ackBase returns what tcpdump subtracted from the receiver's numbers (the
// ack and SACK edges) on this line, and whether it printed them relative.
func (v *view) ackBase() (uint32, bool) {
	if v.r == nil || v.p == nil || !v.r.Relative || !v.r.HasAck || !v.p.HasAck {
		return 0, false
	}
	return v.r.Ack - v.p.Ack, true
}

// lineNumber appends one absolute number of the event in the line's
// numbers, the absolute value after it when they differ.
func (v *view) lineNumber(b []byte, base func() (uint32, bool), k fsm.Key) []byte {
	x := arg(v.e, k)
	d, rel := base()
	b = appendInt(b, int64(uint32(x)-d))
	if rel && d != 0 {
		w := &v.lang.Words
		b = append(b, w.Abs[0]...)
		b = appendInt(b, x)
		b = append(b, w.Abs[1]...)
	}
	return b
}

// lineRange appends the range [from, to) of absolute numbers as tcpdump
// writes it, A:B, in the line's numbers, the absolute range after it when
// they differ.
func (v *view) lineRange(b []byte, base func() (uint32, bool), from, to fsm.Key) []byte {
	l, r := arg(v.e, from), arg(v.e, to)
	d, rel := base()
	b = appendInt(b, int64(uint32(l)-d))
	b = append(b, ':')
	b = appendInt(b, int64(uint32(r)-d))
	if rel && d != 0 {
		w := &v.lang.Words
		b = append(b, w.Abs[0]...)
		b = appendInt(b, l)
		b = append(b, ':')
		b = appendInt(b, r)
		b = append(b, w.Abs[1]...)
	}
	return b
}
