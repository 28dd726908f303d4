// Package fsm is tcpnote's model of TCP: it follows every connection in a
// trace, both endpoints' RFC 9293 states, the ISNs behind relative numbers,
// and Wireshark-style analysis (retransmissions, dup ACKs, zero windows …),
// and turns each Packet into Events: codes with typed arguments. It never
// writes prose; package annotate does.
//
// Start with Tracker.Process, which takes one grammar.Packet and returns a
// Result: the connection, which side sent the packet, the events, and both
// endpoints' states once the packet is delivered.
package fsm

// State is an endpoint's TCP state, named as netstat prints it.
type State uint8

// The RFC 9293 states, and Unknown: a state of knowledge, not of TCP. An
// endpoint is Unknown until the trace shows what it is (a connection seen
// mid-stream, a passive side that has not answered yet, a -q render).
const (
	Unknown State = iota // the trace has not shown it yet; JSON "UNKNOWN"
	Closed
	Listen
	SynSent
	SynRcvd
	Established
	FinWait1
	FinWait2
	CloseWait
	Closing
	LastAck
	TimeWait
	numStates
)

// StateNone is the old name of Unknown.
const StateNone = Unknown

var stateNames = [...]string{"UNKNOWN", "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"}

// String returns the netstat name of the state ("UNKNOWN" for Unknown).
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return ""
}

// Role says which side of a connection an endpoint is.
type Role uint8

// The two roles. In a simultaneous open the side whose SYN appears first is
// called the client.
const (
	Client Role = 0
	Server Role = 1
)

// String returns "client" or "server".
func (r Role) String() string {
	if r == Server {
		return "server"
	}
	return "client"
}

// Other returns the other role.
func (r Role) Other() Role { return 1 - r }

// Sequence numbers live in a 32-bit space that wraps (RFC 9293 §3.4): every
// comparison and difference is modulo 2^32.

// seqLT reports whether a comes before b.
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }

// seqLEQ reports whether a comes before or is b.
func seqLEQ(a, b uint32) bool { return int32(a-b) <= 0 }

// seqGT reports whether a comes after b.
func seqGT(a, b uint32) bool { return int32(a-b) > 0 }

// seqMax returns the later of a and b.
func seqMax(a, b uint32) uint32 {
	if seqGT(a, b) {
		return a
	}
	return b
}

// seqDist is the distance between a and b either way round.
func seqDist(a, b uint32) uint32 {
	d := a - b
	if int32(d) < 0 {
		return -d
	}
	return d
}
