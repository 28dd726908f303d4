package fsm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// results runs a file through the tracker and returns each TCP record's
// events (codes) and states; a later fragment of no segment gets none.
func results(t *testing.T, path string) (codes []string, states [][2]State, raws []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := grammar.NewScanner(f)
	tr := NewTracker()
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		res := tr.Process(&r.Packet, r.Line)
		var cs []string
		var st [2]State
		if res != nil {
			for _, e := range res.Events {
				cs = append(cs, e.Code.String())
			}
			st = res.After
		}
		codes = append(codes, " "+strings.Join(cs, " ")+" ")
		states = append(states, st)
		raws = append(raws, string(r.Raw))
	}
	return codes, states, raws
}

// TestFragmentsAreNotImpossible checks every render of the fragment
// captures, and the issue's renders: no lint finding, no "acknowledges
// bytes not in this trace", no lost segment because of fragmentation; the
// later fragments are given to their segment.
func TestFragmentsAreNotImpossible(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(capturesDir, "ipv[46]-frag", "*.txt"))
	paths = append(paths, "../testdata/renders/ipv4_frag.txt", "../testdata/renders/ip6_frag.txt")
	for _, path := range paths {
		codes, _, raws := results(t, path)
		frags := 0
		for i, c := range codes {
			for _, bad := range []string{" lint.", " acked_unseen ", " lost_segment "} {
				if strings.Contains(c, bad) {
					t.Errorf("%s: %q:%s", path, raws[i], c)
				}
			}
			if strings.Contains(c, " ip.fragment ") {
				frags++
			}
		}
		if frags == 0 && !strings.Contains(path, "+q") {
			t.Errorf("%s: no fragment explained", path)
		}
	}
}

// TestFragmentReassembly checks that where tcpdump shows the fragments'
// offsets and lengths the segment's bytes are counted whole: the ACK that
// follows acknowledges exactly them.
func TestFragmentReassembly(t *testing.T) {
	for _, path := range []string{"ipv6-frag/nn+S.txt", "ipv4-frag/nn+S+v.txt"} {
		codes, _, raws := results(t, filepath.Join(capturesDir, path))
		for i, c := range codes {
			if strings.Contains(c, " ack.fragmented ") {
				t.Errorf("%s: %q: the fragments' lengths were printed, yet bytes were unattributed", path, raws[i])
			}
		}
	}
	codes, _, _ := results(t, filepath.Join(capturesDir, "ipv4-frag/nn.txt"))
	n := 0
	for _, c := range codes {
		if strings.Contains(c, " ack.fragmented ") {
			n++
		}
	}
	if n != 3 { // three fragmented segments, each acknowledged
		t.Errorf("ipv4-frag -nn: %d acks of unattributed fragment bytes, want 3", n)
	}
}

// TestOverAckedFIN checks the ACK above FIN + 1 (`ack 201` in
// overack_wrap.txt): it acknowledges what was never sent, so it does not
// acknowledge the FIN either: no "last ACK = FIN + 1", the server stays in
// LAST_ACK until the RST.
func TestOverAckedFIN(t *testing.T) {
	codes, states, raws := results(t, "../testdata/renders/overack_wrap.txt")
	found := false
	for i, raw := range raws {
		if !strings.Contains(raw, "ack 201,") {
			continue
		}
		found = true
		if strings.Contains(codes[i], " close.final_ack ") || strings.Contains(codes[i], " close.fin_ack ") {
			t.Errorf("over-ack taken for the FIN's ACK: %s", codes[i])
		}
		if !strings.Contains(codes[i], " lint.ack_unsent ") {
			t.Errorf("over-ack not flagged: %s", codes[i])
		}
		if states[i][Server] != LastAck {
			t.Errorf("server %v after the over-ack, want LAST_ACK", states[i][Server])
		}
	}
	if !found {
		t.Fatal("no `ack 201` line")
	}
}

// TestSYNDataIsNotTFO checks a SYN that carries data without a Fast Open
// option (syn-data), and that the Fast Open capture (tfo) is still called
// Fast Open.
func TestSYNDataIsNotTFO(t *testing.T) {
	codes, _, _ := results(t, filepath.Join(capturesDir, "syn-data/nn+S.txt"))
	if !strings.Contains(codes[0], " syn.data ") {
		t.Errorf("syn-data: SYN %s, want syn.data", codes[0])
	}
	tfo, _, _ := results(t, filepath.Join(capturesDir, "tfo/nn+S.txt"))
	for _, c := range tfo {
		if strings.Contains(c, " syn.data ") {
			t.Errorf("tfo: %s: a Fast Open SYN called SYN data", c)
		}
	}
}

// TestECNMarks checks the CE marks (-v only), the receiver's ECE echoes and
// the sender's CWR in the ecn-ce capture.
func TestECNMarks(t *testing.T) {
	count := func(path, code string) int {
		codes, _, _ := results(t, filepath.Join(capturesDir, path))
		n := 0
		for _, c := range codes {
			if strings.Contains(c, " "+code+" ") {
				n++
			}
		}
		return n
	}
	if n := count("ecn-ce/nn+S+v.txt", "ecn.ce"); n != 3 {
		t.Errorf("%d CE marks, want 3 (one per message)", n)
	}
	if n := count("ecn-ce/nn+S.txt", "ecn.ce"); n != 0 {
		t.Errorf("%d CE marks without -v, want 0", n)
	}
	if n := count("ecn-ce/nn+S.txt", "ecn.echo"); n < 3 {
		t.Errorf("%d ECE echoes, want at least 3", n)
	}
	if n := count("ecn-ce/nn+S.txt", "ecn.cwr"); n != 2 {
		t.Errorf("%d CWR, want 2", n)
	}
	if n := count("ecn/nn+S.txt", "ecn.echo") + count("ecn/nn+S.txt", "ecn.cwr"); n != 0 {
		t.Errorf("ecn (no marks): %d echoes", n)
	}
}
