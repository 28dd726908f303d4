package annotate

import (
	"fmt"
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
)

// Explain once, then be brief (issue 17). In text output the explanation
// of a kind and shape of note is given in full the first time in the
// trace; later notes of the same shape, in any connection, are said
// briefly: the step's name, the numbers and their arithmetic stay, the
// explanation goes (briefComposers in compose.go). So does the reason of
// an inference: "(inferred: its SYN-ACK shows it was listening)" once,
// "(inferred)" after. Anomalies, lint findings, corrections and every code
// without a brief form are said in full every time; a duplicate ACK that
// continues its run is said briefly only after its connection has had one
// in full. Under --verbose the meaning of the SYN options, the IP header
// and the checksum is given once in the trace, and in each connection
// again only when what it describes changes. --full (Options.Full) says
// everything in full; the document formats and JSON always do.

// shape is a kind of note in one of its forms: the unit that is explained
// once in a trace.
type shape uint8

const (
	shNone           shape = iota // said in full every time
	shData                        // payload bytes
	shAck                         // an ACK of new bytes, no gap measured
	shAckRoundTrip                // … answered within one round trip
	shAckDelayed                  // … a delayed ACK
	shAckUnexplained              // … later than a round trip and the delayed-ACK timer explain
	shAckNoRTT                    // … no round trip to compare with
	shPiggyback                   // an ACK on a data segment
	shDupAck                      // a duplicate ACK after the first of its run
	shSACK                        // SACK blocks (not D-SACK)
	shRel                         // relative numbers, their base known
	shRelUnknown                  // relative numbers, one base before the trace
	shScaled                      // a window scaled by the handshake's wscale
	shMSS                         // -v: the SYN options
	shWScale
	shSACKOK
	shTimestamps
	shIP       // -v: the IP header
	shChecksum // -v: checksum offload
	// the steps of opening and closing, explained once in the trace
	shSYN            // 1st handshake
	shSYNACK         // 2nd handshake, its ack the client's ISN + 1
	shHandshakeACK   // 3rd handshake
	shCloseFIN       // active close
	shFINAck         // the ACK of a FIN
	shFINAckCrossing // … of a crossing FIN (simultaneous close)
	shFINMerged      // the passive close's FIN with the ACK of the first
	shFinalAck       // the final ACK and TIME_WAIT
	shSimClose       // a FIN crossing the other's
	shHalfClose      // data after the peer's FIN
	shRSTAfterClose  // a RST after both FINs
	shRSTNoConn      // a RST from an endpoint with no connection
	shKeepalive      // a keep-alive
	shKeepaliveAck   // its answer
	shECNSYN         // ECN asked for on the SYN
	shECNSYNACK      // … agreed on the SYN-ACK
	numShapes
)

// The trace's memory is a word of bits; so is the memory of the reasons.
var (
	_ [64 - numShapes]struct{}
	_ [32 - fsm.NumWhy]struct{}
)

// explained is what the trace's notes have explained so far: a bit per
// shape and a bit per reason an inference gave (fsm.Why). It has a fixed
// size and is never forgotten: a trace of a million connections explains
// the handshake once.
type explained struct {
	shapes uint64
	whys   uint32
}

// mark reports whether a shape was explained already, and records that it
// now is.
func (x *explained) mark(s shape) bool {
	bit := uint64(1) << s
	seen := x.shapes&bit != 0
	x.shapes |= bit
	return seen
}

// memo is what a connection's notes have said: under --verbose the IP
// header fields and SYN options last explained in each direction
// (fingerprints, 0 for none), so that they are given again only when they
// change, and a few bits (conn*). It is forgotten with the connection.
type memo struct {
	ip   [2]uint32
	opt  [2]uint32
	said uint8
}

// The bits of memo.said.
const (
	connIP       = 1 << iota // an IP header was explained
	connDupAck               // a duplicate ACK continuing its run was said in full
	connChecksum             // checksum offload in the client's direction (this bit and the next)
)

// how a note is said.
type how uint8

const (
	sayFull how = iota
	sayBrief
	sayNothing // -v: explained already, and nothing it describes has changed
)

// shapeOf is an event's shape, or shNone for a note that is said in full
// every time: an anomaly other than a duplicate ACK continuing its run, a
// lint finding, a rare step (a simultaneous open, a self-connect, a SYN
// with data), a form with arithmetic or a finding of its own (urgent
// data, Fast Open, the wrap of the sequence space, D-SACK, a SYN-ACK that
// does not acknowledge ISN + 1 or leaves the SYN's data out).
func shapeOf(e *fsm.Event) shape {
	switch e.Code {
	case fsm.Data:
		if e.Has(fsm.KeyUrgent) || e.Has(fsm.KeyTFOData) || arg(e, fsm.KeyWrap) == 1 {
			return shNone
		}
		return shData
	case fsm.Ack:
		if v, ok := e.Get(fsm.KeyAcked); ok && v == 0 {
			return shNone // acknowledges nothing new: already short
		}
		if !e.Has(fsm.KeyGapUs) {
			return shAck
		}
		switch fsm.AckGap(arg(e, fsm.KeyAckGap)) {
		case fsm.AckRoundTrip:
			return shAckRoundTrip
		case fsm.AckDelayed:
			return shAckDelayed
		case fsm.AckUnexplained:
			return shAckUnexplained
		}
		return shAckNoRTT
	case fsm.AckPiggyback:
		return shPiggyback
	case fsm.DupAck:
		if arg(e, fsm.KeyCount) < 2 {
			return shNone // the first of a run: a new anomaly
		}
		return shDupAck
	case fsm.OptionSACK:
		if arg(e, fsm.KeyDSACK) == 1 {
			return shNone
		}
		return shSACK
	case fsm.TraceRelativeSeq:
		if arg(e, fsm.KeyBaseUnknown) == 1 {
			return shRelUnknown
		}
		return shRel
	case fsm.WindowScaled:
		return shScaled
	case fsm.OptionMSS:
		return shMSS
	case fsm.OptionWScale:
		return shWScale
	case fsm.OptionSACKPermitted:
		return shSACKOK
	case fsm.OptionTimestamps:
		return shTimestamps
	case fsm.IPHeader:
		return shIP
	case fsm.ChecksumOffload:
		return shChecksum
	}
	return stepShape(e)
}

// stepShape is the shape of a step of opening or closing, or shNone.
func stepShape(e *fsm.Event) shape {
	switch e.Code {
	case fsm.HandshakeSYN:
		return shSYN
	case fsm.HandshakeSYNACK:
		// only the plain form: ack = the client's ISN + 1, nothing left out
		if arg(e, fsm.KeySimultaneous) == 1 || !e.Has(fsm.KeyPeerISN) || e.Has(fsm.KeyTFOBytes) ||
			e.Has(fsm.KeyExpected) || e.Has(fsm.KeyMissing) {
			return shNone
		}
		return shSYNACK
	case fsm.HandshakeACK:
		return shHandshakeACK
	case fsm.CloseFIN:
		return shCloseFIN
	case fsm.CloseFINAck:
		if arg(e, fsm.KeySimultaneous) == 1 {
			return shFINAckCrossing
		}
		return shFINAck
	case fsm.CloseFINMerged:
		return shFINMerged
	case fsm.CloseFinalAck:
		return shFinalAck
	case fsm.CloseSimultaneous:
		return shSimClose
	case fsm.CloseHalf:
		return shHalfClose
	case fsm.RSTAfterClose:
		return shRSTAfterClose
	case fsm.RSTNoConnection:
		return shRSTNoConn
	case fsm.Keepalive:
		return shKeepalive
	case fsm.KeepaliveAck:
		return shKeepaliveAck
	case fsm.ECNSetup:
		if fsm.ECNSide(arg(e, fsm.KeyECNSide)) == fsm.ECNSYN {
			return shECNSYN
		}
		return shECNSYNACK
	}
	return shNone
}

// decide says how an event of a packet from dir is worded, and records it:
// in the trace's memory, and in the memory of the connection being
// written (ms.cur). sameOpts is set when the packet's SYN options are
// those last explained in its direction.
func (ms *memos) decide(e *fsm.Event, dir fsm.Role, sameOpts bool) how {
	m := &ms.cur
	s := shapeOf(e)
	switch s {
	case shNone:
		return sayFull
	case shMSS, shWScale, shSACKOK, shTimestamps:
		if sameOpts {
			return sayNothing
		}
	case shIP:
		p := ipPrint(e)
		if m.ip[dir] == p || p == ipNothing && m.said&connIP != 0 {
			return sayNothing // unchanged, or nothing but id and length
		}
		m.ip[dir] = p
		m.said |= connIP
	case shChecksum:
		bit := uint8(connChecksum) << dir
		if m.said&bit != 0 {
			return sayNothing // explained for this direction
		}
		m.said |= bit
	case shDupAck:
		// an anomaly: each connection has one explained in full
		ms.trace.mark(s)
		if m.said&connDupAck == 0 {
			m.said |= connDupAck
			return sayFull
		}
		return sayBrief
	}
	if ms.trace.mark(s) {
		return sayBrief
	}
	return sayFull
}

// ipNothing is the fingerprint of an IP header that shows neither TTL,
// DF nor tos.
const ipNothing = 1

// ipPrint is the fingerprint of the IP header fields a note explains that
// stay the same along a path: TTL, DF, tos (never 0).
func ipPrint(e *fsm.Event) uint32 {
	p := uint32(ipNothing)
	if ttl, ok := e.Get(fsm.KeyTTL); ok {
		p |= 1<<1 | uint32(ttl&0xff)<<2
	}
	if arg(e, fsm.KeyDF) == 1 {
		p |= 1 << 10
	}
	p |= uint32(arg(e, fsm.KeyTOS)&0xff) << 11
	return p
}

// optPrint is the fingerprint of a packet's SYN options as --verbose
// explains them (MSS, wscale, sackOK, timestamps; not the timestamps'
// values, which change every time), or 0 when it has none.
func optPrint(r *fsm.Result) uint32 {
	var p uint32
	for i := range r.Events {
		e := &r.Events[i]
		switch e.Code {
		case fsm.OptionMSS:
			p |= 1<<26 | uint32(arg(e, fsm.KeyMSS)&0xffff)
		case fsm.OptionWScale:
			p |= 1<<26 | uint32(arg(e, fsm.KeyWScale)&0xff)<<16
		case fsm.OptionSACKPermitted:
			p |= 1<<26 | 1<<24
		case fsm.OptionTimestamps:
			p |= 1<<26 | 1<<25
		}
	}
	return p
}

// sameOptions reports whether a packet's SYN options are those last
// explained in its direction, and remembers them.
func (m *memo) sameOptions(r *fsm.Result) bool {
	p := optPrint(r)
	if p == 0 {
		return false
	}
	same := m.opt[r.From] == p
	m.opt[r.From] = p
	return same
}

// maxMemos bounds the connections whose memory is kept: a trace whose
// connections never end (a cut capture, a SYN flood) must not grow memory
// without end. When full it is forgotten at once: the connections' IP
// headers and SYN options are said again (briefly), nothing is lost; what
// the trace has explained is kept.
const maxMemos = 1 << 16

// memos is the text output's memory: what the trace has explained, and
// the memory of every connection it follows.
type memos struct {
	trace explained
	m     map[int]memo
	cur   memo // the connection of the record being written
}

// recall loads the memory of a packet's connection.
func (ms *memos) recall(r *fsm.Result) {
	ms.cur = memo{}
	if r.Conn != nil && ms.m != nil {
		ms.cur = ms.m[r.Conn.ID]
	}
}

// keep stores it back, or forgets it when the packet ended the connection.
func (ms *memos) keep(r *fsm.Result) {
	if r.Conn == nil {
		return
	}
	id := r.Conn.ID
	if ended(r.After) && r.Before != r.After {
		delete(ms.m, id)
		return
	}
	if ms.cur == (memo{}) {
		return
	}
	if ms.m == nil {
		ms.m = map[int]memo{}
	}
	if _, ok := ms.m[id]; !ok && len(ms.m) >= maxMemos {
		clear(ms.m)
	}
	ms.m[id] = ms.cur
}

// forget drops a connection's memory (its summary is written: it is over).
func (ms *memos) forget(id int) { delete(ms.m, id) }

// Only chooses the packets whose notes text output writes (--only). Every
// input line still comes out; only notes are left out.
type Only uint8

// The choices of --only.
const (
	OnlyAll       Only = iota // every note (the default)
	OnlyNotable               // steps, state changes and anomalies
	OnlyAnomalies             // anomalies
)

var onlyNames = [...]string{OnlyAll: "all", OnlyNotable: "notable", OnlyAnomalies: "anomalies"}

// String names the choice as --only takes it.
func (o Only) String() string {
	if int(o) < len(onlyNames) {
		return onlyNames[o]
	}
	return ""
}

// ParseOnly reads a --only value.
func ParseOnly(s string) (Only, error) {
	for i, n := range onlyNames {
		if s == n {
			return Only(i), nil
		}
	}
	return OnlyAll, fmt.Errorf("--only: want %s, not %q", strings.Join(onlyNames[1:], " or "), s)
}

// Anomaly reports whether an event code names an anomaly, as the
// vocabulary marks it (fsm.Spec.Warn): retransmissions of every kind,
// duplicate ACKs, bytes missing, unseen or out of order, zero and full
// windows and their probes, resets, lint findings, unreadable lines, a
// clock that goes back.
func Anomaly(c fsm.Code) bool { return c.Spec().Warn }

// Step reports whether an event code is a step of opening, closing or
// resetting a connection (its kind in the vocabulary).
func Step(c fsm.Code) bool {
	switch c.Spec().Kind {
	case fsm.KindHandshake, fsm.KindClose, fsm.KindReset:
		return true
	}
	return false
}

// keeps reports whether a packet's note is written.
func (o Only) keeps(r *fsm.Result) bool {
	if o == OnlyAll {
		return true
	}
	if o == OnlyNotable && r.Before != r.After {
		return true
	}
	for i := range r.Events {
		c := r.Events[i].Code
		if Anomaly(c) || o == OnlyNotable && Step(c) {
			return true
		}
	}
	return false
}
