package annotate

// The classroom edition's marks (issue 18): which segments of a
// connection never arrived, which packet resends which, which segments
// crossed in flight, and whether the connection's times can be drawn to
// scale. The documents draw these (HTML: an arrow stopping short with ×, a
// thin connector to its retransmission, two arrows crossing; Mermaid: -x
// arrows and par blocks; Markdown: marks in the packet column).
//
// Only what the trace proves is marked; when it is not sure, a segment is
// drawn as arriving. The proofs, from fsm's events and arguments:
//
//   - a SYN the client sends again while nothing in the trace answered it
//     (handshake.syn_retransmit, unanswered=1): the earlier SYN is drawn
//     as not arriving (lostNoAnswer). The last SYN of such a series has
//     nothing after it and is drawn normally.
//   - a SYN sent again after the server's SYN-ACK (handshake.syn_retransmit,
//     lost=1): that SYN-ACK never arrived (lostSYNACK).
//   - a copy of bytes (or a FIN) that is sent again (retransmission,
//     fast_retransmission; never spurious_retransmission, whose original
//     was acknowledged) is lost when the receiver's ACK equals the copy's
//     first sequence number — the receiver holds everything before it and
//     not it — and the ACK was sent after the copy had had time to
//     arrive: either it is a duplicate ACK or carries a SACK block above
//     the copy (a later segment arrived first; lostDupAcks), or it was
//     captured at least one retransmission timeout after the copy, the
//     time the sender itself waited (a timer retransmission's gap;
//     lostStillAsked). A D-SACK from the receiver covering the bytes says
//     a copy arrived twice: then no copy of them is marked.
//   - two segments cross when fsm says so: a FIN that does not
//     acknowledge the other side's FIN (close.simultaneous: each left
//     before the other arrived), a SYN that meets the other side's SYN
//     (handshake.simultaneous_open).

import (
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// lostReason says how the trace shows a segment never arrived.
type lostReason uint8

const (
	lostNoAnswer   lostReason = iota // a SYN nothing answers, sent again
	lostSYNACK                       // a SYN-ACK after which the client sends its SYN again
	lostDupAcks                      // dup ACKs or SACK blocks after it ask for its first byte
	lostStillAsked                   // an RTO later the receiver still asks for its first byte
	numLostReasons
)

// timeJumpUs is a jump between two packets of one connection that a
// ladder does not draw to scale: more than three hours (Linux's default
// keep-alive, two hours and its probes, stays within).
const timeJumpUs = 3 * 3600 * 1_000_000

// rowEvidence is what a packet's events say for the marks, kept on its
// row (collector.row).
type rowEvidence struct {
	seq, ack       uint32 // absolute
	hasSeq, hasAck bool
	retrans        fsm.Code      // the retransmission event's code, or CodeNone
	by             fsm.RetransBy // what sent it (data retransmissions)
	waitUs         int64         // how long the sender waited before this copy (gap_us)
	unanswered     bool          // a SYN retransmission nothing answered before
	synackLost     bool          // a SYN retransmission after the server's SYN-ACK
	crossFIN       bool          // close.simultaneous: crosses the FIN at finSeq
	finSeq         uint32
	crossSYN       bool // handshake.simultaneous_open: crosses the SYN with ISN peerISN
	peerISN        uint32
	dup            int // duplicate ACK number (0: not one)
	sackN          int // SACK blocks; the first is sackL:sackR (absolute)
	sackL, sackR   uint32
	dsack          bool
	newDay         bool // trace.new_day: a time read as the next day
}

// evidenceOf reads a packet's events for the marks.
func evidenceOf(r *fsm.Result) rowEvidence {
	ev := rowEvidence{seq: r.Seq, ack: r.Ack, hasSeq: r.HasSeq, hasAck: r.HasAck}
	for i := range r.Events {
		e := &r.Events[i]
		get := func(k fsm.Key) int64 { v, _ := e.Get(k); return v }
		switch e.Code {
		case fsm.Retransmission, fsm.FastRetransmission, fsm.SpuriousRetransmission,
			fsm.HandshakeSYNRetransmit, fsm.HandshakeSYNACKRetransmit:
			ev.retrans = e.Code
			ev.by = fsm.RetransBy(get(fsm.KeyBy))
			ev.waitUs = get(fsm.KeyGapUs)
			ev.unanswered = e.Code == fsm.HandshakeSYNRetransmit && get(fsm.KeyUnanswered) == 1
			ev.synackLost = e.Code == fsm.HandshakeSYNRetransmit && get(fsm.KeyLost) == 1
		case fsm.CloseSimultaneous:
			ev.crossFIN, ev.finSeq = true, uint32(get(fsm.KeyFINSeq))
		case fsm.HandshakeSimultaneousOpen:
			ev.crossSYN, ev.peerISN = true, uint32(get(fsm.KeyPeerISN))
		case fsm.DupAck:
			ev.dup = int(max(get(fsm.KeyCount), 1))
		case fsm.OptionSACK:
			ev.sackN = int(get(fsm.KeyBlocks))
			ev.sackL, ev.sackR = uint32(get(fsm.KeyLeft)), uint32(get(fsm.KeyRight))
			ev.dsack = get(fsm.KeyDSACK) == 1
		case fsm.TraceNewDay:
			ev.newDay = true
		}
	}
	return ev
}

// rowMarks are the marks of one packet of a connection (indexes into its
// rows, -1 for none).
type rowMarks struct {
	lost  bool       // drawn as never arriving (false: it arrived, or the trace cannot tell)
	why   lostReason // how the trace shows it
	orig  int        // the earlier copy this packet sends again
	next  int        // the later copy that sends this one again
	cross int        // the segment this one crosses in flight
}

// seqIn reports whether s lies in [l, r) modulo 2^32.
func seqIn(s, l, r uint32) bool { return s-l < r-l }

// markRows decides the marks of a connection's rows (see the comment at
// the top). timed says the rows' times can be compared (timeScale).
func markRows(rows []docRow, timed bool) []rowMarks {
	m := make([]rowMarks, len(rows))
	for i := range m {
		m[i] = rowMarks{orig: -1, next: -1, cross: -1}
	}
	// The copies: each retransmission resends the latest earlier packet of
	// its sender that starts at the same sequence number with the same SYN
	// and FIN.
	for j := range rows {
		r := &rows[j]
		if r.ev.retrans == fsm.CodeNone || !r.ev.hasSeq {
			continue
		}
		for k := j - 1; k >= 0; k-- {
			o := &rows[k]
			if o.From == r.From && o.ev.hasSeq && o.ev.seq == r.ev.seq && o.Bits&(grammar.SYN|grammar.FIN) == r.Bits&(grammar.SYN|grammar.FIN) &&
				(o.Len > 0 || o.Bits&(grammar.SYN|grammar.FIN) != 0) && m[k].next < 0 {
				m[j].orig, m[k].next = k, j
				break
			}
		}
	}
	for j := range rows {
		r := &rows[j]
		k := m[j].orig
		switch {
		case r.ev.synackLost:
			// the client asks again: the last SYN-ACK before never arrived
			for i := j - 1; i >= 0; i-- {
				if o := &rows[i]; o.From != r.From && o.Bits&(grammar.SYN|grammar.ACK) == grammar.SYN|grammar.ACK {
					m[i].lost, m[i].why = true, lostSYNACK
					break
				}
			}
		case k >= 0 && r.ev.unanswered && rows[k].Bits&grammar.SYN != 0:
			m[k].lost, m[k].why = true, lostNoAnswer
		}
	}
	for k := range rows {
		if why, ok := bytesLost(rows, m, k, timed); ok {
			m[k].lost, m[k].why = true, why
		}
	}
	// Crossings, as fsm proved them.
	for j := range rows {
		r := &rows[j]
		if !r.ev.crossFIN && !r.ev.crossSYN {
			continue
		}
		for i := j - 1; i >= 0; i-- {
			o := &rows[i]
			if o.From == r.From || !o.ev.hasSeq {
				continue
			}
			fin := r.ev.crossFIN && o.Bits&grammar.FIN != 0 && o.ev.seq+o.Len == r.ev.finSeq
			syn := r.ev.crossSYN && o.Bits&(grammar.SYN|grammar.ACK) == grammar.SYN && o.ev.seq == r.ev.peerISN
			if fin || syn {
				if m[i].cross < 0 && !m[i].lost {
					m[i].cross, m[j].cross = j, i
				}
				break
			}
		}
	}
	return m
}

// bytesLost decides whether copy k of some bytes (or a FIN) never arrived:
// it must be sent again (or be a copy itself), the receiver must ask for
// its first byte after it had time to arrive, and no D-SACK may say a
// copy arrived twice.
func bytesLost(rows []docRow, m []rowMarks, k int, timed bool) (lostReason, bool) {
	c := &rows[k]
	if c.Bits&grammar.SYN != 0 || !c.ev.hasSeq || (m[k].next < 0 && m[k].orig < 0) {
		return 0, false
	}
	if j := m[k].next; j >= 0 && rows[j].ev.retrans == fsm.SpuriousRetransmission {
		return 0, false // the receiver had acknowledged it
	}
	// how long the copy had to arrive before an ACK that asks for it
	// proves it did not: the sender's own timer, from the next copy's gap
	// (or this copy's, for the last one), when a timer sent it
	var wait int64 = -1
	if j := m[k].next; j >= 0 && rows[j].ev.by == fsm.ByTimer && rows[j].ev.waitUs > 0 {
		wait = rows[j].ev.waitUs
	} else if j < 0 && c.ev.by == fsm.ByTimer && c.ev.waitUs > 0 {
		wait = c.ev.waitUs
	}
	end := c.ev.seq + c.Len
	if c.Bits&grammar.FIN != 0 {
		end++
	}
	why, lost := lostReason(0), false
	for i := k + 1; i < len(rows); i++ {
		a := &rows[i]
		if a.From == c.From || !a.ev.hasAck || a.Bits&grammar.ACK == 0 {
			continue
		}
		if a.ev.sackN > 0 && a.ev.dsack && (seqIn(c.ev.seq, a.ev.sackL, a.ev.sackR) || seqIn(a.ev.sackL, c.ev.seq, end)) {
			return 0, false // a copy arrived twice: which one is not known
		}
		if lost || a.ev.ack != c.ev.seq {
			continue
		}
		switch {
		case (a.ev.dup > 0 || a.ev.sackN > 0 && !a.ev.dsack && a.ev.sackL-c.ev.seq < 1<<31 && a.ev.sackL != c.ev.seq) && (m[k].next < 0 || i < m[k].next):
			why, lost = lostDupAcks, true
		case timed && wait > 0 && a.Micros-c.Micros >= wait:
			why, lost = lostStillAsked, true
		}
	}
	return why, lost
}

// timeScale reports whether a connection's times can be drawn to scale:
// every packet has one, they never go back, none is read as the next
// day, and no two packets are more than timeJumpUs apart. A pasted trace
// with edited times fails this, and is drawn evenly spaced.
func timeScale(rows []docRow) (timed, broken bool) {
	timed = len(rows) > 0
	for i := range rows {
		if !rows[i].HasTime {
			return false, false
		}
		if rows[i].ev.newDay {
			broken = true
		}
		if i > 0 {
			if g := rows[i].Micros - rows[i-1].Micros; g < 0 || g > timeJumpUs {
				broken = true
			}
		}
	}
	return timed && !broken, broken
}

// sackText is a row's first SACK block as the arrow's numbers are
// printed (relative when its ack is), with "+N" for more blocks; "" when
// it has none.
func sackText(r *docRow) string {
	if r.ev.sackN == 0 {
		return ""
	}
	off := uint32(0)
	if r.AckAbs != "" && r.ev.hasAck {
		if a, ok := parseU32(r.Ack); ok {
			off = r.ev.ack - a
		}
	}
	s := u32(r.ev.sackL-off) + ":" + u32(r.ev.sackR-off)
	if r.ev.sackN > 1 {
		s += " +" + itoa(r.ev.sackN-1)
	}
	return s
}

// appendCaption appends a connection's caption: its close in the words
// the summary uses ("three-segment close, client closed first"). It
// repeats composeSummary's choice of phrase, without the head, the Zeek
// state and the counts.
func appendCaption(b []byte, lang Lang, s *fsm.Summary) []byte {
	v := view{lang: lang.text(), s: s}
	return composeClose(&v, b)
}

// connCaption is a connection's caption: its close, and whether its times
// are drawn evenly; "" when there is nothing to say.
func connCaption(lang Lang, c *docConn) string {
	var b []byte
	if c.HasSummary {
		b = appendCaption(b, lang, &c.Summary)
	}
	if _, broken := timeScale(c.Rows); broken {
		if len(b) > 0 {
			b = append(b, lang.text().Words.Sep...)
		}
		b = append(b, lang.text().Words.Marks.EvenTime...)
	}
	return string(b)
}

// markPhrases words a row's marks: "× never arrived: …", "↻ retransmission
// of #3", "sent again as #9", "⇄ crosses #6 …". Short leaves out how the
// trace shows a loss, the copy that resends it, and a crossing with the
// packet next to it (a diagram draws those).
func markPhrases(lang Lang, rows []docRow, m []rowMarks, i int, short bool) []string {
	w := &lang.text().Words.Marks
	k := m[i]
	var out []string
	switch {
	case k.lost && short:
		out = append(out, "× "+w.Lost[k.why])
	case k.lost:
		out = append(out, "× "+w.Lost[k.why]+": "+w.LostWhy[k.why])
	}
	if k.orig >= 0 {
		out = append(out, "↻ "+strings.Replace(w.Resends, "%d", itoa(rows[k.orig].N), 1))
	}
	if k.next >= 0 && !short {
		out = append(out, strings.Replace(w.ResentBy, "%d", itoa(rows[k.next].N), 1))
	}
	if k.cross >= 0 && !(short && (k.cross == i-1 || k.cross == i+1)) {
		out = append(out, "⇄ "+strings.Replace(w.Crosses, "%d", itoa(rows[k.cross].N), 1))
	}
	return out
}
