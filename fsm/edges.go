package fsm

// Every state tcpnote gives an endpoint is written by one function, move,
// and every change it makes is one of three kinds: an edge of RFC 9293's
// state diagram (Figure 5) that the packet causes; an inference, where an
// endpoint the trace had not shown yet (Unknown) becomes what a segment
// proves; or a correction, where a later packet refutes what the textbook
// convention assumed (a segment delivered) and the state is put back. Any
// other change is a bug: move refuses it and counts it (Tracker.OffEdge),
// and the tests over every trace in testdata require the count to stay 0.

// How says how a state change is known.
type How uint8

// The kinds of state change.
const (
	// HowEdge is a transition of RFC 9293's diagram caused by this packet.
	HowEdge How = iota + 1
	// HowInferred gives an endpoint whose state was Unknown the state a
	// segment proves.
	HowInferred
	// HowCorrected puts back a state the trace now shows was never left:
	// the segment assumed delivered was not accepted.
	HowCorrected
)

var howNames = [...]string{"", "edge", "inferred", "corrected"}

// String names the kind as JSON writes it.
func (h How) String() string {
	if int(h) < len(howNames) {
		return howNames[h]
	}
	return ""
}

// Why is the evidence behind an inference or a correction.
type Why uint8

// The reasons an inferred or corrected state is given.
const (
	WhyNone Why = iota
	// inferences
	WhyAnswersSYN    // its SYN-ACK shows it was listening
	WhyRefuses       // its RST answering the SYN shows nothing listened
	WhySendsSYNACK   // it sends a SYN-ACK: it received a SYN (not in the trace)
	WhyAcksSYNACK    // it acknowledges a SYN-ACK: it had sent the SYN (not in the trace)
	WhyDataBothWays  // it sends data and the peer does too, with ACKs: both are open
	WhyAcksFIN       // it acknowledges the peer's FIN and has not closed
	WhyFINAfterPeers // its FIN acknowledges the peer's FIN: it is the passive closer
	WhyFINPeerOpen   // it sends a FIN while the peer still sends data: the active closer
	WhySendsRST      // it sends a RST: it holds no connection afterwards
	WhySendsSYN      // it sends a SYN of its own
	// corrections
	WhyFINNotAccepted   // the receiver's ack stays below the FIN
	WhyFINCrossed       // the receiver's own FIN does not acknowledge it: sent before it arrived
	WhyRSTIgnored       // the receiver keeps sending after the RST
	WhySYNACKLost       // the client retransmits its SYN: the SYN-ACK never arrived
	WhyHandshakeAckLost // the listener retransmits its SYN-ACK: the 3rd handshake was not accepted
	WhyFINHeld          // the receiver SACKs the FIN but its ack stays below it: held out of order
	WhyNoConnection     // its first segment is a RST answering the peer's: it had no connection

	// NumWhy is one more than the largest reason: a size for tables.
	NumWhy
)

var whyNames = [...]string{"", "answers_syn", "refuses", "sends_synack", "acks_synack", "data_both_ways",
	"acks_fin", "fin_after_peers", "fin_peer_open", "sends_rst", "sends_syn",
	"fin_not_accepted", "fin_crossed", "rst_ignored", "synack_lost", "handshake_ack_lost", "fin_held", "no_connection"}

// String names the reason as JSON writes it.
func (w Why) String() string {
	if int(w) < len(whyNames) {
		return whyNames[w]
	}
	return ""
}

// Step is one state change of one endpoint.
type Step struct {
	To  State
	How How
	Why Why
}

// maxSteps bounds the state changes of one endpoint in one packet (a
// crossing FIN: correction, FIN_WAIT_1, CLOSING).
const maxSteps = 4

// Path is the state changes of one endpoint in one packet, from the
// Result's Before state; the last step's To is the After state.
type Path struct {
	N     uint8
	Steps [maxSteps]Step
}

// edges is RFC 9293's Figure 5, plus the RST that takes a synchronized
// state, SYN_SENT or SYN_RCVD to CLOSED (§3.10.7.x), indexed [from][to].
var edges = func() (e [numStates][numStates]bool) {
	for _, p := range [...][2]State{
		{Closed, Listen}, {Closed, SynSent}, // passive OPEN, active OPEN
		{Listen, SynRcvd}, {Listen, SynSent}, // rcv SYN; SEND
		{SynSent, SynRcvd}, {SynSent, Established}, {SynSent, Closed}, // simultaneous open; rcv SYN-ACK; CLOSE
		{SynRcvd, Established}, {SynRcvd, FinWait1}, {SynRcvd, Listen}, {SynRcvd, Closed}, // rcv ACK; CLOSE; RST (passive); RST (active)
		{Established, FinWait1}, {Established, CloseWait}, // CLOSE; rcv FIN
		{FinWait1, FinWait2}, {FinWait1, Closing}, {FinWait1, TimeWait}, // rcv ACK of FIN; rcv FIN; rcv FIN+ACK
		{FinWait2, TimeWait}, {Closing, TimeWait}, // rcv FIN; rcv ACK of FIN
		{CloseWait, LastAck}, {LastAck, Closed}, {TimeWait, Closed}, // CLOSE; rcv ACK of FIN; 2MSL
		// RST (or an abort) in a synchronized state
		{Established, Closed}, {FinWait1, Closed}, {FinWait2, Closed}, {CloseWait, Closed}, {Closing, Closed},
	} {
		e[p[0]][p[1]] = true
	}
	return e
}()

// IsEdge reports whether from → to is an edge of RFC 9293's state diagram
// (or an RST's way to CLOSED).
func IsEdge(from, to State) bool {
	return from < numStates && to < numStates && edges[from][to]
}

// Synchronized reports whether a state is one of RFC 9293's synchronized
// states (the handshake has completed for this endpoint).
func (s State) Synchronized() bool { return s >= Established && s <= TimeWait }

// move changes an endpoint's state and records the step on the packet's
// Result. An edge must be one of the diagram's; an inference must start
// from Unknown; a correction may go anywhere but to Unknown. Anything else
// is refused, counted, and leaves the state as it was.
func (t *Tracker) move(c *Conn, r Role, to State, how How, why Why) {
	from := c.state[r]
	if from == to && how != HowCorrected {
		return
	}
	ok := false
	switch how {
	case HowEdge:
		ok = IsEdge(from, to)
	case HowInferred:
		ok = from == Unknown && to != Unknown
	case HowCorrected:
		ok = to != Unknown && from != to
	}
	if !ok {
		t.offEdge++
		return
	}
	c.state[r] = to
	if c.Self {
		// a socket connected to itself is one endpoint under two
		// names: the server role mirrors the client's state, and the
		// path is the client's alone
		c.state[r.Other()] = to
	}
	if t.cur.Conn == c {
		if c.Self {
			r = Client
		}
		t.addStep(r, Step{to, how, why})
	}
}

// addStep appends a state change to the packet's path of an endpoint.
func (t *Tracker) addStep(r Role, s Step) {
	p := &t.cur.Path[r]
	if int(p.N) < maxSteps {
		p.Steps[p.N] = s
		p.N++
		return
	}
	p.Steps[maxSteps-1] = s
}

// edge moves an endpoint along an edge of the diagram.
func (t *Tracker) edge(c *Conn, r Role, to State) { t.move(c, r, to, HowEdge, WhyNone) }

// advance moves an endpoint whose state is known along an edge: the
// sender of a segment at once, its receiver as if the segment was
// delivered (the textbook convention, corrected when the trace refutes
// it). An Unknown endpoint stays unknown until its own segments show what
// it is (infer). An endpoint a RST closed moves no further: a segment that
// was in flight across the RST changes no state (afterReset puts the
// states back if the trace shows the RST was not accepted).
func (t *Tracker) advance(c *Conn, r Role, to State) {
	s := c.state[r]
	if s == Unknown || s == Closed && c.closeKind == closeReset {
		return
	}
	t.edge(c, r, to)
}

// OffEdge returns how many state changes were refused because they are no
// edge of the diagram, no inference and no correction: a bug in fsm, which
// the tests require never to happen.
func (t *Tracker) OffEdge() int { return t.offEdge }

// infer gives each endpoint still Unknown the state its segments prove,
// if they prove one yet. It runs after every segment.
func (t *Tracker) infer(c *Conn) {
	if c.quiet {
		return
	}
	for r := Client; r <= Server; r++ {
		if c.state[r] != Unknown {
			continue
		}
		if s, why := c.proven(r); s != Unknown {
			t.move(c, r, s, HowInferred, why)
		}
	}
}

// proven is the state an endpoint's own segments prove, or Unknown. An
// endpoint that sends ACKs is synchronized; data it sends shows it has not
// closed; its FIN and what that FIN's ack covers tell which closer it is.
// The receiver's side of a segment is taken as delivered, as for known
// endpoints.
func (c *Conn) proven(r Role) (State, Why) {
	f, o := &c.flows[r], &c.flows[r.Other()]
	if !f.hasAck {
		return Unknown, WhyNone
	}
	switch {
	case f.fin && f.passiveFIN:
		// its FIN acknowledged the peer's: it was in CLOSE_WAIT
		if f.finAcked {
			return Closed, WhyFINAfterPeers
		}
		return LastAck, WhyFINAfterPeers
	case f.fin && (o.dataSeen && !o.fin || o.passiveFIN):
		// it closed while the peer was open: the active closer
		s := FinWait1
		if f.finAcked {
			s = FinWait2
		}
		if o.fin {
			if s == FinWait1 {
				s = Closing
			} else {
				s = TimeWait
			}
		}
		return s, WhyFINPeerOpen
	case !f.fin && f.dataSeen && o.fin && seqGT(f.lastAck, o.finSeq):
		return CloseWait, WhyAcksFIN
	case !f.fin && !o.fin && f.dataSeen && o.dataSeen && o.hasAck:
		return Established, WhyDataBothWays
	}
	return Unknown, WhyNone
}
