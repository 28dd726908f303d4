package fsm

// Reusing the memory of connections that have gone.
//
// A connection past its first SYN holds a connMore of 2.3 KB (conn.go),
// and every connection a Conn of 480 bytes. On a trace of many short
// connections these are most of what the tracker allocates (connMores
// were 27 of the 50 MB on the 200,000-packet benchmark), and, because the
// collector lets the heap grow to heapFloor before its first cycle, the
// process touches each of them as a fresh page: connMores were 60% of its
// page faults, Conns 20% of the rest (perf record -e page-faults,
// scripts/bench.sh's capture), at a few microseconds each. A caller that
// keeps no connection past the next call (cmd/tcpnote without --stats)
// lets the tracker hand a gone connection's memory to the next one.

// maxSpare bounds the connections (and their connMores) kept for reuse: a
// sweep that lets thousands of idle connections go at once would otherwise
// keep all their memory (2.8 MB at this bound; the live connections are
// held to the table's budget, the spares are not).
const maxSpare = 1024

// ReuseConns lets the Tracker reuse the memory of the connections that
// leave its table (closed, forgotten or idle) for new ones. The caller
// promises to keep no *Conn the Tracker gave it (a Result's Conn, what
// ProcessTo, Due and Flush return) past the next call of Process or
// ProcessTo, and to call Due after each of them: a connection that has
// gone is taken apart at the first call after its summary was handed out
// by Due. Call it before the first packet.
func (t *Tracker) ReuseConns() { t.reuse = true }

// reclaim takes apart the connections that left the table during the
// calls before, keeping them and their connMores for newConn and grow.
// It waits while a summary is due: the caller has yet to read those
// connections.
func (t *Tracker) reclaim() {
	for i, c := range t.gone {
		t.gone[i] = nil
		if t.frag.conn == c {
			t.frag = fragTracker{} // its later fragments now belong to nothing
		}
		if c.connMore != nil {
			m := c.release()
			if len(t.spare) < maxSpare {
				*m = connMore{}
				t.spare = append(t.spare, m)
			}
		}
		if len(t.spareConns) < maxSpare {
			*c = Conn{} // holding no pointers while spare (newConn writes it whole)
			t.spareConns = append(t.spareConns, c)
		}
	}
	t.gone = t.gone[:0]
}

// newConnMore returns a zero connMore: a spare one if there is one.
func (t *table) newConnMore() *connMore { return takeSpare(&t.spare, &t.reused) }

// newConnStruct returns a zero Conn: a spare one if there is one.
func (t *table) newConnStruct() *Conn { return takeSpare(&t.spareConns, &t.reused) }

// takeSpare takes the last of *spare, counting it in *reused, or a new T
// when there is none.
func takeSpare[T any](spare *[]*T, reused *uint64) *T {
	s := *spare
	n := len(s)
	if n == 0 {
		return new(T)
	}
	*reused++
	x := s[n-1]
	s[n-1] = nil
	*spare = s[:n-1]
	return x
}

// release takes c's connMore from it and everything of c that points into
// it, and returns it. c keeps what it holds besides (its states, counts,
// endpoints), as a connection not yet grown would.
func (c *Conn) release() *connMore {
	m := c.connMore
	c.connMore = nil
	for r := range c.flows {
		f := &c.flows[r]
		f.flowMore = nil
		if f.data == &m.data[r] {
			f.data = nil
		}
	}
	c.history = nil // it was in m.histBuf
	return m
}
