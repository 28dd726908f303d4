package fsm

import (
	"bytes"
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
	conns    map[string]*Conn
	tombs    map[string]tomb
	tombQ    []tombRef // by closing time; tombQ[:tombHead] are spent
	tombHead int
	keyBuf   []byte
	keyTmp   []byte // the other half of a swap of keyBuf
	nextID   int

	lastUs   int64
	haveLast bool
	mode     seqMode // the last mode decided: a prior for the next connection

	res    Result
	events []Event
	done   []*Conn // connections whose summary is due

	// MaxConns caps the connection table; the least recently seen
	// connection is forgotten when a new one would exceed it.
	MaxConns int
	lruHead  *Conn // most recent
	lruTail  *Conn // least recent
	live     int
	sweepAt  int64
	packets  uint64
	offEdge  int // state changes refused by move: fsm bugs (edges.go)
}

// DefaultMaxConns is the default cap on connections held at once.
const DefaultMaxConns = 1 << 20

// timeWaitUs is how long a closed connection is remembered, in trace time:
// 2MSL as Linux has it (TIME_WAIT lasts 60 s), enough to recognise late
// retransmissions and the reuse of a port pair.
const timeWaitUs = 60_000_000

// idleUs is how long an open connection may stay silent before it leaves
// the table (Zeek's tcp_inactivity_timeout is 5 minutes; be generous).
const idleUs = 3600_000_000

// deltaEpochUs is where the clock of a -ttt trace (delta times) starts.
const deltaEpochUs = 1 << 40

// NewTracker returns an empty Tracker.
func NewTracker() *Tracker {
	return &Tracker{conns: make(map[string]*Conn), tombs: make(map[string]tomb), MaxConns: DefaultMaxConns, events: make([]Event, 0, 16)}
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

func sortByID(cs []*Conn) {
	// insertion sort: the list is nearly sorted already
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].ID < cs[j-1].ID; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// Live returns the number of connections in the table.
func (t *Tracker) Live() int { return t.live }

func (t *Tracker) emit(c Code) *Event {
	t.events = append(t.events, Event{Code: c})
	return &t.events[len(t.events)-1]
}

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
	t.packets++
	res := &t.res
	*res = Result{}

	now, timed := t.clock(p)

	// The connection key: both endpoints, the lower first, so either
	// direction finds the same connection.
	t.keyBuf = endpointKey(t.keyBuf[:0], p, &p.Src)
	split := len(t.keyBuf)
	t.keyBuf = append(t.keyBuf, ' ')
	t.keyBuf = endpointKey(t.keyBuf, p, &p.Dst)
	src, dst := t.keyBuf[:split], t.keyBuf[split+1:]
	if bytes.Compare(src, dst) > 0 {
		// swap the two halves through a reused buffer: no allocation
		t.keyTmp = append(append(append(t.keyTmp[:0], dst...), ' '), src...)
		t.keyBuf, t.keyTmp = t.keyTmp, t.keyBuf
		src, dst = t.keyBuf[len(dst)+1:], t.keyBuf[:len(dst)]
	}
	c := t.conns[string(t.keyBuf)]

	syn, ack := p.Flags.Has(grammar.SYN), p.Flags.Has(grammar.ACK)
	if c == nil {
		if tb, ok := t.tombs[string(t.keyBuf)]; ok {
			// A closed connection's 4-tuple again: a late segment of it,
			// or a new connection reusing the ports.
			c = t.revive(string(t.keyBuf), &tb)
		}
	}
	if c != nil && syn && !ack && t.startsNew(c, p, src) {
		old := c
		c = t.newConn(p, src, dst, now, line)
		c.mirror, c.base, c.baseKnow = old.mirror, old.base, old.baseKnow
		t.retire(old)
		t.emit(TracePortsReused).set(KeyOldConn, int64(old.ID)).set(KeyOldClosed, b2i(old.done))
	}
	if c == nil {
		c = t.newConn(p, src, dst, now, line)
	}
	t.touch(c)
	from := Client
	if string(src) != c.Client {
		from = Server
	}
	res.Conn, res.From = c, from
	res.Before = c.state

	t.absolute(c, from, p, res)
	if !p.HasSeq && p.Dialect != grammar.Quiet && c.flows[from].hasNext && !syn {
		// tcpdump 4.0.0 printed no seq on data segments; the sender's
		// next sequence number is the best knowledge.
		res.Seq, res.HasSeq = c.flows[from].next, true
	}
	if c.done && c.closeKind == closeReset && !syn && !p.Flags.Has(grammar.RST) && t.afterReset(c, from, p, res, now, timed) {
		// not a segment of the connection the RST closed: a new record
		old := c
		t.retire(old)
		c = t.newConn(p, src, dst, now, line)
		c.mirror, c.base, c.baseKnow, c.mode = old.mirror, old.base, old.baseKnow, old.mode
		t.emit(TraceAfterReset).set(KeyOldConn, int64(old.ID))
		from = Client
		if string(src) != c.Client {
			from = Server
		}
		res.Conn, res.From, res.Before = c, from, c.state
	}

	t.analyse(c, from, p, res, now, timed, line)
	if timed {
		c.lastUs = now
	}

	// Explanations of the line itself, after what the segment does.
	t.options(c, from, p, res)
	if p.IP.Present {
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
	if p.HasCksum && !p.CksumOK {
		t.emit(ChecksumOffload)
	}
	if timed && t.haveLast && now < t.lastUs {
		t.emit(TraceTimeBackwards).set(KeyBackUs, t.lastUs-now)
	}
	if timed {
		t.lastUs, t.haveLast = now, true
	}

	res.After = c.state
	res.Events = t.events
	if c.done {
		if !c.summarized {
			c.summarized = true
			t.done = append(t.done, c)
		}
		t.entomb(c, now)
	}
	if timed {
		t.sweep(now)
	}
	return res
}

// tomb is what is kept of a closed connection for 2MSL of trace time: enough
// to recognise a late segment of it, the reuse of its ports with a new
// ISN, and to go on undoing tcpdump's relative numbers, whose bases tcpdump
// keeps per 4-tuple. It is a tenth of a live connection.
type tomb struct {
	id        int32
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
	closedUs  int64
}

// tombRef orders tombs by closing time, for their expiry.
type tombRef struct {
	key string
	us  int64
}

// entomb replaces a closed connection by its tomb.
func (t *Tracker) entomb(c *Conn, now int64) {
	if t.conns[c.key] != c {
		return
	}
	delete(t.conns, c.key)
	t.live--
	t.unlink(c)
	tb := tomb{
		id: int32(c.ID), clientLow: c.key[:len(c.Client)] == c.Client && c.key[len(c.Client)] == ' ',
		mode: c.mode, mirror: c.mirror, closeKind: c.closeKind, closer: c.closer,
		baseKnow: c.baseKnow, state: c.state, preRST: c.preRST, rstBy: c.rstBy, base: c.base, closedUs: now,
	}
	for r := Client; r <= Server; r++ {
		f := &c.flows[r]
		tb.hasISN[r], tb.isn[r], tb.next[r], tb.fin[r] = f.hasISN, f.isn, f.next, f.fin
	}
	t.tombs[c.key] = tb
	t.tombQ = append(t.tombQ, tombRef{c.key, now})
}

// revive turns a tomb back into a (closed) connection, for a segment that
// arrives after the close.
func (t *Tracker) revive(key string, tb *tomb) *Conn {
	delete(t.tombs, key)
	c := &Conn{ID: int(tb.id), key: key, mode: tb.mode, mirror: tb.mirror, base: tb.base, baseKnow: tb.baseKnow,
		state: tb.state, preRST: tb.preRST, rstBy: tb.rstBy, closeKind: tb.closeKind, closer: tb.closer, done: true, summarized: true,
		firstUs: tb.closedUs, lastUs: tb.closedUs}
	sp := strings.IndexByte(key, ' ')
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
	t.conns[key] = c
	t.live++
	t.pushFront(c)
	return c
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// clock returns the packet's time in µs and whether it has one.
func (t *Tracker) clock(p *grammar.Packet) (int64, bool) {
	switch p.TimeKind {
	case grammar.ClockTime, grammar.EpochTime, grammar.DateTime:
		return p.Micros, true
	case grammar.DeltaTime:
		if !t.haveLast {
			// 0 means "not yet" throughout: start the clock elsewhere
			t.lastUs = deltaEpochUs
		}
		return t.lastUs + p.Micros, true
	}
	return 0, false
}

// startsNew reports whether a SYN on a known 4-tuple begins a new
// connection: the old one is over, or the ISN is new (a new attempt, or a
// reused port pair), and it is not the peer's SYN of a simultaneous open.
func (t *Tracker) startsNew(c *Conn, p *grammar.Packet, src []byte) bool {
	from := Client
	if string(src) != c.Client {
		from = Server
	}
	if from == Server && !c.flows[Server].hasISN && c.state[Client] == SynSent {
		return false // the peer's SYN of a simultaneous open
	}
	f := &c.flows[from]
	return !(f.hasISN && f.isn == p.Seq) // the same ISN: a retransmitted SYN
}

// newConn adds a connection. A SYN without ACK names its sender the
// client; a SYN-ACK names its receiver the client; otherwise the trace
// starts mid-stream and the roles are guessed from the ports.
func (t *Tracker) newConn(p *grammar.Packet, src, dst []byte, now int64, line int) *Conn {
	t.nextID++
	c := &Conn{ID: t.nextID, key: string(t.keyBuf), firstUs: now, lastUs: now, mode: modeUnknown}
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
	sp := strings.IndexByte(c.key, ' ')
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
	t.conns[c.key] = c
	t.live++
	t.pushFront(c)
	if t.MaxConns > 0 && t.live > t.MaxConns {
		t.evict()
	}
	return c
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
	if t.conns[c.key] == c {
		delete(t.conns, c.key)
		t.live--
		t.unlink(c)
	}
	if !c.summarized {
		c.summarized = true
		t.done = append(t.done, c)
	}
}

// evict forgets the least recently seen connection.
func (t *Tracker) evict() {
	c := t.lruTail
	if c == nil {
		return
	}
	c.evicted = true
	t.retire(c)
	t.emit(TraceEvicted).set(KeyConns, int64(t.MaxConns))
}

// sweep lets connections leave the table: closed ones after 2MSL, idle
// ones after an hour, both in trace time. It looks only at the least
// recently seen end of the list, so its cost is proportional to what leaves.
func (t *Tracker) sweep(now int64) {
	for c := t.lruTail; c != nil && now-c.lastUs > idleUs; c = t.lruTail {
		t.retire(c)
	}
	for t.tombHead < len(t.tombQ) && now-t.tombQ[t.tombHead].us > timeWaitUs {
		ref := t.tombQ[t.tombHead]
		if tb, ok := t.tombs[ref.key]; ok && tb.closedUs == ref.us {
			delete(t.tombs, ref.key)
		}
		t.tombQ[t.tombHead] = tombRef{}
		t.tombHead++
	}
	if t.tombHead > 1024 && t.tombHead*2 > len(t.tombQ) {
		// reuse the front of the queue once half of it is spent
		n := copy(t.tombQ, t.tombQ[t.tombHead:])
		t.tombQ, t.tombHead = t.tombQ[:n], 0
	}
}

func (t *Tracker) pushFront(c *Conn) {
	c.prev, c.nextConn = nil, t.lruHead
	if t.lruHead != nil {
		t.lruHead.prev = c
	}
	t.lruHead = c
	if t.lruTail == nil {
		t.lruTail = c
	}
}

func (t *Tracker) unlink(c *Conn) {
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

func (t *Tracker) touch(c *Conn) {
	if t.lruHead == c {
		return
	}
	t.unlink(c)
	t.pushFront(c)
}

// absolute works out the absolute sequence and acknowledgment numbers,
// following tcpdump's own rule for relative numbers (print-tcp.c; see
// TCP-REFERENCE.md §0.2): only ACK-bearing segments are rebased; the first
// ACK-bearing segment of a 4-tuple, or any with SYN, records the bases and
// is printed as is.
func (t *Tracker) absolute(c *Conn, from Role, p *grammar.Packet, res *Result) {
	syn, ack := p.Flags.Has(grammar.SYN), p.Flags.Has(grammar.ACK)
	seq, ackN := p.Seq, p.Ack
	if !ack || !c.mirror || syn {
		if ack {
			c.mirror = true
			c.base[from], c.baseKnow[from] = p.Seq, p.HasSeq
			c.base[from.Other()], c.baseKnow[from.Other()] = p.Ack-1, p.HasAck
		}
		res.Seq, res.HasSeq = seq, p.HasSeq
		res.Ack, res.HasAck = ackN, p.HasAck
		return
	}
	if c.mode == modeUnknown {
		c.mode = t.decideMode(c, from, p)
	}
	if c.mode == modeRelative {
		res.Relative = true
		if p.HasSeq {
			seq += c.base[from]
		}
		if p.HasAck {
			ackN += c.base[from.Other()]
		}
	}
	res.Seq, res.HasSeq = seq, p.HasSeq
	res.Ack, res.HasAck = ackN, p.HasAck
}

// decideMode tells relative from absolute numbers by which reading agrees
// with what the connection has shown: the sender's next sequence number and
// the peer's. Without evidence it keeps the trace's last decision.
func (t *Tracker) decideMode(c *Conn, from Role, p *grammar.Packet) seqMode {
	f, o := &c.flows[from], &c.flows[from.Other()]
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
			p.HasAck && c.baseKnow[from.Other()] && p.Ack < 1<<24 && c.base[from.Other()] >= 1<<24 {
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
