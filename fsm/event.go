package fsm

// Code names an event. Codes are part of tcpnote's JSON output: scripts,
// tests and teachers rely on them, so a code is never renamed.
type Code uint8

// The event codes (docs/events.md); fsm/vocab.go declares each.
const (
	CodeNone Code = iota
	HandshakeSYN
	HandshakeSYNRetransmit
	HandshakeSYNACK
	HandshakeSYNACKRetransmit
	HandshakeACK
	HandshakeSimultaneousOpen
	Data
	Ack
	AckPiggyback
	Retransmission
	FastRetransmission
	SpuriousRetransmission
	OutOfOrder
	LostSegment
	AckedUnseen
	DupAck
	WindowZero
	WindowProbe
	WindowUpdate
	WindowFull
	Keepalive
	KeepaliveAck
	CloseFIN
	CloseFINAck
	ClosePassiveFIN
	CloseFINMerged
	CloseFinalAck
	CloseSimultaneous
	CloseHalf
	RSTRefused
	RSTAbort
	OptionMSS
	OptionWScale
	OptionSACKPermitted
	OptionSACK
	OptionTimestamps
	OptionTFO
	IPHeader
	ChecksumOffload
	TraceRelativeSeq
	TraceTimeBackwards
	TraceMidstream
	// Added since the first list of codes.
	TracePortsReused // a SYN with a new ISN on a 4-tuple seen before
	TraceEvicted     // the connection table was full: the least recently seen connection was forgotten
	ECNSetup         // SYN with ECE+CWR, SYN-ACK with ECE: ECN negotiated
	IPFragment       // the segment travelled in IP fragments; a later fragment (no TCP header)
	AckFragmented    // an ack covering bytes of a fragmented segment that tcpdump could not attribute
	ECNCongestion    // the IP header is marked CE: a router signalled congestion
	ECNEcho          // ECE on a synchronized segment: the receiver echoes a CE mark
	ECNCWR           // CWR on a synchronized segment: the sender reduced its congestion window
	SYNData          // a SYN carrying data without a Fast Open option: not TCP Fast Open
	TraceTimeReading // -ttt deltas or -ttttt offsets: which reading the trace's first lines decided
	WindowScaled     // a window field multiplied out by the handshake's window scale (was a second shape of option.wscale)
	// Added for states that follow the evidence (issue 12).
	HandshakeSelfConnect       // a socket connected to itself: a simultaneous open of one socket
	HandshakeSYNACKUnsolicited // a SYN-ACK answering no SYN in the trace
	HandshakeSYNACKNewISN      // a second SYN-ACK for the same SYN, with another ISN
	HandshakeACKDropped        // a 3rd-handshake ACK in the trace that the listener did not take
	SegmentNoFlags             // a segment with no flags at all
	RSTAfterClose              // a RST after both FINs
	RSTDataAfterClose          // a RST answering data that arrived after the application closed
	RSTIgnored                 // the peer keeps sending after a RST: it did not accept it
	TraceAfterReset            // a segment on a 4-tuple a RST closed: a new connection record
	TraceQuiet                 // tcpdump -q: no flags or numbers, so no handshake, close or state
	RSTNoConnection            // a RST answering a segment (not a SYN) its sender had no connection for
	TraceNewDay                // the time of day went back more than 12 hours: read as the next day (midnight)
	WindowProbeFirst           // a later packet shows an earlier plain-looking ACK was the first zero-window probe
	KeepaliveFirst             // a later packet shows an earlier plain-looking ACK was the first keep-alive
	TraceCut                   // the line stops before its fields do (a cut paste, or [|tcp]): what is not printed has no value
	TraceCopy                  // the same segment again within a millisecond on another interface (-i any): a copy, not a retransmission
	TraceUnreadable            // a line that looks like a TCP segment but could not be read (not a packet: see UnreadableEvent)
	// Added for ACK RTT and bytes in flight (issue 17).
	AckRTTSpike        // an ACK RTT far above the median of the ones before it
	WindowInFlightFull // the bytes in flight reach the window the receiver advertised

	// Lint findings: numbers no real TCP stack would print. Hand-edited
	// traces in blogs and books have them; --lint lists them.
	LintSYNACKAck     // a SYN-ACK whose ack is not the client's ISN + 1
	LintAckUnsent     // an ack for bytes never sent, in a trace with the handshake
	LintFINSeq        // a FIN that does not consume one sequence number
	LintSeqLength     // a seq range that does not match the length
	LintRetransLength // a retransmission whose length differs from the original's

	// NumCodes is one more than the largest code: a size for tables
	// indexed by Code.
	NumCodes
)

// IsLint reports whether a code is a lint finding.
func (c Code) IsLint() bool { return c >= LintSYNACKAck && c <= LintRetransLength }

// String returns the code as it appears in JSON, e.g. "handshake.synack".
func (c Code) String() string {
	if c < NumCodes {
		return vocab[c].Name
	}
	return ""
}

// Codes returns every event code, for tests that check each has wording.
func Codes() []Code {
	out := make([]Code, 0, NumCodes-1)
	for c := Code(1); c < NumCodes; c++ {
		out = append(out, c)
	}
	return out
}

// Key names an event argument.
type Key uint8

// Event argument keys. Values are integers: sequence numbers, byte counts,
// microseconds, counts, and 0/1 for yes/no.
const (
	KeyNone         Key = iota
	KeyISN              // the sender's initial sequence number
	KeyPeerISN          // the other side's ISN
	KeySeq              // absolute sequence number of the segment
	KeySeqEnd           // absolute sequence number after its payload
	KeyAck              // absolute acknowledgment number
	KeyLen              // payload bytes
	KeyNext             // next sequence number expected from the sender
	KeyAcked            // bytes newly acknowledged
	KeyGapUs            // time since the previous attempt, µs
	KeyPrevGapUs        // the gap before that, µs
	KeyDoubled          // 1 when the gap doubled, 0 when it did not
	KeyCount            // an ordinal: the 2nd retransmission, the 3rd dup ACK …
	KeyWin              // the window field as printed
	KeyWScale           // the window scale shift
	KeyWinBytes         // the window in bytes
	KeyMSS              // maximum segment size
	KeyTSVal            // timestamp value
	KeyTSEcr            // timestamp echo reply
	KeyBlocks           // number of SACK blocks
	KeyLeft             // first SACK block's left edge (absolute)
	KeyRight            // first SACK block's right edge (absolute)
	KeyRelSeq           // seq as printed (relative)
	KeyRelAck           // ack as printed (relative)
	KeyTOS              // IP type of service
	KeyTTL              // IP time to live / hop limit
	KeyID               // IP identification
	KeyDF               // 1 when Don't Fragment is set
	KeyIPLen            // IP total length
	KeyTFOBytes         // bytes of SYN data acknowledged (TCP Fast Open)
	KeyCookie           // 1 for a TFO cookie, 0 for a cookie request
	KeyMissing          // bytes not seen in the trace
	KeyBackUs           // how far the time went back, µs
	KeyOrigLine         // input line of the segment first carrying these bytes
	KeyExpected         // the value that was expected
	KeyLost             // 1 when the trace shows the packet never arrived
	KeyFINSeq           // sequence number of the FIN being acknowledged
	KeyIRTTUs           // initial round-trip time, µs
	KeySinceUs          // time since the original transmission, µs
	KeyTFOData          // 1 when a SYN carries data (TCP Fast Open)
	KeyPort             // a port number
	KeyConns            // a number of connections
	KeySimultaneous     // 1 in a simultaneous open
	// Verdicts fsm reaches, with one meaning each (see vocab.go).
	KeyBackoff     // how a retry's gap compares with the one before: a Backoff
	KeyUnanswered  // 1 when a SYN is retried with no answer in the trace
	KeyStill       // 1 when a zero window is repeated
	KeyOldConn     // the id of the connection a reused 4-tuple belonged to
	KeyOldClosed   // 1 when that connection had closed
	KeyBothOffered // 1 when both sides offered window scaling
	KeyDupAcks     // how many duplicate ACKs came before a fast retransmission
	KeyDSACK       // 1 when the first SACK block is a D-SACK (RFC 2883)
	KeyFIN         // 1 when a retransmission is of a FIN
	KeyWrap        // 1 when a segment crosses the 2^32 wrap
	KeyECNSide     // which handshake segment offers ECN: an ECNSide
	KeyMTU         // the MTU an MSS implies (MSS + IP and TCP headers)
	KeyIPv6        // 1 when the packet is IPv6
	KeyUrgent      // the urgent pointer of a segment with URG
	KeyRTTUs       // the round trip the trace shows toward the acknowledging side
	KeyRTTSource   // what that round trip was measured on: an RTTSource
	KeyAckGap      // why an ACK came when it did: an AckGap
	KeyAckedLine   // the input line of the segment an ACK acknowledges
	KeyBy          // the evidence that named a retransmission: a RetransBy
	KeyCapped      // 1 when a retry interval reached Linux's 120 s cap
	KeyFirstLine   // the input line of a series' first packet, recognised later
	KeyBaseUnknown // 1 when tcpdump's base for a relative number is not in the trace
	KeyField       // the part of a line that could not be read: a grammar.UnreadField
	KeyCol         // 1-based byte column where it starts
	KeyWidth       // its length in bytes
	KeyFragOffset  // an IP fragment's offset, bytes
	KeyReassembled // 1 when the fragments give the segment's whole length
	KeyOffsets     // 1 when times read as offsets from the first packet (-ttttt), 0 as deltas (-ttt)
	// Added for ACK RTT and bytes in flight (issue 17).
	KeyAckRTTUs // an ACK's round trip from the segment it acknowledges, µs (tcp.analysis.ack_rtt)
	KeyMedianUs // the median of the ACK RTTs before it, µs
	KeySamples  // how many samples that median is of
	KeyTimes    // how many times the median, rounded down
	KeyInFlight // bytes sent and not yet acknowledged (tcp.analysis.bytes_in_flight)
	numKeys
)

// String returns the key as it appears in JSON.
func (k Key) String() string {
	if k < numKeys {
		return keys[k].Name
	}
	return ""
}

// Arg is one typed argument of an event.
type Arg struct {
	Key Key
	Val int64
}

// maxArgs bounds an event's arguments so events need no allocation. No
// code declares more (TestVocabulary), and every argument an event
// carries is declared for its code, so none is ever dropped.
const maxArgs = 12

// Event is one thing a packet means, as a code with arguments. fsm never
// words an event; package annotate does.
type Event struct {
	Code Code
	N    uint8
	Args [maxArgs]Arg
}

// Get returns the value of an argument.
func (e *Event) Get(k Key) (int64, bool) {
	for i := 0; i < int(e.N); i++ {
		if e.Args[i].Key == k {
			return e.Args[i].Val, true
		}
	}
	return 0, false
}

// Has reports whether the event has an argument.
func (e *Event) Has(k Key) bool {
	_, ok := e.Get(k)
	return ok
}

// set adds or replaces an argument. An argument past maxArgs cannot
// happen for a declared one (see maxArgs); it panics, so a test finds it.
func (e *Event) set(k Key, v int64) *Event {
	args := e.Args[:e.N]
	for i := range args {
		if args[i].Key == k {
			args[i].Val = v
			return e
		}
	}
	e.Args[e.N] = Arg{k, v}
	e.N++
	return e
}
