package fsm

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// pathString writes an endpoint's changes in one packet for comparison:
// "corrected ESTABLISHED, FIN_WAIT_1, CLOSING" (edges bare, the other
// kinds prefixed).
func pathString(p *Path) string {
	var parts []string
	for i := 0; i < int(p.N); i++ {
		s := p.Steps[i]
		w := s.To.String()
		if s.How != HowEdge {
			w = s.How.String() + " " + w
		}
		parts = append(parts, w)
	}
	return strings.Join(parts, ", ")
}

// packetStates is one packet's codes and both endpoints' paths and states.
type packetStates struct {
	line           int
	codes          string
	client, server string // paths
	after          [2]State
	self           bool
}

func traceStates(t *testing.T, r *strings.Reader) []packetStates {
	t.Helper()
	s := grammar.NewScanner(r)
	tr := NewTracker()
	var out []packetStates
	for s.Scan() {
		rec := s.Record()
		if rec.Kind != grammar.TCP {
			continue
		}
		res := tr.Process(&rec.Packet, rec.Line)
		if res == nil {
			continue // a later IP fragment of no segment in the trace (-q follows none)
		}
		var codes []string
		for _, e := range res.Events {
			codes = append(codes, e.Code.String())
		}
		out = append(out, packetStates{rec.Line, strings.Join(codes, " "), pathString(&res.Path[Client]), pathString(&res.Path[Server]), res.After, res.Conn.Self})
	}
	if n := tr.OffEdge(); n != 0 {
		t.Errorf("%d changes refused as no edge", n)
	}
	return out
}

func captureStates(t *testing.T, name, render string) []packetStates {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(capturesDir, name, render))
	if err != nil {
		t.Fatal(err)
	}
	return traceStates(t, strings.NewReader(string(b)))
}

// TestStatesFollowTheEvidence checks, on real captures (their truth.md
// says what happened), that states are claimed only as far as the trace
// shows them.
func TestStatesFollowTheEvidence(t *testing.T) {
	type want struct {
		capture string
		packet  int    // 1-based TCP record
		code    string // must be among the codes ("" none)
		client  string // the client's path ("-" any)
		server  string
	}
	for _, w := range []want{
		// a SYN says nothing of the passive side; its SYN-ACK shows it
		// was listening
		{"three-way-close", 1, "handshake.syn", "SYN_SENT", ""},
		{"three-way-close", 2, "handshake.synack", "ESTABLISHED", "inferred LISTEN, SYN_RCVD"},
		// a RST answering the SYN: nothing listened, CLOSED throughout
		{"refused", 2, "rst.refused", "CLOSED", "inferred CLOSED"},
		// no answer at all: the server stays unknown
		{"syn-retry-linear", 7, "handshake.syn_retransmit", "", ""},
		// crossing FINs: the client's FIN does not ack the server's, so it
		// was sent from ESTABLISHED
		{"simultaneous-close", 7, "close.simultaneous", "corrected ESTABLISHED, FIN_WAIT_1, CLOSING", "CLOSING"},
		{"simultaneous-close", 8, "close.fin_ack", "TIME_WAIT", ""},
		{"simultaneous-close", 9, "close.fin_ack", "", "TIME_WAIT"},
		// mid-stream: nothing until data and ACKs have gone both ways
		{"midstream", 1, "trace.midstream", "", ""},
		{"midstream", 2, "data", "inferred ESTABLISHED", "inferred ESTABLISHED"},
		// the listener retransmits its SYN-ACK after the 3rd handshake
		{"synack-retry", 4, "handshake.synack_retransmit", "-", "corrected SYN_RCVD"},
		{"accept-queue-full", 7, "handshake.ack_dropped", "", "corrected SYN_RCVD"},
		// crafted: a second SYN-ACK with a new ISN changes nothing
		{"crafted", 4, "handshake.synack_new_isn", "", ""},
		{"crafted", 7, "handshake.synack_unsolicited", "", "inferred SYN_RCVD"},
		{"crafted", 8, "rst.no_connection", "inferred CLOSED", "CLOSED"},
		{"crafted", 9, "segment.no_flags", "", ""},
		{"crafted", 10, "trace.after_reset", "", ""},
		{"crafted", 11, "rst.no_connection", "inferred CLOSED", ""},
		// the RST scapy injected is ignored: the client goes on
		{"crafted", 20, "rst.ignored", "corrected ESTABLISHED", "corrected ESTABLISHED"},
		{"data-after-close", 11, "rst.data_after_close", "CLOSED", "CLOSED"},
		{"rst-after-fins", 10, "rst.after_close", "CLOSED", ""},
		{"self-connect", 1, "handshake.self_connect", "SYN_SENT, SYN_RCVD", ""},
		{"self-connect", 6, "close.fin", "FIN_WAIT_1, CLOSING", ""},
		{"self-connect", 7, "close.fin_ack", "TIME_WAIT", ""},
	} {
		ps := captureStates(t, w.capture, "nn+S.txt")
		if w.packet > len(ps) {
			t.Errorf("%s: no packet %d", w.capture, w.packet)
			continue
		}
		p := ps[w.packet-1]
		got := fmt.Sprintf("%s packet %d: codes %q, client %q, server %q", w.capture, w.packet, p.codes, p.client, p.server)
		if w.code != "" && !strings.Contains(" "+p.codes+" ", " "+w.code+" ") ||
			w.client != "-" && p.client != w.client || w.server != "-" && p.server != w.server {
			t.Errorf("%s; want %s, client %q, server %q", got, w.code, w.client, w.server)
		}
	}
}

// TestQuietClaimsNothing: a -q render shows no flags, so no handshake,
// close or state is claimed, and each connection says once what -q hides.
func TestQuietClaimsNothing(t *testing.T) {
	for _, name := range captureNames(t) {
		ps := captureStates(t, name, "nn+q.txt")
		quiet := 0
		for _, p := range ps {
			quiet += strings.Count(p.codes, "trace.quiet")
			if p.after != [2]State{} || p.client != "" || p.server != "" {
				t.Errorf("%s -q line %d: a state claimed: %v %q %q", name, p.line, p.after, p.client, p.server)
			}
			if strings.Contains(p.codes, "handshake") || strings.Contains(p.codes, "close") || strings.Contains(p.codes, "rst") {
				t.Errorf("%s -q line %d: %s", name, p.line, p.codes)
			}
		}
		if quiet == 0 {
			t.Errorf("%s -q: no trace.quiet note", name)
		}
		_, conns := analyseFile(t, filepath.Join(capturesDir, name, "nn+q.txt"))
		for _, c := range conns {
			if s := c.Summary(); s.ConnState != "" || s.History != "" || s.HasClose || !s.Quiet {
				t.Errorf("%s -q: connection #%d claims conn_state %q, history %q, close %q", name, c.ID, s.ConnState, s.History, s.Close)
			}
		}
	}
}

// TestFINNotAccepted: a FIN the receiver only SACKs (its ack stays below
// the FIN) is corrected at once; the ack that covers it moves the receiver
// to CLOSE_WAIT then. A FIN sent again and never acknowledged was not
// accepted either. (A hand-made trace in tcpdump 4.99's shape.)
func TestFINNotAccepted(t *testing.T) {
	trace := `10:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,nop,wscale 7], length 0
10:00:00.010000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,sackOK,nop,wscale 7], length 0
10:00:00.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5001, win 502, length 0
10:00:00.030000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100
10:00:00.031000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [FP.], seq 1101:1201, ack 5001, win 502, length 100
10:00:00.040000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1001, win 509, options [sack 1 {1101:1202}], length 0
10:00:00.250000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100
10:00:00.260000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1202, win 509, length 0
`
	ps := traceStates(t, strings.NewReader(trace))
	if got := ps[4].server; got != "CLOSE_WAIT" {
		t.Errorf("the FIN, as if delivered: server %q", got)
	}
	if got := ps[5].server; got != "corrected ESTABLISHED" {
		t.Errorf("the FIN only SACKed: server %q", got)
	}
	if got := ps[7].server; got != "CLOSE_WAIT" {
		t.Errorf("the ack covering the FIN: server %q", got)
	}
	resent := `10:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, length 0
10:00:00.010000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, length 0
10:00:00.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5001, win 502, length 0
10:00:00.030000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1001, ack 5001, win 502, length 0
10:00:00.040000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [P.], seq 5001:5101, ack 1001, win 509, length 100
10:00:00.250000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1001, ack 5101, win 502, length 0
`
	ps = traceStates(t, strings.NewReader(resent))
	if got := ps[5].server; got != "corrected ESTABLISHED, CLOSE_WAIT" {
		t.Errorf("the FIN sent again, never acknowledged: server %q", got)
	}
}

// TestMidstreamClose: in a trace that starts mid-stream, endpoints stay
// unknown until their segments prove a state; a close then proves each
// side's (a hand-made trace in tcpdump 4.99's shape: one-way data, the
// client closes first, the server's FIN acknowledges the client's).
func TestMidstreamClose(t *testing.T) {
	trace := `10:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100
10:00:00.010000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, length 0
10:00:00.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1101, ack 5001, win 502, length 0
10:00:00.030000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1102, win 509, length 0
10:00:00.040000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [F.], seq 5001, ack 1102, win 509, length 0
10:00:00.050000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5002, win 502, length 0
`
	ps := traceStates(t, strings.NewReader(trace))
	want := [][2]string{
		{"", ""}, // one-way data proves neither side open: the server may have closed before the trace
		{"", ""},
		{"", ""}, // a FIN, but was the server still open? not shown yet
		{"", ""},
		{"inferred TIME_WAIT", "inferred LAST_ACK"}, // its FIN acks the client's: the passive closer; so the client closed first
		{"", "CLOSED"},
	}
	for i, w := range want {
		if ps[i].client != w[0] || ps[i].server != w[1] {
			t.Errorf("packet %d: client %q, server %q; want %q, %q", i+1, ps[i].client, ps[i].server, w[0], w[1])
		}
	}
}
