package fsm

import (
	"bytes"

	"github.com/tcpnote/tcpnote/grammar"
)

// copyWindowUs is how close in time a copy follows its segment: with
// `tcpdump -i any` on a host with a bridge or a veth (Docker, libvirt,
// Kubernetes) every segment passes two interfaces microseconds apart.
const copyWindowUs = 1000

// segSig is what tells a copy of a segment from a new one: every field
// tcpdump printed, and where and when it was seen.
type segSig struct {
	seq, ack, len uint32
	tsVal         uint32
	flags         grammar.Flags
	id            int32
	hasSeq, hasTS bool
	us            int64
	line          int32
	where         [24]byte // interface and direction, `br0/Out`
	whereN        uint8
}

// sigOf returns a segment's signature.
func sigOf(p *grammar.Packet, now int64, line int) segSig {
	s := segSig{seq: p.Seq, ack: p.Ack, len: p.Len, flags: p.Flags, id: p.IP.ID, hasSeq: p.HasSeq, us: now, line: int32(line)}
	if ts := optionOf(p, grammar.OptTimestamps); ts != nil {
		s.tsVal, s.hasTS = ts.Val, true
	}
	n := copy(s.where[:], p.Text(p.Iface))
	if n < len(s.where) {
		s.where[n] = '/'
		n++
		n += copy(s.where[n:], p.Text(p.Direction))
	}
	s.whereN = uint8(n)
	return s
}

// copyOf reports whether a segment is a copy of the one before it in its
// direction: the same in every printed field, seen on another interface
// (or the other way through the same one) within a millisecond. A copy is
// said once and changes nothing: it is no retransmission and not counted.
func (f *flow) copyOf(s *segSig, timed bool) bool {
	o := f.lastSig
	if o == nil || !timed || o.us == 0 || s.whereN == 0 || o.whereN == 0 {
		return false
	}
	if bytes.Equal(s.where[:s.whereN], o.where[:o.whereN]) || s.us-o.us > copyWindowUs || s.us < o.us {
		return false
	}
	return s.seq == o.seq && s.ack == o.ack && s.len == o.len && s.flags == o.flags && s.hasSeq == o.hasSeq &&
		s.hasTS == o.hasTS && s.tsVal == o.tsVal && s.id == o.id
}
