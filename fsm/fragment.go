package fsm

import (
	"strings"

	"github.com/tcpnote/tcpnote/grammar"
)

// fragTracker follows IP fragments. tcpdump prints a fragmented segment's
// TCP header on its first fragment, with a seq range and length that count
// that fragment's bytes only, and its later fragments without ports, right
// after it. The tracker remembers the last data segment so that the later
// fragments can be given to it: where their offsets and lengths are
// printed (IPv6, IPv4 under -v) the segment is reassembled; where they are
// not (IPv4 without -v: `ip-proto-6`), the bytes they carried are
// unattributed until the peer's ACK or the sender's next segment shows
// where the segment ended.
type fragTracker struct {
	conn     *Conn
	from     Role
	seq, end uint32 // the data tcpdump printed for the segment
	hdr      int32  // TCP header bytes in the first fragment; -1 unknown
	n        int    // fragments seen, the first included
	unknown  bool   // later fragments whose length the text does not give
}

// note remembers a data segment, which may be the first fragment of one.
func (ft *fragTracker) note(c *Conn, from Role, p *grammar.Packet, seq, end uint32) {
	*ft = fragTracker{conn: c, from: from, seq: seq, end: end, hdr: -1, n: 1}
	if p.Frag.Present && p.Frag.Len >= 0 && int64(p.Frag.Len) >= int64(p.Len) {
		ft.hdr = p.Frag.Len - int32(p.Len)
	}
}

// unattributed reports whether the bytes from next on may be those of
// later fragments the text gave no length for.
func (ft *fragTracker) unattributed(c *Conn, r Role, next uint32) bool {
	return ft.unknown && ft.conn == c && ft.from == r && next == ft.end
}

// hostOf returns the host part of an endpoint key `host.port`.
func hostOf(ep string) string {
	if i := strings.LastIndexByte(ep, '.'); i >= 0 {
		return ep[:i]
	}
	return ep
}

// laterFragment takes a fragment after the first. It returns nil when the
// fragment belongs to no segment of the trace (its first fragment is not
// here): the record is then like any other text.
func (t *Tracker) laterFragment(p *grammar.Packet, line int) *Result {
	now, timed, _ := t.clk.read(p)
	if timed {
		t.clk.advance(now, p.TimeKind)
	}
	if t.clk.reading {
		t.noteReading()
	}
	ft := &t.frag
	c := ft.conn
	if c == nil || t.conns[c.key] != c {
		return nil
	}
	src, dst := c.Client, c.Server
	if ft.from == Server {
		src, dst = dst, src
	}
	if hostOf(src) != string(p.Text(p.Src.Host)) || hostOf(dst) != string(p.Text(p.Dst.Host)) {
		return nil
	}
	ft.n++
	res := t.cur
	*res = Result{Conn: c, From: ft.from, Before: c.state, After: c.state}
	e := t.emit(IPFragment).set(KeyCount, int64(ft.n)).set(KeySeq, int64(ft.seq))
	if p.Frag.Offset >= 0 {
		e.set(KeyFragOffset, int64(p.Frag.Offset))
	}
	if p.Frag.Len >= 0 {
		e.set(KeyLen, int64(p.Frag.Len))
	}
	if p.Frag.Offset >= 0 && p.Frag.Len >= 0 && ft.hdr >= 0 {
		// the segment reaches at least the end of this fragment
		end := ft.seq + uint32(p.Frag.Offset+p.Frag.Len-ft.hdr)
		f := &c.flows[ft.from]
		if seqGT(end, f.next) {
			f.bytes += uint64(end - f.next)
			f.remember(f.next, end-f.next, now, line)
			f.next = end
		}
		if seqGT(end, ft.end) {
			ft.end = end
		}
		e.set(KeySeqEnd, int64(ft.end)).set(KeyReassembled, b2i(p.Frag.More == 0))
	} else {
		ft.unknown = true
		e.set(KeySeqEnd, int64(ft.end))
	}
	res.Events = t.events
	return res
}
