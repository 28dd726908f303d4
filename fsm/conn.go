package fsm

// seqMode says whether tcpdump printed a connection's numbers absolute (-S)
// or relative to the bases of its own rule (docs/tcp-reference.md §0.2).
type seqMode uint8

const (
	modeUnknown seqMode = iota
	modeAbsolute
	modeRelative
)

// maxHoles bounds the ranges of missing bytes remembered per direction.
const maxHoles = 4

// flow is what one direction of a connection has shown so far. All sequence
// numbers are absolute. It is kept small: a trace can hold hundreds of
// thousands of connections at once (a SYN flood); what only data needs
// lives in dataState, allocated with the first payload.
type flow struct {
	isn     uint32
	next    uint32 // highest sequence number sent + 1 (SYN and FIN count)
	lastAck uint32
	win     uint32
	finSeq  uint32
	mss     uint32
	tfoData uint32 // bytes carried on the SYN
	pkts    uint32 // (here, not below: no padding before the int64s)

	synUs  int64 // time of the last SYN / SYN-ACK
	synGap int64 // gap between the last two, µs
	nextUs int64 // when next last advanced

	bytes   uint64 // new payload bytes
	retrans uint32

	synSeen uint16 // SYNs sent with this ISN
	synAcks uint16 // SYN-ACKs sent with this ISN
	hsAcks  uint16 // ACKs completing the handshake (repeated when the SYN-ACK is)
	dupAcks uint16
	wscale  int8 // shift offered in the SYN; -1 none

	hasISN, hasNext, hasAck, hasWin bool
	sackOK, fin, finAcked, rst      bool
	passiveFIN                      bool // the FIN acknowledged the peer's FIN
	zeroWin                         bool
	lastWasKA                       bool // the last segment was a keep-alive
	lastWasZWP                      bool // the last segment was a zero-window probe

	// baseUnknown: tcpdump's base for this direction's relative numbers
	// is before the trace, so they stay relative (absolute in tracker.go)
	baseUnknown bool

	// relSeqShown, relAckShown and scaleShown keep one-time explanations
	// to their first occurrence in this direction.
	relSeqShown, relAckShown, scaleShown, dataSeen bool

	// *flowMore is what timing and evidence need, allocated with the
	// connection's connMore (Conn.grow): nil while only SYNs were seen.
	*flowMore

	// data is nil until the direction's first payload (dataState), then
	// flowMore's dataBuf, or on a connection not grown its own.
	data *dataState
}

// dataState is what a direction that carries data needs besides: the
// ranges of missing bytes, and the last segments for comparison with a
// retransmission.
type dataState struct {
	holes  [maxHoles][2]uint32
	nholes uint8
	sent   [8]sentSeg
	nsent  uint8
}

// sentSeg is a data segment remembered for comparison with a later
// retransmission of it, and for timing the ACK of it: when it was first
// and last sent, the interval before its last copy, how many copies, and on
// which input lines.
type sentSeg struct {
	seq, len       uint32
	us, last, gap  int64
	copies         uint16
	line, lastLine int32
}

// flowMore is the part of a direction that only a connection past its
// first SYN needs: the evidence for retransmissions and ACK gaps, the
// timer series. A SYN flood's half-open connections never hold it, which
// keeps the table within its budget (TestDefaultCapBoundsMemory).
type flowMore struct {
	sackAbove bool // the last ACK carried a SACK block above its ack: bytes held beyond a hole

	lastAckUs int64 // when this direction last sent an ACK

	// IP ids (tcpdump -v): the last one, and whether every packet of
	// this direction so far showed one, each the one before + 1
	lastID        int32
	idSeen, idRun bool

	lastSig *segSig // -i any: the last segment, to know its copy on another interface

	// probe and keep-alive series: when the last one was sent, the gap
	// before it, how many so far (a series ends when data moves)
	probeUs, probeGap int64
	probeN            uint16
	kaUs, kaGap       int64
	kaN               uint16
	// cand is the last zero-length ACK that acknowledged nothing new: a
	// probe or keep-alive that only a later packet can tell
	candLine int32
	candUs   int64
	candAck  uint32
	candPeer uint32 // the peer's packet count then: it answers next

	// dataBuf is where flow.data goes once the connection has grown: its
	// connMore's data (flow.dataState).
	dataBuf *dataState
}

// connMore is the part of a connection allocated after its first SYN: the
// round trips and both directions' flowMore, in one allocation.
//
// The fields that hold pointers come first and the buffers without any
// last, so the collector scans only the front of the object.
type connMore struct {
	ack  *ackTrack // ACK RTT and bytes in flight (ackrtt.go): nil until used, then ackBuf
	rtt  rttEst
	dirs [2]flowMore
	// ackBuf is ack's storage: every connection that grows lists its
	// segments from the next packet on (a SYN-ACK's too), so it is
	// allocated with the rest, one allocation instead of two.
	ackBuf ackTrack

	// data is both directions' flow.data once the connection has grown:
	// a connection past its SYN that carries data takes one allocation,
	// not three (a half-open one still holds none of it).
	data [2]dataState
	// tsBuf is rtt.ts's storage, for the same reason.
	tsBuf tsEchoes
	// histBuf is Conn.history's storage once grown (letter): the
	// history never grows past it, so it never reallocates.
	histBuf [maxHistory]byte
}

// grow gives the connection m, a zero connMore, as its own.
func (c *Conn) grow(m *connMore) {
	c.connMore = m
	c.flows[0].flowMore, c.flows[1].flowMore = &m.dirs[0], &m.dirs[1]
	m.dirs[0].dataBuf, m.dirs[1].dataBuf = &m.data[0], &m.data[1]
	c.history = append(m.histBuf[:0], c.history...)
}

// Conn is one TCP connection: a 4-tuple from a SYN (or from the middle of a
// stream) to its close.
type Conn struct {
	// ID is stable within one run: connections are numbered 1, 2, 3 … in
	// the order they first appear.
	ID int
	// Client and Server are the endpoints as printed, `host.port`.
	Client, Server string
	// Simultaneous is set when both sides sent a SYN (simultaneous open).
	Simultaneous bool
	// Midstream is set when the trace starts after the handshake.
	Midstream bool
	// Self is set for a socket connected to itself (the same address and
	// port on both sides): one endpoint, whose SYN crosses itself.
	Self bool
	// beside the bools above, in their padding (mem_test.go's budget)
	quiet bool // printed by tcpdump -q: no flags, no numbers
	stray bool // the first segments fit no connection: a SYN-ACK answering no SYN, or no flags
	rstBy Role // who sent the RST that preRST was taken before

	key   string
	flows [2]flow
	state [2]State

	mode     seqMode
	mirror   bool      // tcpdump has recorded bases for this 4-tuple
	base     [2]uint32 // tcpdump's base for each direction's numbers
	baseKnow [2]bool

	firstUs, lastUs int64
	synUs           int64 // the client's latest SYN
	irttUs          int64
	hasIRTT         bool
	synLine         int32 // the input line of the client's first SYN, for the ACK RTT of its SYN-ACK (ackrtt.go)
	*connMore             // nil while only SYNs were seen (grow)
	elided          bool  // an elision line came after this connection's first packet
	missed          bool  // the trace shows that it missed packets of this connection
	done            bool  // both endpoints CLOSED or TIME_WAIT
	summarized      bool
	evicted         bool
	halfShown       bool // the half-close has been explained
	closer          Role // who sent the first FIN or RST
	closeKind       closeKind
	preRST          [2]State // the states a RST ended, restored if it is ignored

	zeek     [2]zeekState
	zeekPrev [2]zeekState // the state before the last change
	history  []byte
	histOnce [2]uint32    // once-per-direction letters already recorded
	histCnt  [2][3]uint16 // g, t, w counts (logarithmic letters)
	histSeq  [2][4]uint32 // last seq recorded for f, h, r, s
	histHas  uint8        // bit 4*dir+slot: histSeq holds a value

	prev, nextConn *Conn // least-recently-seen list
	seenUs         int64 // table time when last seen (clock.go)
	inTable        bool  // in the table's map and list
}

// State returns an endpoint's current state.
func (c *Conn) State(r Role) State { return c.state[r] }

// WScale returns the window-scale shift in effect for a side's windows, or
// -1 when scaling is not in effect (or the handshake was not seen).
func (c *Conn) WScale(r Role) int {
	f, o := &c.flows[r], &c.flows[r.Other()]
	if f.wscale < 0 || o.wscale < 0 {
		return -1
	}
	return int(f.wscale)
}

// closeKind is how a connection ended.
type closeKind uint8

const (
	closeNone closeKind = iota
	closeThree
	closeFour
	closeSimultaneous
	closeRefused
	closeReset
)
