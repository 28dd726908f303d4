package fsm

import "github.com/tcpnote/tcpnote/grammar"

// UnreadableEvent is the event of a line that looks like a TCP segment but
// that the grammar could not read (grammar.Diagnose): which part, at which
// column. It belongs to no connection; the tracker never sees the line, so
// the formats report it with the line itself.
func UnreadableEvent(u grammar.Unread) Event {
	e := Event{Code: TraceUnreadable}
	e.set(KeyField, int64(u.Field)).set(KeyCol, int64(u.Col)).set(KeyWidth, int64(u.Width))
	return e
}
