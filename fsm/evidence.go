package fsm

import (
	"bytes"

	"github.com/tcpnote/tcpnote/grammar"
)

// What a claim of "impossible" needs: proof that the trace has no gap
// before the packet. A gap is an elision line a person left where they cut
// the trace (`...`, `…`, `[snip]`, a blank line between blocks), or
// packets the capture missed: a jump in a direction's IP ids, bytes the
// trace skipped (lost_segment, acked_unseen), a direction never seen.
// Without such proof a finding is "not in this trace", never
// "impossible".

// Other takes a record that is not a TCP segment. An elision line marks
// every connection seen so far: what was cut may hold any of their
// packets.
func (t *Tracker) Other(raw []byte) {
	if !isElision(raw) {
		return
	}
	for c := t.lruHead; c != nil; c = c.nextConn {
		c.elided = true
	}
}

// isElision reports whether a line says that lines were left out: nothing
// but dots or ellipses, a [snip]-like marker, or a blank line.
func isElision(raw []byte) bool {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return true
	}
	// Every marker starts with one of these, and a run of dots or
	// ellipses with '.' or "…"'s first byte: any other line (a hex line of
	// -x, a comment) is none, without the trims and the lower-casing
	// below, which took two fifths of a -X render's instructions.
	switch s[0] {
	case '.', "…"[0], '[', '<', '(', '-':
	default:
		return false
	}
	if bytes.Trim(s, ".…") == nil || len(bytes.Trim(s, ".…")) == 0 {
		return len(s) >= 3 || bytes.Contains(s, []byte("…"))
	}
	l := bytes.ToLower(s)
	for _, m := range []string{"[snip]", "<snip>", "[...]", "[…]", "(snip)", "-- snip --", "[cut]"} {
		if bytes.Equal(l, []byte(m)) {
			return true
		}
	}
	return false
}

// observeIPID follows a direction's IP ids (tcpdump -v prints them). Linux
// numbers a connection's segments one by one in each direction, so a jump
// says the capture missed packets, and an unbroken run from the
// direction's first packet says it missed none of them. A SYN-ACK's id 0
// (Linux sends it from no socket's counter) is no step in the run.
func (c *Conn) observeIPID(from Role, p *grammar.Packet) {
	f := &c.flows[from]
	if f.flowMore == nil {
		return // a SYN without IP fields: no id, and idRun starts false
	}
	first := f.pkts == 1
	id := p.IP.ID
	switch {
	case id < 0:
		f.idRun = false
	case id == 0 && p.Flags.Has(grammar.SYN):
		if first {
			f.idRun = true
		}
	case first || !f.idSeen:
		f.idRun = first || f.idRun && f.pkts == 2 && f.synAcks > 0
		f.idSeen, f.lastID = true, id
	default:
		d := uint16(id) - uint16(f.lastID)
		if d > 1 {
			f.idRun = false
			c.missed = true
		}
		f.lastID = id
	}
}

// noGap reports whether the connection, as far as the trace has gone,
// shows no sign of anything missing: no elision, no missed packet, both
// directions seen, the handshake in the trace.
func (c *Conn) noGap() bool {
	return !c.elided && !c.missed && !c.Midstream && c.flows[Client].pkts > 0 && c.flows[Server].pkts > 0
}
