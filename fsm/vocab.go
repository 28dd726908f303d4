package fsm

import "github.com/tcpnote/tcpnote/grammar"

// The vocabulary: every event code and every argument key declared once,
// with what the rest of tcpnote needs to know of it. The JSON names are a
// contract (never renamed); the argument lists say which keys an event of a
// code may carry, in the order JSON writes them; the kinds and flags are
// what the colours, the diagrams and the --verbose filter read. docs/events.md
// is generated from these tables (EventsMarkdown; cmd/tcpnote TestGolden compares it).

// Kind groups event codes by what they are about.
type Kind uint8

// The kinds of event.
const (
	KindHandshake      Kind = iota + 1 // opening a connection
	KindData                           // payload
	KindAck                            // acknowledgments
	KindRetransmission                 // bytes or flags sent again
	KindLoss                           // bytes missing from the trace, or seen out of order
	KindWindow                         // flow control
	KindKeepalive                      // keep-alive probes and answers
	KindClose                          // closing a connection
	KindReset                          // RST
	KindOption                         // TCP options
	KindHeader                         // how the IP header and checksum were printed
	KindTrace                          // the trace itself: numbering, gaps, clock, table
	KindECN                            // explicit congestion notification
	KindLint                           // numbers no real TCP stack would print
)

var kindNames = [...]string{
	KindHandshake: "handshake", KindData: "data", KindAck: "ack", KindRetransmission: "retransmission",
	KindLoss: "loss", KindWindow: "window", KindKeepalive: "keepalive", KindClose: "close",
	KindReset: "reset", KindOption: "option", KindHeader: "header", KindTrace: "trace",
	KindECN: "ecn", KindLint: "lint",
}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

// Spec is what the vocabulary says of one event code.
type Spec struct {
	// Name is the code in JSON, e.g. "handshake.synack". Never renamed.
	Name string
	Kind Kind
	// Args are the keys an event of this code may carry, in JSON order.
	Args []Key
	// Rank orders the codes that name a packet in a diagram (the step a
	// packet is): 1 is the most telling. 0: not a step name.
	Rank uint8
	// Warn marks an anomaly: loss, retransmission, reset, a gap, a full
	// or closed window and its probes, a lint finding. Text colours it;
	// --only (annotate.Anomaly) chooses by it.
	Warn bool
	// Verbose events are shown in text only with --verbose (JSON always
	// has them).
	Verbose bool
	// Form events explain how tcpdump printed the line, not what the
	// packet did; they differ between renders of one capture by design.
	Form bool
	// Retransmitted marks a packet that is a copy of one sent before.
	Retransmitted bool
	// Doc says in one line what the event means (docs/events.md).
	Doc string
}

// Spec returns the vocabulary's entry for a code.
func (c Code) Spec() *Spec {
	if c < NumCodes {
		return &vocab[c]
	}
	return &vocab[CodeNone]
}

// Unit says how an argument's value is read and written.
type Unit uint8

// The units of argument values.
const (
	UnitNumber    Unit = iota // a count, a sequence number, bytes
	UnitMicros                // a duration in microseconds
	UnitBool                  // 1 yes, 0 no
	UnitHex                   // a value people write in hex (IP tos)
	UnitBackoff               // a Backoff
	UnitECNSide               // an ECNSide
	UnitLine                  // an input line number
	UnitConnID                // a connection number
	UnitSequence              // a sequence or acknowledgment number
	UnitRTTSource             // an RTTSource
	UnitAckGap                // an AckGap
	UnitRetransBy             // a RetransBy
	UnitField                 // a grammar.UnreadField: the part of a line that could not be read
)

// KeySpec is what the vocabulary says of one argument key.
type KeySpec struct {
	Name string // in JSON and in templates: {name}
	Unit Unit
	Doc  string
}

// Spec returns the vocabulary's entry for a key.
func (k Key) Spec() *KeySpec {
	if k < numKeys {
		return &keys[k]
	}
	return &keys[KeyNone]
}

// Keys returns every argument key.
func Keys() []Key {
	out := make([]Key, 0, numKeys-1)
	for k := Key(1); k < numKeys; k++ {
		out = append(out, k)
	}
	return out
}

// KeyByName finds a key by its JSON name.
func KeyByName(name string) (Key, bool) {
	for k := Key(1); k < numKeys; k++ {
		if keys[k].Name == name {
			return k, true
		}
	}
	return KeyNone, false
}

// Backoff is how a retry's gap compares with the gap before it.
type Backoff int64

// The backoff verdicts.
const (
	BackoffFirst     Backoff = iota + 1 // no earlier gap to compare with
	BackoffDoubled                      // about twice the gap before (within 25 %)
	BackoffLinear                       // about the same gap (within 30 %): Linux ≥ 6.5's linear SYN retries
	BackoffIrregular                    // neither
)

var backoffNames = [...]string{"", "first", "doubled", "linear", "irregular"}

// String names the verdict as JSON writes it.
func (b Backoff) String() string {
	if b >= 0 && int(b) < len(backoffNames) {
		return backoffNames[b]
	}
	return ""
}

// backoff judges a retry gap against the one before.
func backoff(gap, prev int64) Backoff {
	if prev <= 0 {
		return BackoffFirst
	}
	r := float64(gap) / float64(prev)
	switch {
	case r > 1.75 && r < 2.25:
		return BackoffDoubled
	case r > 0.7 && r < 1.3:
		return BackoffLinear
	}
	return BackoffIrregular
}

// ECNSide is which handshake segment an ecn.setup event is.
type ECNSide int64

// The two sides of ECN negotiation (RFC 3168 §6.1.1).
const (
	ECNSYN    ECNSide = iota + 1 // the SYN, with ECE and CWR: asks for ECN
	ECNSYNACK                    // the SYN-ACK, with ECE only: agrees
)

var ecnSideNames = [...]string{"", "syn", "synack"}

// String names the side as JSON writes it.
func (s ECNSide) String() string {
	if s >= 0 && int(s) < len(ecnSideNames) {
		return ecnSideNames[s]
	}
	return ""
}

// RTTSource is what a round-trip estimate was measured on.
type RTTSource int64

// The sources of a round-trip estimate, in the order they are trusted.
const (
	RTTHandshake RTTSource = iota + 1 // SYN → SYN-ACK, or SYN-ACK → the 3rd handshake ACK
	RTTTSEcho                         // a TS val and the first segment echoing it (TS ecr)
	RTTDataAck                        // a data segment and the ACK of it
)

var rttSourceNames = [...]string{"", "handshake", "ts_echo", "data_ack"}

// String names the source as JSON writes it.
func (s RTTSource) String() string {
	if s >= 0 && int(s) < len(rttSourceNames) {
		return rttSourceNames[s]
	}
	return ""
}

// AckGap says what explains the time between a segment and its ACK.
type AckGap int64

// The verdicts on an ACK's gap.
const (
	AckDelayed     AckGap = iota + 1 // more than the round trip explains, and it fits a delayed-ACK timer (40–500 ms)
	AckRoundTrip                     // about one round trip between the capture point and the receiver: not held back
	AckUnexplained                   // longer than the round trip and a delayed-ACK timer: the trace does not say why
)

var ackGapNames = [...]string{"", "delayed", "round_trip", "unexplained"}

// String names the verdict as JSON writes it.
func (g AckGap) String() string {
	if g >= 0 && int(g) < len(ackGapNames) {
		return ackGapNames[g]
	}
	return ""
}

// RetransBy is the evidence that says what sent a retransmission.
type RetransBy int64

// The evidence for a retransmission's cause.
const (
	ByTimer   RetransBy = iota + 1 // no ACK for longer than the least RTO (200 ms) after the original: the retransmission timer
	ByDupAcks                      // three or more duplicate ACKs just before: fast retransmit (RFC 5681)
	BySACK                         // SACK blocks above the resent bytes just before: SACK/RACK loss recovery (RFC 6675, RFC 8985)
)

var retransByNames = [...]string{"", "timer", "dup_acks", "sack"}

// String names the evidence as JSON writes it.
func (b RetransBy) String() string {
	if b >= 0 && int(b) < len(retransByNames) {
		return retransByNames[b]
	}
	return ""
}

// EnumName returns the JSON name of an enumerated argument's value, or ""
// when the key is not enumerated.
func EnumName(k Key, v int64) string {
	switch k.Spec().Unit {
	case UnitBackoff:
		return Backoff(v).String()
	case UnitECNSide:
		return ECNSide(v).String()
	case UnitRTTSource:
		return RTTSource(v).String()
	case UnitAckGap:
		return AckGap(v).String()
	case UnitRetransBy:
		return RetransBy(v).String()
	case UnitField:
		return grammar.UnreadField(v).String()
	}
	return ""
}

var keys = [numKeys]KeySpec{
	KeyNone:         {"", UnitNumber, ""},
	KeyISN:          {"isn", UnitSequence, "the sender's initial sequence number"},
	KeyPeerISN:      {"peer_isn", UnitSequence, "the other side's ISN"},
	KeySeq:          {"seq", UnitSequence, "absolute sequence number of the segment"},
	KeySeqEnd:       {"seq_end", UnitSequence, "absolute sequence number after its payload"},
	KeyAck:          {"ack", UnitSequence, "absolute acknowledgment number"},
	KeyLen:          {"len", UnitNumber, "payload bytes"},
	KeyNext:         {"next_seq", UnitSequence, "next sequence number expected from the sender"},
	KeyAcked:        {"acked", UnitNumber, "bytes newly acknowledged"},
	KeyGapUs:        {"gap_us", UnitMicros, "time since the previous attempt, or since the data acknowledged, µs"},
	KeyPrevGapUs:    {"prev_gap_us", UnitMicros, "the gap before that, µs"},
	KeyDoubled:      {"doubled", UnitBool, "1 when the gap doubled the one before (kept for old scripts; see backoff)"},
	KeyCount:        {"count", UnitNumber, "an ordinal: the 2nd retransmission, the 3rd dup ACK, the 2nd 3rd-handshake ACK"},
	KeyWin:          {"win", UnitNumber, "the window field as printed"},
	KeyWScale:       {"wscale", UnitNumber, "the window scale shift"},
	KeyWinBytes:     {"win_bytes", UnitNumber, "the window in bytes"},
	KeyMSS:          {"mss", UnitNumber, "maximum segment size"},
	KeyTSVal:        {"ts_val", UnitNumber, "timestamp value"},
	KeyTSEcr:        {"ts_ecr", UnitNumber, "timestamp echo reply"},
	KeyBlocks:       {"blocks", UnitNumber, "number of SACK blocks"},
	KeyLeft:         {"left", UnitSequence, "first SACK block's left edge (absolute)"},
	KeyRight:        {"right", UnitSequence, "first SACK block's right edge (absolute)"},
	KeyRelSeq:       {"rel_seq", UnitNumber, "seq as printed (relative)"},
	KeyRelAck:       {"rel_ack", UnitNumber, "ack as printed (relative)"},
	KeyTOS:          {"tos", UnitHex, "IP type of service"},
	KeyTTL:          {"ttl", UnitNumber, "IP time to live / hop limit"},
	KeyID:           {"id", UnitNumber, "IP identification"},
	KeyDF:           {"df", UnitBool, "1 when Don't Fragment is set"},
	KeyIPLen:        {"ip_len", UnitNumber, "IP total length"},
	KeyTFOBytes:     {"tfo_bytes", UnitNumber, "bytes of SYN data acknowledged (TCP Fast Open)"},
	KeyCookie:       {"cookie", UnitBool, "1 for a TFO cookie, 0 for a cookie request"},
	KeyMissing:      {"missing", UnitNumber, "bytes not seen in the trace; on a SYN-ACK, the bytes of the SYN's data it does not acknowledge"},
	KeyBackUs:       {"back_us", UnitMicros, "how far the time went back, µs"},
	KeyOrigLine:     {"orig_line", UnitLine, "input line of the segment first carrying these bytes (or, for trace.copy, the segment copied)"},
	KeyExpected:     {"expected", UnitSequence, "the value that was expected"},
	KeyLost:         {"lost", UnitBool, "1 when the trace shows the packet before never arrived (the SYN-ACK, or the 3rd handshake ACK)"},
	KeyFINSeq:       {"fin_seq", UnitSequence, "sequence number of the FIN being acknowledged"},
	KeyIRTTUs:       {"irtt_us", UnitMicros, "initial round-trip time, µs"},
	KeySinceUs:      {"since_us", UnitMicros, "time since the original transmission, µs"},
	KeyTFOData:      {"tfo_data", UnitNumber, "bytes of data on a SYN"},
	KeyPort:         {"port", UnitNumber, "a port number"},
	KeyConns:        {"conns", UnitNumber, "a number of connections"},
	KeySimultaneous: {"simultaneous", UnitBool, "1 in a simultaneous open; on close.fin_ack, the ACK of a crossing FIN (a simultaneous close)"},
	KeyBackoff:      {"backoff", UnitBackoff, "first, doubled, linear or irregular: the gap against the one before"},
	KeyUnanswered:   {"unanswered", UnitBool, "1 when a SYN is retried and the trace has no answer to it"},
	KeyStill:        {"still", UnitBool, "1 when the window was zero already"},
	KeyOldConn:      {"old_conn", UnitConnID, "the connection the 4-tuple belonged to before"},
	KeyOldClosed:    {"old_closed", UnitBool, "1 when that connection had closed"},
	KeyBothOffered:  {"both_offered", UnitBool, "1 when both sides offered window scaling, so it is on"},
	KeyDupAcks:      {"dup_acks", UnitNumber, "duplicate ACKs seen before the fast retransmission"},
	KeyDSACK:        {"dsack", UnitBool, "1 when the first SACK block reports a duplicate (RFC 2883)"},
	KeyFIN:          {"fin", UnitBool, "1 when the retransmitted segment is a FIN"},
	KeyWrap:         {"wrap", UnitBool, "1 when the segment crosses the 2^32 wrap of the sequence space"},
	KeyECNSide:      {"ecn_side", UnitECNSide, "syn (asks with ECE+CWR) or synack (agrees with ECE)"},
	KeyMTU:          {"mtu", UnitNumber, "the MTU the MSS implies: MSS + 40 (IPv4) or + 60 (IPv6)"},
	KeyIPv6:         {"ipv6", UnitBool, "1 when the packet is IPv6"},
	KeyUrgent:       {"urgent", UnitNumber, "the urgent pointer of a segment with URG"},
	KeyRTTUs:        {"rtt_us", UnitMicros, "the round trip between the capture point and the acknowledging side, as the trace shows it, µs"},
	KeyRTTSource:    {"rtt_source", UnitRTTSource, "handshake, ts_echo or data_ack: what rtt_us was measured on"},
	KeyAckGap:       {"ack_gap", UnitAckGap, "delayed, round_trip or unexplained: what explains gap_us"},
	KeyAckedLine:    {"acked_line", UnitLine, "input line of the segment this ACK acknowledges"},
	KeyBy:           {"by", UnitRetransBy, "timer, dup_acks or sack: the evidence that says what sent the retransmission"},
	KeyCapped:       {"capped", UnitBool, "1 when the interval reached Linux's cap of 120 s (TCP_RTO_MAX)"},
	KeyFirstLine:    {"first_line", UnitLine, "input line of the first packet of the series, recognised only now"},
	KeyBaseUnknown:  {"base_unknown", UnitBool, "1 when tcpdump's base for this relative number is before the trace: no absolute value"},
	KeyField:        {"field", UnitField, "the part of the line that could not be read"},
	KeyCol:          {"col", UnitNumber, "1-based byte column where that part starts"},
	KeyWidth:        {"width", UnitNumber, "its length in bytes"},
	KeyFragOffset:   {"frag_offset", UnitNumber, "an IP fragment's offset in bytes"},
	KeyReassembled:  {"reassembled", UnitBool, "1 when the fragments so far give the segment's whole length (the last has no more-fragments flag)"},
	KeyOffsets:      {"offsets", UnitBool, "1 when times read as offsets from the first packet (-ttttt), 0 as deltas from the one before (-ttt)"},
	// Added for ACK RTT and bytes in flight (issue 17).
	KeyAckRTTUs: {"ack_rtt_us", UnitMicros, "an ACK's round trip: the time since the segment it acknowledges (Wireshark's tcp.analysis.ack_rtt)"},
	KeyMedianUs: {"median_us", UnitMicros, "the median of the ACK RTTs of the same direction before it"},
	KeySamples:  {"samples", UnitNumber, "how many ACK RTTs that median is of"},
	KeyTimes:    {"times", UnitNumber, "the ACK RTT divided by that median, rounded down"},
	KeyInFlight: {"in_flight", UnitNumber, "bytes sent and not yet acknowledged (Wireshark's tcp.analysis.bytes_in_flight)"},
}

var vocab = [NumCodes]Spec{
	CodeNone: {},
	HandshakeSYN: {Name: "handshake.syn", Kind: KindHandshake, Rank: 5,
		Args: []Key{KeyISN, KeyTFOData},
		Doc:  "1st handshake: a SYN opens the connection with the sender's ISN"},
	HandshakeSYNRetransmit: {Name: "handshake.syn_retransmit", Kind: KindHandshake, Rank: 4, Warn: true, Retransmitted: true,
		Args: []Key{KeyISN, KeyCount, KeyGapUs, KeyPrevGapUs, KeyDoubled, KeyBackoff, KeyLost, KeyUnanswered},
		Doc:  "the same SYN (same ISN) again: its timer expired"},
	HandshakeSYNACK: {Name: "handshake.synack", Kind: KindHandshake, Rank: 7,
		Args: []Key{KeyISN, KeyAck, KeyPeerISN, KeyTFOBytes, KeyExpected, KeySimultaneous, KeyMissing},
		Doc:  "2nd handshake: the SYN-ACK acknowledges the SYN and carries the server's ISN"},
	HandshakeSYNACKRetransmit: {Name: "handshake.synack_retransmit", Kind: KindHandshake, Rank: 6, Warn: true, Retransmitted: true,
		Args: []Key{KeyISN, KeyCount, KeyGapUs, KeyPrevGapUs, KeyDoubled, KeyBackoff, KeyLost},
		Doc:  "the same SYN-ACK again: the server has not received the 3rd handshake"},
	HandshakeACK: {Name: "handshake.ack", Kind: KindHandshake, Rank: 8,
		Args: []Key{KeyAck, KeyPeerISN, KeyCount, KeyIRTTUs},
		Doc:  "3rd handshake: the ACK of the SYN-ACK; the connection is established"},
	HandshakeSimultaneousOpen: {Name: "handshake.simultaneous_open", Kind: KindHandshake, Rank: 3,
		Args: []Key{KeyISN, KeyPeerISN},
		Doc:  "a SYN that crosses the other side's SYN: a simultaneous open"},
	Data: {Name: "data", Kind: KindData,
		Args: []Key{KeySeq, KeyLen, KeySeqEnd, KeyNext, KeyTFOData, KeyWrap, KeyUrgent},
		Doc:  "payload bytes"},
	Ack: {Name: "ack", Kind: KindAck,
		Args: []Key{KeyAck, KeyAcked, KeyGapUs, KeyAckedLine, KeyAckGap, KeyRTTUs, KeyRTTSource},
		Doc:  "an acknowledgment: all bytes before ack have arrived"},
	AckPiggyback: {Name: "ack.piggyback", Kind: KindAck,
		Args: []Key{KeyAck, KeyAcked},
		Doc:  "a data segment that also acknowledges the peer's data"},
	Retransmission: {Name: "retransmission", Kind: KindRetransmission, Rank: 17, Warn: true, Retransmitted: true,
		Args: []Key{KeySeq, KeyLen, KeySeqEnd, KeyFIN, KeySinceUs, KeyOrigLine, KeyBy, KeyCount, KeyGapUs, KeyPrevGapUs, KeyBackoff, KeyCapped},
		Doc:  "bytes (or a FIN) the trace showed before, sent again"},
	FastRetransmission: {Name: "fast_retransmission", Kind: KindRetransmission, Rank: 15, Warn: true, Retransmitted: true,
		Args: []Key{KeyDupAcks, KeySeq, KeyLen, KeySeqEnd, KeySinceUs, KeyOrigLine, KeyBy},
		Doc:  "a retransmission after duplicate ACKs, before the timer"},
	SpuriousRetransmission: {Name: "spurious_retransmission", Kind: KindRetransmission, Rank: 16, Warn: true, Retransmitted: true,
		Args: []Key{KeyAck, KeySeq, KeyLen, KeySeqEnd, KeySinceUs, KeyOrigLine},
		Doc:  "a retransmission of bytes the receiver had already acknowledged"},
	OutOfOrder: {Name: "out_of_order", Kind: KindLoss, Rank: 18, Warn: true,
		Args: []Key{KeySeq, KeyLen},
		Doc:  "bytes never seen before that arrive after later ones"},
	LostSegment: {Name: "lost_segment", Kind: KindLoss, Rank: 19, Warn: true,
		Args: []Key{KeyExpected, KeySeq, KeyMissing},
		Doc:  "the sequence jumps: bytes before this segment are not in the trace"},
	AckedUnseen: {Name: "acked_unseen", Kind: KindLoss, Warn: true,
		Args: []Key{KeyAck, KeyExpected, KeyMissing},
		Doc:  "an ack for bytes the trace does not show"},
	DupAck: {Name: "dup_ack", Kind: KindAck, Rank: 20, Warn: true,
		Args: []Key{KeyAck, KeyCount},
		Doc:  "a duplicate ACK: the receiver still waits for the same byte"},
	WindowZero: {Name: "window.zero", Kind: KindWindow, Rank: 21, Warn: true,
		Args: []Key{KeyWin, KeyStill},
		Doc:  "a zero window: the receive buffer is full"},
	WindowProbe: {Name: "window.probe", Kind: KindWindow, Rank: 22, Warn: true,
		Args: []Key{KeySeq, KeyCount, KeyGapUs, KeyPrevGapUs, KeyBackoff, KeyCapped, KeyFirstLine},
		Doc:  "a zero-window probe: is the window open again?"},
	WindowUpdate: {Name: "window.update", Kind: KindWindow, Rank: 23,
		Args: []Key{KeyWin, KeyWinBytes},
		Doc:  "the window opens again"},
	WindowFull: {Name: "window.full", Kind: KindWindow, Warn: true,
		Args: []Key{KeyWinBytes},
		Doc:  "a segment that fills the receiver's advertised window"},
	Keepalive: {Name: "keepalive", Kind: KindKeepalive, Rank: 24,
		Args: []Key{KeySeq, KeyCount, KeyGapUs, KeyPrevGapUs, KeyBackoff, KeyFirstLine},
		Doc:  "a keep-alive probe after idle time"},
	KeepaliveAck: {Name: "keepalive.ack", Kind: KindKeepalive, Rank: 25,
		Doc: "the answer to a keep-alive"},
	CloseFIN: {Name: "close.fin", Kind: KindClose, Rank: 12,
		Args: []Key{KeySeq},
		Doc:  "the active close's FIN"},
	CloseFINAck: {Name: "close.fin_ack", Kind: KindClose, Rank: 14,
		Args: []Key{KeyAck, KeyFINSeq, KeySimultaneous},
		Doc:  "the ACK of a FIN: the second wave, or in a simultaneous close (simultaneous=1) the ACK of the other side's crossing FIN"},
	ClosePassiveFIN: {Name: "close.passive_fin", Kind: KindClose, Rank: 11,
		Args: []Key{KeySeq},
		Doc:  "the passive close's FIN: a four-segment close"},
	CloseFINMerged: {Name: "close.fin_merged", Kind: KindClose, Rank: 10,
		Args: []Key{KeyAck, KeyFINSeq},
		Doc:  "the passive close's FIN carrying the ACK of the first FIN: a three-segment close"},
	CloseFinalAck: {Name: "close.final_ack", Kind: KindClose, Rank: 13,
		Args: []Key{KeyAck, KeyFINSeq},
		Doc:  "the final ACK, of the second FIN"},
	CloseSimultaneous: {Name: "close.simultaneous", Kind: KindClose, Rank: 9,
		Args: []Key{KeySeq, KeyFINSeq},
		Doc:  "a FIN that crosses the other side's FIN"},
	CloseHalf: {Name: "close.half", Kind: KindClose,
		Args: []Key{KeyLen},
		Doc:  "data sent after the peer's FIN: a half-close"},
	RSTRefused: {Name: "rst.refused", Kind: KindReset, Rank: 1, Warn: true,
		Args: []Key{KeyPort, KeyPeerISN},
		Doc:  "a RST answering a SYN: nothing listens on the port"},
	RSTAbort: {Name: "rst.abort", Kind: KindReset, Rank: 2, Warn: true,
		Args: []Key{KeySeq},
		Doc:  "a RST that aborts the connection"},
	OptionMSS: {Name: "option.mss", Kind: KindOption, Verbose: true,
		Args: []Key{KeyMSS, KeyMTU, KeyIPv6},
		Doc:  "the maximum segment size option"},
	OptionWScale: {Name: "option.wscale", Kind: KindOption, Verbose: true,
		Args: []Key{KeyWScale, KeyBothOffered},
		Doc:  "the window scale option offered on a SYN"},
	OptionSACKPermitted: {Name: "option.sack_permitted", Kind: KindOption, Verbose: true,
		Doc: "the SACK-permitted option"},
	OptionSACK: {Name: "option.sack", Kind: KindOption,
		Args: []Key{KeyBlocks, KeyLeft, KeyRight, KeyAck, KeyDSACK},
		Doc:  "SACK blocks: bytes held beyond the cumulative ack"},
	OptionTimestamps: {Name: "option.timestamps", Kind: KindOption, Verbose: true,
		Args: []Key{KeyTSVal, KeyTSEcr},
		Doc:  "the timestamps option on a SYN"},
	OptionTFO: {Name: "option.tfo", Kind: KindOption,
		Args: []Key{KeyCookie},
		Doc:  "a TCP Fast Open cookie or cookie request"},
	IPHeader: {Name: "ip.header", Kind: KindHeader, Verbose: true, Form: true,
		Args: []Key{KeyTOS, KeyTTL, KeyID, KeyIPLen, KeyDF},
		Doc:  "the IP header fields tcpdump -v prints"},
	ChecksumOffload: {Name: "checksum.offload", Kind: KindHeader, Verbose: true, Form: true,
		Doc: "a checksum printed incorrect because the card fills it in"},
	TraceRelativeSeq: {Name: "trace.relative_seq", Kind: KindTrace, Form: true,
		Args: []Key{KeyRelSeq, KeySeq, KeyRelAck, KeyAck, KeyBaseUnknown},
		Doc:  "tcpdump printed relative numbers: the absolute ones"},
	TraceTimeBackwards: {Name: "trace.time_backwards", Kind: KindTrace, Warn: true,
		Args: []Key{KeyBackUs},
		Doc:  "a timestamp earlier than the line before"},
	TraceMidstream: {Name: "trace.midstream", Kind: KindTrace,
		Args: []Key{KeyPeerISN},
		Doc:  "the trace starts in the middle of the connection"},
	TracePortsReused: {Name: "trace.ports_reused", Kind: KindTrace,
		Args: []Key{KeyOldConn, KeyOldClosed},
		Doc:  "a SYN with a new ISN on a 4-tuple seen before: a new connection"},
	TraceEvicted: {Name: "trace.evicted", Kind: KindTrace,
		Args: []Key{KeyConns},
		Doc:  "the connection table was full: the least recently seen connection was forgotten"},
	ECNSetup: {Name: "ecn.setup", Kind: KindECN,
		Args: []Key{KeyECNSide},
		Doc:  "ECN negotiation on the SYN (ECE+CWR) or the SYN-ACK (ECE)"},
	WindowScaled: {Name: "window.scaled", Kind: KindWindow,
		Args: []Key{KeyWin, KeyWScale, KeyWinBytes},
		Doc:  "the first scaled window of a direction, multiplied out"},
	HandshakeSelfConnect: {Name: "handshake.self_connect", Kind: KindHandshake, Rank: 3,
		Args: []Key{KeyISN, KeyPort},
		Doc:  "a socket connected to itself (same address and port both sides): its SYN comes back to it, a simultaneous open of one socket"},
	HandshakeSYNACKUnsolicited: {Name: "handshake.synack_unsolicited", Kind: KindHandshake, Rank: 7, Warn: true,
		Args: []Key{KeyISN, KeyAck},
		Doc:  "a SYN-ACK that answers no SYN in the trace: the SYN came before the capture, or there was none"},
	HandshakeSYNACKNewISN: {Name: "handshake.synack_new_isn", Kind: KindHandshake, Rank: 6, Warn: true,
		Args: []Key{KeyISN, KeyExpected, KeyAck},
		Doc:  "a second SYN-ACK for the same SYN with another ISN: not a retransmission"},
	HandshakeACKDropped: {Name: "handshake.ack_dropped", Kind: KindHandshake, Warn: true,
		Args: []Key{KeyCount},
		Doc:  "the listener retransmits its SYN-ACK after the 3rd-handshake ACK in the trace: it did not take that ACK (a full accept queue drops it)"},
	SegmentNoFlags: {Name: "segment.no_flags", Kind: KindTrace, Rank: 26, Warn: true,
		Args: []Key{KeyLen, KeySeq},
		Doc:  "a segment with no flags at all: no ACK, so every receiver drops it; no state changes"},
	RSTAfterClose: {Name: "rst.after_close", Kind: KindReset, Rank: 2,
		Args: []Key{KeySeq},
		Doc:  "a RST after both FINs: the connection had closed cleanly, the RST ends the last wait"},
	RSTDataAfterClose: {Name: "rst.data_after_close", Kind: KindReset, Rank: 2, Warn: true,
		Args: []Key{KeySeq},
		Doc:  "a RST answering data that arrived after the application closed: the kernel resets it"},
	RSTIgnored: {Name: "rst.ignored", Kind: KindReset, Warn: true,
		Args: []Key{KeySeq},
		Doc:  "the peer keeps sending after a RST: the RST was not accepted (out of window, or never arrived)"},
	TraceAfterReset: {Name: "trace.after_reset", Kind: KindTrace,
		Args: []Key{KeyOldConn},
		Doc:  "a segment on a 4-tuple a RST closed: a new connection record, not the old one's"},
	TraceQuiet: {Name: "trace.quiet", Kind: KindTrace, Form: true,
		Doc: "tcpdump -q prints no flags and no numbers: no handshake, close or state can be seen"},
	RSTNoConnection: {Name: "rst.no_connection", Kind: KindReset, Rank: 1,
		Args: []Key{KeySeq},
		Doc:  "a RST answering a segment that is no SYN (a stray SYN-ACK, a flagless segment …): its sender had no such connection, CLOSED throughout"},
	TraceNewDay: {Name: "trace.new_day", Kind: KindTrace,
		Doc: "the time of day went back more than 12 hours: read as past midnight, the next day"},
	WindowProbeFirst: {Name: "window.probe_first", Kind: KindWindow, Warn: true,
		Args: []Key{KeyFirstLine},
		Doc:  "a later packet shows that an earlier ACK, which looked plain, was the first zero-window probe"},
	KeepaliveFirst: {Name: "keepalive.first", Kind: KindKeepalive,
		Args: []Key{KeyFirstLine},
		Doc:  "a later packet shows that an earlier ACK, which looked plain, was the first keep-alive"},
	IPFragment: {Name: "ip.fragment", Kind: KindHeader, Form: true,
		Args: []Key{KeyCount, KeySeq, KeySeqEnd, KeyFragOffset, KeyLen, KeyReassembled},
		Doc:  "the segment travelled in IP fragments: the first (count 1) carries the TCP header and tcpdump counts only its bytes; a later one has no TCP header, so no ports"},
	AckFragmented: {Name: "ack.fragmented", Kind: KindAck, Form: true,
		Args: []Key{KeyAck, KeyExpected, KeyMissing, KeySeq},
		Doc:  "an ack covering bytes that travelled in later IP fragments tcpdump printed without a length: fragmented, not lost"},
	ECNCongestion: {Name: "ecn.ce", Kind: KindECN, Form: true,
		Args: []Key{KeyTOS},
		Doc:  "the IP header is marked CE (congestion experienced, -v's tos): a router signalled congestion instead of dropping"},
	ECNEcho: {Name: "ecn.echo", Kind: KindECN,
		Doc: "ECE on a synchronized segment: the receiver echoes CE marks to the sender until it sees CWR"},
	ECNCWR: {Name: "ecn.cwr", Kind: KindECN,
		Doc: "CWR on a synchronized segment: the sender reduced its congestion window after an ECN echo"},
	SYNData: {Name: "syn.data", Kind: KindHandshake,
		Args: []Key{KeyLen},
		Doc:  "a SYN carrying data without a Fast Open option: not TCP Fast Open; the SYN-ACK's ack says whether it was taken"},
	TraceTimeReading: {Name: "trace.time_reading", Kind: KindTrace, Form: true,
		Args: []Key{KeyOffsets},
		Doc:  "how -ttt/-ttttt times, which print alike, were read (deltas or offsets from the first packet), decided by the trace's first lines"},
	TraceCut: {Name: "trace.cut", Kind: KindTrace, Form: true,
		Doc: "the line stops before its fields do (a cut paste, or [|tcp]): a field not printed has no value"},
	TraceCopy: {Name: "trace.copy", Kind: KindTrace,
		Args: []Key{KeyOrigLine},
		Doc:  "the same segment seen again within a millisecond on another interface (-i any): a copy, not counted"},
	TraceUnreadable: {Name: "trace.unreadable", Kind: KindTrace, Warn: true,
		Args: []Key{KeyField, KeyCol, KeyWidth},
		Doc:  "a line that looks like a TCP segment but could not be read: left out, on an `other` record"},
	// Added for ACK RTT and bytes in flight (issue 17).
	AckRTTSpike: {Name: "ack.rtt_spike", Kind: KindAck, Warn: true,
		Args: []Key{KeyAckRTTUs, KeyAckedLine, KeyMedianUs, KeySamples, KeyTimes},
		Doc:  "an ACK RTT at least 4× the median of the 8 or more before it in the same direction, and at least 10 ms above it"},
	WindowInFlightFull: {Name: "window.in_flight_full", Kind: KindWindow, Warn: true,
		Args: []Key{KeyInFlight, KeyWinBytes},
		Doc:  "the sender's bytes in flight reach the window the receiver last advertised (in bytes: the handshake showed the window scale): it must wait for an ACK"},
	LintSYNACKAck: {Name: "lint.synack_ack", Kind: KindLint, Warn: true,
		Args: []Key{KeyAck, KeyExpected, KeyPeerISN},
		Doc:  "a SYN-ACK whose ack is not the client's ISN + 1"},
	LintAckUnsent: {Name: "lint.ack_unsent", Kind: KindLint, Warn: true,
		Args: []Key{KeyAck, KeyExpected},
		Doc:  "an ack for bytes never sent, in a trace with the handshake"},
	LintFINSeq: {Name: "lint.fin_seq", Kind: KindLint, Warn: true,
		Args: []Key{KeySeq, KeyFINSeq, KeyExpected, KeyAck},
		Doc:  "a FIN that does not take one sequence number"},
	LintSeqLength: {Name: "lint.seq_length", Kind: KindLint, Warn: true,
		Args: []Key{KeySeq, KeySeqEnd, KeyLen},
		Doc:  "a seq range that does not match the length"},
	LintRetransLength: {Name: "lint.retrans_length", Kind: KindLint, Warn: true,
		Args: []Key{KeySeq, KeyLen, KeyExpected},
		Doc:  "a retransmission whose length differs from the original's"},
}
