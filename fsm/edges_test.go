package fsm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// everyTrace lists every trace in testdata: each capture under every
// render, the corpus (rendered captures, tcpdump's own test outputs, old
// versions, seeds), the damaged copies and the wrap traces.
func everyTrace(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, root := range []string{"../testdata/captures", "../testdata/corpus", "../testdata/damaged", "../testdata/wrap"} {
		filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && !strings.HasSuffix(path, ".md") && !strings.HasSuffix(path, ".pcap") &&
				!strings.HasSuffix(path, ".sh") && !strings.HasSuffix(path, ".tsv") && !strings.HasSuffix(path, ".py") {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) < 100 {
		t.Fatalf("only %d traces found", len(files))
	}
	return files
}

// checkPath reports what is wrong with one endpoint's state changes in one
// packet, or "".
func checkPath(before, after State, p *Path) string {
	s := before
	for i := 0; i < int(p.N); i++ {
		st := p.Steps[i]
		switch st.How {
		case HowEdge:
			if !IsEdge(s, st.To) {
				return s.String() + " → " + st.To.String() + " is no edge"
			}
		case HowInferred:
			if s != Unknown {
				return "inferred " + st.To.String() + " from " + s.String() + ", not from UNKNOWN"
			}
			if st.Why == WhyNone {
				return "an inference without evidence"
			}
		case HowCorrected:
			if st.Why == WhyNone {
				return "a correction without evidence"
			}
		default:
			return "a step of no kind"
		}
		if (s == Closed || s == Listen) && st.To.Synchronized() && st.How != HowCorrected {
			return s.String() + " straight to " + st.To.String()
		}
		s = st.To
	}
	if s != after {
		return "the path ends in " + s.String() + ", the state is " + after.String()
	}
	return ""
}

// TestEveryStateChangeIsAnEdge reads every trace in testdata and requires
// each endpoint's state changes to be edges of RFC 9293's diagram,
// inferences from UNKNOWN or corrections, never CLOSED or LISTEN straight to
// a synchronized state, and no change refused by move (a bug in fsm). The
// default tier reads a sample (every capture's -nn render among it);
// TCPNOTE_EXHAUSTIVE=1 reads every trace.
func TestEveryStateChangeIsAnEdge(t *testing.T) {
	files := sample(t, "traces", everyTrace(t), 4, "/nn.txt")
	packets := 0
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s := grammar.NewScanner(f)
		tr := NewTracker()
		bad := 0
		for s.Scan() {
			r := s.Record()
			if r.Kind != grammar.TCP {
				continue
			}
			packets++
			res := tr.Process(&r.Packet, r.Line)
			if res == nil {
				continue // a later IP fragment of no segment in the trace
			}
			for role := Client; role <= Server; role++ {
				if role == Server && res.Conn.Self {
					continue // one socket: the client's path is its own
				}
				if msg := checkPath(res.Before[role], res.After[role], &res.Path[role]); msg != "" && bad < 3 {
					bad++
					t.Errorf("%s:%d: %s: %s", path, r.Line, role, msg)
				}
			}
		}
		f.Close()
		if n := tr.OffEdge(); n > 0 {
			t.Errorf("%s: %d state changes refused as no edge", path, n)
		}
	}
	t.Logf("%d traces, %d packets", len(files), packets)
}

func TestEdgeSet(t *testing.T) {
	for _, c := range []struct {
		from, to State
		want     bool
	}{
		{Closed, SynSent, true}, {Listen, SynRcvd, true}, {SynSent, SynRcvd, true},
		{FinWait1, Closing, true}, {Closing, TimeWait, true}, {FinWait1, TimeWait, true},
		{Established, Closed, true}, {TimeWait, Closed, true},
		{CloseWait, Closing, false}, {Listen, Established, false}, {Closed, Established, false},
		{Established, SynRcvd, false}, {SynRcvd, CloseWait, false}, {Unknown, Established, false},
		{Listen, Closed, false},
	} {
		if got := IsEdge(c.from, c.to); got != c.want {
			t.Errorf("IsEdge(%s, %s) = %v", c.from, c.to, got)
		}
	}
}

// TestMoveRefusesOffEdge checks that move itself refuses a change that is
// no edge, and counts it.
func TestMoveRefusesOffEdge(t *testing.T) {
	tr := NewTracker()
	c := &Conn{}
	c.state = [2]State{CloseWait, Established}
	tr.edge(c, Client, Closing)
	if c.state[Client] != CloseWait || tr.OffEdge() != 1 {
		t.Errorf("CLOSE_WAIT → CLOSING: state %s, refused %d", c.state[Client], tr.OffEdge())
	}
	tr.move(c, Server, FinWait1, HowInferred, WhyFINPeerOpen)
	if c.state[Server] != Established || tr.OffEdge() != 2 {
		t.Errorf("an inference from ESTABLISHED: state %s, refused %d", c.state[Server], tr.OffEdge())
	}
	tr.move(c, Client, Established, HowCorrected, WhyFINCrossed)
	if c.state[Client] != Established || tr.OffEdge() != 2 {
		t.Errorf("a correction: state %s, refused %d", c.state[Client], tr.OffEdge())
	}
}
