package fsm

import "github.com/tcpnote/tcpnote/grammar"

// SnapshotInto writes c's exported fields (ID, the endpoints,
// Simultaneous, Midstream, Self) as they are now into dst, a Conn that
// holds nothing else: a zero Conn, or one only ever written by
// SnapshotInto. dst does not change when c does: a writer on another
// goroutine reads it while the tracker goes on with c (cmd/tcpnote's
// pipeline, which keeps the snapshots in its batches and writes over them
// once a batch is written). Its unexported state stays empty: call no
// method on it, read its fields.
func (c *Conn) SnapshotInto(dst *Conn) {
	dst.ID, dst.Client, dst.Server = c.ID, c.Client, c.Server
	dst.Simultaneous, dst.Midstream, dst.Self = c.Simultaneous, c.Midstream, c.Self
}

// ProcessTo is Process for a caller that keeps each Result past the next
// call (cmd/tcpnote hands them to a writer on another goroutine). The
// Result is written into *dst, its events are appended to *events (the
// caller's arena, reused batch by batch) and dst.Events points there, and
// dst.Conn is snap, the connection written into it by SnapshotInto:
// nothing dst holds changes when the Tracker goes on. It returns the live
// connection, for what the caller does on the tracker's goroutine
// (--conn, --stats), or nil when Process would have returned nil, leaving
// *events as it was.
//
// The events are emitted straight into the arena's spare room, not into
// the Tracker's own list and copied: a record's events are 200 bytes
// each, and this copy was a twentieth of the tracker's work.
func (t *Tracker) ProcessTo(p *grammar.Packet, line int, dst *Result, events *[]Event, snap *Conn) *Conn {
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
	if live != nil { // always, for a Result Process returns
		live.SnapshotInto(snap)
		dst.Conn = snap
	}
	return live
}
