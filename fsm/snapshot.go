package fsm

import "github.com/tcpnote/tcpnote/grammar"

// Snapshot returns a Conn that holds c's exported fields (ID, the
// endpoints, Simultaneous, Midstream, Self) as they are now, and nothing
// else; it does not change when c does. A writer on another goroutine
// reads the snapshot while the tracker goes on with c (cmd/tcpnote's
// pipeline). Once c has seen more than SYNs the snapshot is kept on it
// and made again only when one of those fields has changed, so a
// connection costs one or two of them, not one a packet. Its unexported
// state is empty: call no method on it, read its fields.
func (c *Conn) Snapshot() *Conn {
	if c == nil {
		return nil
	}
	var s *Conn
	if c.connMore != nil {
		s = c.connMore.snap
	}
	if s == nil || s.ID != c.ID || s.Client != c.Client || s.Server != c.Server ||
		s.Simultaneous != c.Simultaneous || s.Midstream != c.Midstream || s.Self != c.Self {
		s = &Conn{ID: c.ID, Client: c.Client, Server: c.Server,
			Simultaneous: c.Simultaneous, Midstream: c.Midstream, Self: c.Self}
		if c.connMore != nil {
			c.connMore.snap = s
		}
	}
	return s
}

// ProcessTo is Process for a caller that keeps each Result past the next
// call (cmd/tcpnote hands them to a writer on another goroutine). The
// Result is written into *dst, its events are appended to *events (the
// caller's arena, reused batch by batch) and dst.Events points there, and
// dst.Conn is the connection's Snapshot: nothing dst holds changes when
// the Tracker goes on. It returns the live connection, for what the
// caller does on the tracker's goroutine (--conn, --stats), or nil when
// Process would have returned nil, leaving *events as it was.
//
// The events are emitted straight into the arena's spare room, not into
// the Tracker's own list and copied: a record's events are 200 bytes
// each, and this copy was a twentieth of the tracker's work.
func (t *Tracker) ProcessTo(p *grammar.Packet, line int, dst *Result, events *[]Event) *Conn {
	own, arena := t.events, *events
	n := len(arena)
	t.events = arena[n:n]
	res := t.process(p, line, dst)
	got := t.events
	t.events, t.cur = own, &t.res
	if res == nil {
		return nil
	}
	if len(got) > 0 {
		// emit appends past the window's room only when it is full, so
		// the events are in place exactly when they fit
		if n+len(got) <= cap(arena) {
			arena = arena[:n+len(got)]
		} else {
			arena = append(arena, got...) // emit moved them (in place, this would copy them onto themselves)
		}
		*events = arena
	}
	dst.Events = arena[n:len(arena):len(arena)] // no room to append into
	live := dst.Conn
	dst.Conn = live.Snapshot()
	return live
}
