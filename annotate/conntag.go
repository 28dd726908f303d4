package annotate

import "github.com/tcpnote/tcpnote/fsm"

// In an interleaved trace a note must say which connection it is about:
// while more than one connection is open, each note starts with the
// connection's number, `[#3]`, the number the summaries use.

// maxOpen bounds the connections remembered as open: connections that
// never end in the trace (cut captures) must not grow memory without end.
const maxOpen = 1 << 16

// maxBitID bounds the connection numbers the bit set holds (4 MB of bits
// at most); a number beyond it, which fsm's sequential numbering reaches
// only past 32 million connections, is kept in a map instead.
const maxBitID = 1 << 25

// connTags follows which connections are open, as their notes show them.
// fsm numbers connections 1, 2, 3 … in the order they are seen, so the
// open set is a bit per number, not a map: asking and setting were two
// map operations every record. A trace of 300,000 connections takes
// 37 KB of bits.
type connTags struct {
	bits []uint64
	far  map[int]bool // numbers outside [0, maxBitID)
	n    int          // how many are open, bits and far together
}

// tag reports whether a packet's note should carry its connection number:
// another connection is open beside it.
func (c *connTags) tag(r *fsm.Result) bool {
	id := r.Conn.ID
	if id < 0 || id >= maxBitID {
		return c.tagFar(r, id)
	}
	w, bit := id>>6, uint64(1)<<(uint(id)&63)
	open := w < len(c.bits) && c.bits[w]&bit != 0
	others := c.n
	if open {
		others--
	}
	if ended(r.After) {
		if open {
			c.bits[w] &^= bit
			c.n--
		}
	} else {
		if c.n >= maxOpen { // as the map this replaced: even when id is open
			c.clear()
			open = false
		}
		if w >= len(c.bits) {
			c.bits = append(c.bits, make([]uint64, w+1-len(c.bits))...)
		}
		if !open {
			c.bits[w] |= bit
			c.n++
		}
	}
	return others > 0
}

// tagFar is tag for a number the bit set does not hold.
func (c *connTags) tagFar(r *fsm.Result, id int) bool {
	if c.far == nil {
		c.far = map[int]bool{}
	}
	open := c.far[id]
	others := c.n
	if open {
		others--
	}
	if ended(r.After) {
		if open {
			delete(c.far, id)
			c.n--
		}
	} else {
		if c.n >= maxOpen {
			c.clear()
			open = false
		}
		if !open {
			c.far[id] = true
			c.n++
		}
	}
	return others > 0
}

// clear forgets every open connection (maxOpen).
func (c *connTags) clear() {
	clear(c.bits)
	clear(c.far)
	c.n = 0
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
	b = appendInt(b, int64(r.Conn.ID))
	return append(b, "] "...)
}
