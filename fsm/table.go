package fsm

import "strings"

// The connection table holds what a trace has alive: open connections, in
// a map by key and in a list by when they were last seen, and the tombs of
// closed ones, in a map by key and in a queue by when they closed. Its
// cost is bounded by construction:
//
//   - every loop that lets entries leave (expiry, eviction) removes one
//     entry per iteration, or stops: it iterates over what is due, never
//     over steps of time, whatever the clock does;
//   - the table's own clock (tableUs) never goes back, so both orders are
//     also orders of time and expiry looks only at their old ends;
//   - MaxConns caps connections and tombs together.

// tomb is what is kept of a closed connection for 2MSL of trace time: enough
// to recognise a late segment of it, the reuse of its ports with a new
// ISN, and to go on undoing tcpdump's relative numbers, whose bases tcpdump
// keeps per 4-tuple. It is a tenth of a live connection. Tombs are stored
// in the expiry queue itself, in order of closing, and the map holds only
// their places in it: a map slot of 24 bytes instead of one holding the
// whole tomb (the map's slots are up to half empty after it grows, and a
// trace shorter than 2MSL keeps every connection's tomb).
type tomb struct {
	key       string // the connection's key, shared with the map's
	id        int32
	dead      bool // revived or replaced: a spent entry of the queue
	clientLow bool // the client is the first endpoint of the key
	mode      seqMode
	mirror    bool
	closeKind closeKind
	closer    Role
	baseKnow  [2]bool
	hasISN    [2]bool
	fin       [2]bool
	state     [2]State
	preRST    [2]State // the states before a RST closed it
	rstBy     Role
	base      [2]uint32
	isn       [2]uint32
	next      [2]uint32
	closedUs  int64 // trace time of the close, for a revived connection
	at        int64 // table time of the close, for expiry
}

// table is the connection table of a Tracker.
type table struct {
	conns   map[string]*Conn
	live    int
	grown   int   // live connections with a connMore (grow): they hold more
	lruHead *Conn // most recently seen
	lruTail *Conn // least recently seen

	tombs tombIndex // a tomb's place in tombQ, by key
	tombQ tombQueue // in order of closing, dead ones too

	// steps counts the iterations of the loops that let entries leave,
	// so tests can hold them to their bound (a few per packet, amortized);
	// past stepLimit, when a test sets one, a loop panics instead of
	// spinning.
	steps, stepLimit uint64

	// recent finds most packets' connections without the key (recent.go).
	recent   [recentLen]*Conn
	noRecent bool // the cache always misses: its test's reference

	// reuse (ReuseConns): the connections that left (gone) are taken
	// back (reclaim) and given to new ones (spareConns), their connMores
	// to the ones that grow (spare)
	reuse      bool
	gone       []*Conn
	spareConns []*Conn
	spare      []*connMore
	reused     uint64 // connections and connMores given out again (its test asserts that some were)
}

// step counts one iteration of a loop that lets entries leave.
func (t *table) step() {
	t.steps++
	if t.stepLimit > 0 && t.steps > t.stepLimit {
		panic("fsm: a loop of the connection table ran past its bound")
	}
}

func newTable() table {
	return table{conns: make(map[string]*Conn)}
}

// held is the number of entries that count against MaxConns: connections
// and tombs together.
func (t *table) held() int { return t.live + t.tombs.n }

// The heap the table's entries hold, at most (TestTableEntryBytes holds
// the measured figures to these): a live connection, what a grown one
// (past its first SYN: grow) holds besides, and a tomb.
const (
	liveBytes  = 600
	grownBytes = 2400
	tombBytes  = 160
)

// heldBytes is the heap the table's entries hold, at most.
func (t *table) heldBytes() int64 {
	return int64(t.live)*liveBytes + int64(t.grown)*grownBytes + int64(t.tombs.n)*tombBytes
}

// tombCount is the number of tombs held.
func (t *table) tombCount() int { return t.tombs.n }

// add puts a new connection in the table, as the most recently seen.
func (t *table) add(c *Conn, at int64) {
	t.conns[c.key] = c
	t.recent[pairSlot(c.Client, c.Server)] = c
	c.inTable = true
	c.seenUs = at
	t.live++
	if c.connMore != nil {
		t.grown++
	}
	t.pushFront(c)
}

// remove takes a connection out of the table. It is safe on a connection
// that is no longer there, and whatever the map holds under its key now,
// the connection always leaves the list: what the loops below rely on.
func (t *table) remove(c *Conn) {
	if !c.inTable {
		return
	}
	c.inTable = false
	if t.conns[c.key] == c {
		delete(t.conns, c.key)
	}
	if slot := pairSlot(c.Client, c.Server); t.recent[slot] == c {
		t.recent[slot] = nil
	}
	t.live--
	if c.connMore != nil {
		t.grown--
	}
	if t.reuse && len(t.gone) < maxSpare {
		t.gone = append(t.gone, c)
	}
	t.unlink(c)
}

// touch marks a connection as just seen. It is small enough to inline:
// the connection of the last packet is usually the head already.
func (t *table) touch(c *Conn, at int64) {
	c.seenUs = at
	if t.lruHead != c {
		t.toFront(c)
	}
}

// toFront moves a connection to the head of the list.
func (t *table) toFront(c *Conn) {
	t.unlink(c)
	t.pushFront(c)
}

func (t *table) pushFront(c *Conn) {
	c.prev, c.nextConn = nil, t.lruHead
	if t.lruHead != nil {
		t.lruHead.prev = c
	}
	t.lruHead = c
	if t.lruTail == nil {
		t.lruTail = c
	}
}

func (t *table) unlink(c *Conn) {
	if c.prev != nil {
		c.prev.nextConn = c.nextConn
	} else if t.lruHead == c {
		t.lruHead = c.nextConn
	}
	if c.nextConn != nil {
		c.nextConn.prev = c.prev
	} else if t.lruTail == c {
		t.lruTail = c.prev
	}
	c.prev, c.nextConn = nil, nil
}

// entomb replaces a closed connection by its tomb.
func (t *table) entomb(c *Conn, now, at int64) {
	if !c.inTable {
		return
	}
	t.remove(c)
	if p, ok := t.tombs.get(c.key, &t.tombQ); ok {
		t.tombQ.at(p).dead = true // replaced
	}
	tb := tomb{
		key: c.key, id: int32(c.ID), clientLow: c.key[:len(c.Client)] == c.Client && c.key[len(c.Client)] == keySep,
		mode: c.mode, mirror: c.mirror, closeKind: c.closeKind, closer: c.closer,
		baseKnow: c.baseKnow, state: c.state, preRST: c.preRST, rstBy: c.rstBy, base: c.base, closedUs: now, at: at,
	}
	for r := Client; r <= Server; r++ {
		f := &c.flows[r]
		tb.hasISN[r], tb.isn[r], tb.next[r], tb.fin[r] = f.hasISN, f.isn, f.next, f.fin
	}
	t.compactTombs()
	p := t.tombQ.push(tb)
	t.tombs.set(c.key, p, &t.tombQ)
}

// tomb returns the tomb under key, if there is one.
func (t *table) tomb(key []byte) (*tomb, bool) {
	p, ok := t.tombs.get(viewBytes(key), &t.tombQ)
	if !ok {
		return nil, false
	}
	return t.tombQ.at(p), true
}

// revive turns a tomb back into a (closed) connection, for a segment that
// arrives after the close. The connection takes the tomb's key.
func (t *table) revive(tb *tomb, at int64) *Conn {
	key := tb.key
	t.tombs.del(key, &t.tombQ)
	tb.dead = true
	c := &Conn{ID: int(tb.id), key: key, mode: tb.mode, mirror: tb.mirror, base: tb.base, baseKnow: tb.baseKnow,
		state: tb.state, preRST: tb.preRST, rstBy: tb.rstBy, closeKind: tb.closeKind, closer: tb.closer, done: true, summarized: true,
		firstUs: tb.closedUs, lastUs: tb.closedUs}
	sp := strings.IndexByte(key, keySep)
	if tb.clientLow {
		c.Client, c.Server = key[:sp], key[sp+1:]
	} else {
		c.Client, c.Server = key[sp+1:], key[:sp]
	}
	for r := Client; r <= Server; r++ {
		f := &c.flows[r]
		f.wscale = -1
		f.pkts = 1 // not the first packet: no mid-stream guess
		f.hasISN, f.isn, f.next, f.hasNext, f.fin = tb.hasISN[r], tb.isn[r], tb.next[r], tb.next[r] != 0 || tb.hasISN[r], tb.fin[r]
		if f.fin {
			f.finSeq, f.finAcked = f.next-1, true
		}
	}
	t.add(c, at)
	return c
}

// oldestTomb returns the tomb that closed first, dropping the spent
// entries in front of it; ok is false when there is none.
func (t *table) oldestTomb() (tb *tomb, ok bool) {
	for {
		_, tb, ok := t.tombQ.front()
		if !ok {
			return nil, false
		}
		t.step()
		if !tb.dead {
			return tb, true
		}
		t.tombQ.pop()
	}
}

// forgetTomb forgets the tomb that closed first; it reports false when
// there is none.
func (t *table) forgetTomb() bool {
	tb, ok := t.oldestTomb()
	if !ok {
		return false
	}
	t.tombs.del(tb.key, &t.tombQ)
	t.tombQ.pop()
	return true
}

// expireTombs forgets the tombs closed more than 2MSL of table time ago.
func (t *table) expireTombs(at int64) {
	for {
		tb, ok := t.oldestTomb()
		if !ok || at-tb.at <= timeWaitUs {
			return
		}
		t.tombs.del(tb.key, &t.tombQ)
		t.tombQ.pop()
	}
}

// compactTombs keeps the expiry queue within a small multiple of the tombs
// it holds: once more than half of it is spent or dead, the live ones move
// to its front (their places in the map with them), a cost paid for by the
// entries that were spent.
func (t *table) compactTombs() {
	n := t.tombQ.len()
	if n < 1024 || n < 2*t.tombs.n {
		return
	}
	t.tombQ.compact(t.step)
	t.tombs.rebuild(&t.tombQ)
}
