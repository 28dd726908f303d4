package fsm

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/tcpnote/tcpnote/grammar"
)

// Result is what one packet means: its connection, its sender, its events
// and both endpoints' states before and after it is delivered. It is valid
// until the next call to Process.
type Result struct {
	Conn *Conn
	From Role
	// Events lists every event that applies, in teaching order.
	Events []Event
	// Before and After are the client's and the server's states.
	Before, After [2]State
	// Path is each endpoint's state changes in this packet, from Before
	// to After: edges of the diagram, inferences and corrections.
	Path [2]Path
	// Seq and Ack are the absolute numbers, when known.
	Seq, Ack       uint32
	HasSeq, HasAck bool
	// Relative is set when tcpdump printed this line's numbers relative.
	Relative bool

	// ACK RTT and bytes in flight, as Wireshark computes them
	// (fsm/ackrtt.go): AckRTTUs is the time since the segment this one
	// acknowledges was sent (tcp.analysis.ack_rtt), AckedLine that
	// segment's input line (tcp.analysis.acks_frame); InFlight is the
	// sender's bytes not yet acknowledged after this segment
	// (tcp.analysis.bytes_in_flight), known only for a segment with
	// payload.
	AckRTTUs    int64
	AckedLine   int
	HasAckRTT   bool
	InFlight    int64
	HasInFlight bool
}

// Find returns the first event with the code.
func (r *Result) Find(c Code) *Event {
	for i := range r.Events {
		if r.Events[i].Code == c {
			return &r.Events[i]
		}
	}
	return nil
}

// Tracker follows the connections of one trace. The zero Tracker is not
// ready; use NewTracker.
type Tracker struct {
	table
	keyBuf []byte // where connKey builds the key: stored back only when it grows
	nextID int

	clk  traceClock
	mode seqMode     // the last mode decided: a prior for the next connection
	frag fragTracker // the last data segment, for the IP fragments after it

	res    Result
	cur    *Result // the Result being filled: &res, or ProcessTo's dst
	seg    segment // the packet being processed (segment.go)
	events []Event
	done   []*Conn // connections whose summary is due

	// MaxConns caps the connection table: connections and the tombs of
	// closed ones together. When a new connection would exceed it, the
	// tomb that closed first is forgotten, or when there is none the
	// least recently seen connection, with a note.
	MaxConns int
	// budgetBytes, when set (tests), is the table's budget instead of
	// budget's own.
	budgetBytes int64
	packets     uint64
	offEdge     int // state changes refused by move: fsm bugs (edges.go)
}

// DefaultMaxConns is the default cap on connections and tombs held at
// once. A half-open connection holds about 550 bytes of heap (its Conn,
// its key, its map entry and list links), a tomb about 140 (its place in
// the queue and the index, its key; BenchmarkTableBytes), so 200,000 of
// them hold at most about 110 MB, within tableBudget; a connection past
// its first SYN holds 2.9 KB, and the table's budget (cap) bounds those:
// with Go's collector and the output's buffers the process stays within
// 256 MB on any input (scripts/mem.sh measures it). --max-conns raises
// it for those who need more.
const DefaultMaxConns = 200_000

// tableBudget is the heap the table is held to (cap; TestTableEntryBytes,
// TestBudgetBoundsGrownConnections), unless --max-conns asks for more.
const tableBudget = 112 << 20

// timeWaitUs is how long a closed connection is remembered, in trace time:
// 2MSL as Linux has it (TIME_WAIT lasts 60 s), enough to recognise late
// retransmissions and the reuse of a port pair.
const timeWaitUs = 60_000_000

// idleUs is how long an open connection may stay silent before it leaves
// the table (Zeek's tcp_inactivity_timeout is 5 minutes; be generous).
const idleUs = 3600_000_000

// NewTracker returns an empty Tracker.
func NewTracker() *Tracker {
	t := &Tracker{table: newTable(), MaxConns: DefaultMaxConns, events: make([]Event, 0, 16)}
	t.cur = &t.res
	return t
}

// Due returns the connections that ended with the last Process call (or
// were forgotten), whose summaries are due, and clears the list.
func (t *Tracker) Due() []*Conn {
	d := t.done
	t.done = t.done[:0]
	return d
}

// Flush ends the trace: every connection not yet summarized is due, in the
// order the connections first appeared.
func (t *Tracker) Flush() []*Conn {
	var out []*Conn
	for c := t.lruTail; c != nil; c = c.prev {
		if !c.summarized {
			out = append(out, c)
		}
	}
	sortByID(out)
	for _, c := range out {
		c.summarized = true
	}
	return out
}

// sortByID puts connections in the order they first appeared. The list
// comes in the order they were last seen, often nearly sorted, but not
// always: connections last seen in the reverse of their opening order made
// the insertion sort this once was quadratic (60,000 of them: 7.4 s at the
// end of the trace). slices.SortFunc is O(n log n) whatever the order, and
// fast on a nearly sorted list too.
func sortByID(cs []*Conn) {
	slices.SortFunc(cs, func(a, b *Conn) int { return cmp.Compare(a.ID, b.ID) })
}

// Live returns the number of connections in the table.
func (t *Tracker) Live() int { return t.live }

// emit adds an event. A slot the list already has holds an event of an
// earlier packet: only its code, count and the arguments it set are
// cleared, not all 200 bytes, so the event reads as a new one (its
// arguments past N are zero, every slot's always are).
func (t *Tracker) emit(c Code) *Event {
	n := len(t.events)
	if n < cap(t.events) {
		t.events = t.events[:n+1]
		e := &t.events[n]
		clear(e.Args[:e.N])
		e.Code, e.N = c, 0
		return e
	}
	t.events = append(t.events, Event{Code: c})
	return &t.events[n]
}

// keySep joins the two endpoints of a connection key: a byte no endpoint
// holds (a pasted placeholder host such as `[client ip]` holds a space).
const keySep = '\x00'

// endpointKey appends `host.port` to buf.
func endpointKey(buf []byte, p *grammar.Packet, e *grammar.Endpoint) []byte {
	buf = append(buf, p.Text(e.Host)...)
	buf = append(buf, '.')
	return append(buf, p.Text(e.Port)...)
}

// Process takes the next TCP packet of the trace (line is its input line)
// and returns what it means.
func (t *Tracker) Process(p *grammar.Packet, line int) *Result {
	t.events = t.events[:0]
	return t.process(p, line, &t.res)
}

// process is Process with the Result filled in res and the events
// appended to t.events, from its length at the call.
func (t *Tracker) process(p *grammar.Packet, line int, res *Result) *Result {
	t.cur = res
	t.packets++
	if len(t.gone) > 0 && len(t.done) == 0 {
		t.reclaim() // (ReuseConns; the summaries of the gone ones were read)
	}
	if p.Frag.Later {
		return t.laterFragment(p, line)
	}
	*res = Result{}

	prevUs, prevTimed := t.clk.lastUs, t.clk.haveLast
	now, timed, newDay := t.clk.read(p)
	if timed {
		t.clk.advance(now, p.TimeKind)
	}
	if t.clk.reading {
		t.noteReading()
	}
	at := t.clk.tableUs
	s := &t.seg
	s.reset(p, res, line, now, timed)

	// key and src are built only when the cache misses, or for a new
	// connection (newConn needs them)
	var key, src []byte
	c, from, slot, hit := t.recentConn(p)
	if !hit {
		key, src = t.connKey(p)
		c = t.conns[string(key)]
		if c != nil {
			t.storeRecent(c, slot)
		} else if tb, ok := t.tomb(key); ok {
			// A closed connection's 4-tuple again: a late segment of it,
			// or a new connection reusing the ports.
			c = t.revive(tb, at)
		}
		if c != nil {
			from = roleOf(c, src)
		}
	}
	if c != nil && s.syn && !s.ack && t.startsNew(c, p, from) {
		// the old connection leaves before the new one takes its key
		old := c
		t.retire(old)
		if key == nil {
			key, src = t.connKey(p)
		}
		c = t.newConn(p, key, src, now, at)
		from = roleOf(c, src)
		c.mirror, c.base, c.baseKnow = old.mirror, old.base, old.baseKnow
		t.emit(TracePortsReused).set(KeyOldConn, int64(old.ID)).set(KeyOldClosed, b2i(old.done))
	}
	if c == nil {
		c = t.newConn(p, key, src, now, at)
		from = roleOf(c, src)
	}
	t.touch(c, at)
	s.on(c, from)

	if (!s.syn || s.ack) && p.Dialect != grammar.Quiet || !p.Iface.Empty() || p.IP.Present {
		// past the first SYN (or a line whose copies and IP ids are
		// followed): the timing and evidence state; tcpdump -q's lines
		// have neither flags nor numbers to time or compare
		t.grow(c)
	}
	t.absolute(s)
	if !p.HasSeq && p.Dialect != grammar.Quiet && s.f.hasNext && !s.syn {
		// tcpdump 4.0.0 printed no seq on data segments; the sender's
		// next sequence number is the best knowledge.
		res.Seq, res.HasSeq = s.f.next, true
	}
	if c.done && c.closeKind == closeReset && !s.syn && !s.rst && t.afterReset(s) {
		// not a segment of the connection the RST closed: a new record
		old := c
		t.retire(old)
		if key == nil {
			key, src = t.connKey(p)
		}
		c = t.newConn(p, key, src, now, at)
		c.mirror, c.base, c.baseKnow, c.mode = old.mirror, old.base, old.baseKnow, old.mode
		t.emit(TraceAfterReset).set(KeyOldConn, int64(old.ID))
		s.on(c, roleOf(c, src))
		t.grow(c) // the new record is past its first SYN too
	}

	t.analyse(s)
	t.ackRTT(s)
	if timed {
		c.lastUs = now
	}

	// Explanations of the line itself, after what the segment does.
	if s.optSaid || s.syn || p.HasWin && !s.f.scaleShown && s.f.wscale > 0 {
		// (options has nothing to say of a later segment's timestamps,
		// nor of its window once scaling is explained or when the sender
		// offered none: most packets make no call)
		t.options(s)
	}
	if p.IP.Present {
		t.ipHeader(p) // (no call for a line without -v's IP fields)
	}
	if p.HasCksum && !p.CksumOK {
		t.emit(ChecksumOffload)
	}
	if timed && prevTimed && now < prevUs {
		t.emit(TraceTimeBackwards).set(KeyBackUs, prevUs-now)
	}
	if newDay {
		t.emit(TraceNewDay)
	}

	res.After = c.state
	res.Events = t.events
	if c.done {
		if !c.summarized {
			c.summarized = true
			t.done = append(t.done, c)
		}
		t.entomb(c, now, at)
	}
	if timed && t.sweepDue(at) {
		t.sweep(at) // (the check inlines: nearly every packet has nothing to let go, and makes no call)
	}
	return res
}

// connKey builds the connection key of a packet: both endpoints, the
// lower first, so either direction finds the same connection. It returns
// the key and the packet's source endpoint, inside it, both valid until
// the next call. The buffer's header is stored back in the Tracker only
// when it grew: a store of a pointer into the heap costs a write barrier
// while a collection runs (two a packet, before).
func (t *Tracker) connKey(p *grammar.Packet) (key, src []byte) {
	buf := endpointKey(t.keyBuf[:0], p, &p.Src)
	split := len(buf)
	buf = append(buf, keySep)
	buf = endpointKey(buf, p, &p.Dst)
	key, src = buf, buf[:split]
	if dst := buf[split+1:]; bytes.Compare(src, dst) > 0 {
		// the swapped key after this one, in the same buffer
		n := len(buf)
		buf = append(buf, dst...)
		buf = append(buf, keySep)
		buf = append(buf, src...)
		key = buf[n:]
		src = key[len(dst)+1:]
	}
	if cap(buf) > cap(t.keyBuf) {
		t.keyBuf = buf[:0]
	}
	return key, src
}

// roleOf returns the role of the endpoint src in c.
func roleOf(c *Conn, src []byte) Role {
	if string(src) != c.Client {
		return Server
	}
	return Client
}

// ipHeader explains the IP header fields a -v line printed.
func (t *Tracker) ipHeader(p *grammar.Packet) {
	if !p.IP.Present {
		return
	}
	e := t.emit(IPHeader)
	if p.IP.TOS >= 0 {
		e.set(KeyTOS, int64(p.IP.TOS))
	}
	if p.IP.TTL >= 0 {
		e.set(KeyTTL, int64(p.IP.TTL))
	}
	if p.IP.ID >= 0 {
		e.set(KeyID, int64(p.IP.ID))
	}
	if p.IP.Length >= 0 {
		e.set(KeyIPLen, int64(p.IP.Length))
	}
	e.set(KeyDF, b2i(p.IP.DF))
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// startsNew reports whether a SYN on a known 4-tuple begins a new
// connection: the old one is over, or the ISN is new (a new attempt, or a
// reused port pair), and it is not the peer's SYN of a simultaneous open.
func (t *Tracker) startsNew(c *Conn, p *grammar.Packet, from Role) bool {
	if from == Server && !c.flows[Server].hasISN && c.state[Client] == SynSent {
		return false // the peer's SYN of a simultaneous open
	}
	f := &c.flows[from]
	return !(f.hasISN && f.isn == p.Seq) // the same ISN: a retransmitted SYN
}

// newConn adds a connection. A SYN without ACK names its sender the
// client; a SYN-ACK names its receiver the client; otherwise the trace
// starts mid-stream and the roles are guessed from the ports.
func (t *Tracker) newConn(p *grammar.Packet, key, src []byte, now, at int64) *Conn {
	t.nextID++
	c := t.newConnStruct()
	*c = Conn{ID: t.nextID, key: string(key), firstUs: now, lastUs: now, mode: modeUnknown}
	c.flows[0].wscale, c.flows[1].wscale = -1, -1
	syn, ack := p.Flags.Has(grammar.SYN), p.Flags.Has(grammar.ACK)
	clientIsSrc := true
	switch {
	case syn && !ack:
	case syn && ack:
		clientIsSrc = false
	default:
		clientIsSrc = !looksLikeServer(p.Src.PortNum, p.Dst.PortNum)
	}
	// The endpoint names share the key's bytes: one allocation, not three.
	sp := strings.IndexByte(c.key, keySep)
	lo, hi := c.key[:sp], c.key[sp+1:]
	if (string(src) == lo) == clientIsSrc {
		c.Client, c.Server = lo, hi
	} else {
		c.Client, c.Server = hi, lo
	}
	if !syn {
		c.Midstream = true
	}
	if syn && !ack {
		// an active opener was CLOSED before its SYN; the passive side
		// stays Unknown until it answers (edges.go)
		c.state[Client] = Closed
	}
	t.add(c, at)
	t.cap()
	return c
}

// sweepDue reports whether sweep would let anything go: the least recently
// seen connection is idle, or the oldest tomb in the queue is spent or
// past 2MSL. It is small enough to inline.
func (t *Tracker) sweepDue(at int64) bool {
	if c := t.lruTail; c != nil && at-c.seenUs > idleUs {
		return true
	}
	q := &t.tombQ
	if q.head == q.n {
		return false
	}
	tb := q.at(q.first + uint32(q.head))
	return tb.dead || at-tb.at > timeWaitUs
}

// looksLikeServer guesses, for a connection seen mid-stream, whether the
// source port is the server's: the lower port when one is a well-known or
// registered port and the other is ephemeral.
func looksLikeServer(srcPort, dstPort int32) bool {
	switch {
	case srcPort < 0 && dstPort >= 0:
		return true // a service name
	case dstPort < 0:
		return false
	}
	return srcPort < dstPort && srcPort < 32768
}

// retire removes a connection from the table (its summary becomes due).
func (t *Tracker) retire(c *Conn) {
	t.remove(c)
	if !c.summarized {
		c.summarized = true
		t.done = append(t.done, c)
	}
}

// grow gives c its connMore (Conn.grow) if it has none, counts it, and
// holds the table to its budget, which a grown connection may overrun.
func (t *Tracker) grow(c *Conn) {
	if c.connMore != nil {
		return
	}
	c.grow(t.newConnMore())
	if c.inTable {
		t.grown++
		t.cap()
	}
}

// budget is the heap the table may hold: tableBudget, or what MaxConns
// half-open connections hold when --max-conns asks for more.
func (t *Tracker) budget() int64 {
	if t.budgetBytes > 0 {
		return t.budgetBytes
	}
	return max(tableBudget, int64(t.MaxConns)*liveBytes)
}

// cap holds connections and tombs together to MaxConns, and the heap they
// hold to the budget (a connection past its first SYN holds five times
// a half-open one, 2.9 KB: 200,000 of them would be 570 MB): the tomb that closed
// first goes, silently (its connection was summarized when it closed), or
// when there is none the least recently seen connection, with a note.
// Each iteration removes one entry.
func (t *Tracker) cap() {
	for t.MaxConns > 0 && (t.held() > t.MaxConns || t.heldBytes() > t.budget()) {
		t.step()
		if t.forgetTomb() {
			continue
		}
		c := t.lruTail
		if c == nil || c == t.lruHead {
			return // only the connection being added: nothing older to forget
		}
		c.evicted = true
		t.retire(c)
		t.emit(TraceEvicted).set(KeyConns, int64(t.held())) // held then: MaxConns, when the count was the bound
	}
}

// sweep lets entries leave the table: closed connections after 2MSL, idle
// ones after an hour, both in the table's time. It looks only at the old
// ends of the list and the queue, so its cost is what leaves, plus one.
// Process calls it only when sweepDue says it has something to do.
func (t *Tracker) sweep(at int64) {
	for c := t.lruTail; c != nil && at-c.seenUs > idleUs; c = t.lruTail {
		t.step()
		t.retire(c) // always unlinks c: the loop moves on
	}
	t.expireTombs(at)
}

// absolute works out the absolute sequence and acknowledgment numbers,
// following tcpdump's own rule for relative numbers (print-tcp.c, the
// tcp_seq_hash; docs/tcp-reference.md §0.2): only ACK-bearing segments take
// part; the first ACK-bearing segment of a 4-tuple, and every one with
// SYN (each SYN-ACK, retransmitted or not), records the bases — its own
// seq for its direction, its ack − 1 for the other — and is printed as is;
// later ones print seq − base and ack − base.
//
// What the trace cannot show is marked, never guessed: a base-setting
// segment that prints no seq (a pure ACK) gives its direction's base only
// when the trace showed where that side's numbers stood (its SYN, say);
// otherwise the base is before the trace and numbers stay relative (flow
// baseUnknown). A connection whose first ACK-bearing segment already prints
// small numbers starts inside an excerpt of a relative render: both bases
// are before the excerpt.
func (t *Tracker) absolute(s *segment) {
	c, from, to, p, res := s.c, s.from, s.to, s.p, s.res
	syn, ack := s.syn, s.ack
	seq, ackN := p.Seq, p.Ack
	f, o := s.f, s.o
	if ack && !c.mirror && !syn && c.mode == modeUnknown && printedSmall(p) {
		// relative numbers whose bases are not in this trace
		c.mirror, c.mode = true, modeRelative
		c.base, c.baseKnow = [2]uint32{}, [2]bool{}
		f.baseUnknown, o.baseUnknown = true, true
		t.mode = modeRelative
	}
	if !ack || !c.mirror || syn {
		if ack {
			c.mirror = true
			switch {
			case p.HasSeq:
				c.base[from], c.baseKnow[from], f.baseUnknown = p.Seq, true, false
			case f.hasNext:
				// a pure ACK's seq is the sender's next number
				c.base[from], c.baseKnow[from], f.baseUnknown = f.next, true, false
			default:
				c.base[from], c.baseKnow[from], f.baseUnknown = 0, false, true
			}
			c.base[to], c.baseKnow[to] = p.Ack-1, p.HasAck
			o.baseUnknown = o.baseUnknown && !p.HasAck
		}
		res.Seq, res.HasSeq = seq, p.HasSeq
		res.Ack, res.HasAck = ackN, p.HasAck
		return
	}
	if c.mode == modeUnknown {
		c.mode = t.decideMode(s)
	}
	if c.mode == modeRelative {
		res.Relative = true
		if p.HasSeq {
			seq += c.base[from]
		}
		if p.HasAck {
			ackN += c.base[to]
		}
	}
	res.Seq, res.HasSeq = seq, p.HasSeq
	res.Ack, res.HasAck = ackN, p.HasAck
}

// decideMode tells relative from absolute numbers by which reading agrees
// with what the connection has shown: the sender's next sequence number and
// the peer's. Without evidence it keeps the trace's last decision.
func (t *Tracker) decideMode(s *segment) seqMode {
	c, from, p := s.c, s.from, s.p
	f, o := s.f, s.o
	var absD, relD uint64
	evidence := false
	if p.HasSeq && f.hasNext && c.baseKnow[from] {
		absD += uint64(seqDist(p.Seq, f.next))
		relD += uint64(seqDist(p.Seq+c.base[from], f.next))
		evidence = true
	}
	if p.HasAck && o.hasNext && c.baseKnow[from.Other()] {
		absD += uint64(seqDist(p.Ack, o.next))
		relD += uint64(seqDist(p.Ack+c.base[from.Other()], o.next))
		evidence = true
	}
	if !evidence {
		// Mid-stream with nothing to compare: small numbers after a
		// large first one are tcpdump's relative numbers.
		if p.HasSeq && c.baseKnow[from] && p.Seq < 1<<24 && c.base[from] >= 1<<24 ||
			p.HasAck && c.baseKnow[from.Other()] && p.Ack < 1<<24 && c.base[from.Other()] >= 1<<24 ||
			p.HasSeq && f.baseUnknown && p.Seq < 1<<24 {
			t.mode = modeRelative
			return modeRelative
		}
		if t.mode != modeUnknown {
			return t.mode
		}
		return modeAbsolute
	}
	m := modeAbsolute
	if relD < absD {
		m = modeRelative
	}
	t.mode = m
	return m
}

// noteReading says how -ttt/-ttttt times read, on the packet that decided
// it (the clock's first, or one that changed the reading: Process checks
// clk.reading, so the other packets make no call).
func (t *Tracker) noteReading() {
	t.emit(TraceTimeReading).set(KeyOffsets, b2i(t.clk.rel.offsets))
}
