package fsm

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

// SnapshotTo copies r into dst with a snapshot for its Conn and its
// Events appended to *events (the caller's arena, reused batch by batch):
// what a writer needs of the Result after the tracker has moved on. (Into
// dst, not returned: a Result is 128 bytes, copied once so.)
func (r *Result) SnapshotTo(dst *Result, events *[]Event) {
	*dst = *r
	dst.Conn = r.Conn.Snapshot()
	if len(r.Events) > 0 {
		n := len(*events)
		*events = append(*events, r.Events...)
		dst.Events = (*events)[n:len(*events):len(*events)]
	}
}
