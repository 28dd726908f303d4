package annotate

import (
	"strconv"

	"github.com/tcpnote/tcpnote/fsm"
)

// In an interleaved trace a note must say which connection it is about:
// while more than one connection is open, each note starts with the
// connection's number, `[#3]`, the number the summaries use.

// maxOpen bounds the connections remembered as open: connections that
// never end in the trace (cut captures) must not grow memory without end.
const maxOpen = 1 << 16

// connTags follows which connections are open, as their notes show them.
type connTags struct {
	open map[int]bool
}

// tag reports whether a packet's note should carry its connection number:
// another connection is open beside it.
func (c *connTags) tag(r *fsm.Result) bool {
	if c.open == nil {
		c.open = map[int]bool{}
	}
	id := r.Conn.ID
	others := len(c.open)
	if c.open[id] {
		others--
	}
	if ended(r.After) {
		delete(c.open, id)
	} else {
		if len(c.open) >= maxOpen {
			clear(c.open)
		}
		c.open[id] = true
	}
	return others > 0
}

// ended reports whether neither endpoint is still in a connection: both
// closed, listening, unknown, or waiting out TIME_WAIT.
func ended(s [2]fsm.State) bool {
	for _, st := range s {
		switch st {
		case fsm.StateNone, fsm.Closed, fsm.Listen, fsm.TimeWait:
		default:
			return false
		}
	}
	return true
}

// appendConnTag appends `[#3] `.
func appendConnTag(b []byte, r *fsm.Result) []byte {
	b = append(b, "[#"...)
	b = strconv.AppendInt(b, int64(r.Conn.ID), 10)
	return append(b, "] "...)
}
