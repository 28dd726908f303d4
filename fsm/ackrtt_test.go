package fsm

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// tsharkRTT is one frame of tshark-rtt.tsv (testdata/captures/tshark-rtt.sh):
// Wireshark's ACK RTT (µs), the frame it acknowledges, bytes in flight.
type tsharkRTT struct {
	rttUs, acks, inFlight int64
	hasRTT, hasInFlight   bool
	fragment              bool // an IP fragment before the last: no TCP header of its own
}

func readTsharkRTT(t testing.TB, path string) []tsharkRTT {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	col := map[string]int{}
	var out []tsharkRTT
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(col) == 0 {
			for i, c := range fs {
				col[c] = i
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(fs) {
				return fs[i]
			}
			return ""
		}
		var r tsharkRTT
		if v := get("tcp.analysis.ack_rtt"); v != "" {
			// seconds with nine decimals: read the digits, not a float
			sec, frac, _ := strings.Cut(v, ".")
			s, _ := strconv.ParseInt(sec, 10, 64)
			frac = (frac + "000000")[:6]
			us, _ := strconv.ParseInt(frac, 10, 64)
			r.rttUs, r.hasRTT = s*1_000_000+us, true
			r.acks, _ = strconv.ParseInt(get("tcp.analysis.acks_frame"), 10, 64)
		}
		if v := get("tcp.analysis.bytes_in_flight"); v != "" {
			r.inFlight, _ = strconv.ParseInt(v, 10, 64)
			r.hasInFlight = true
		}
		r.fragment = get("tcp.flags.str") == ""
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// ourRTT is what tcpnote says of one TCP record of a render.
type ourRTT struct {
	line                int
	rttUs, inFlight     int64
	ackedLine           int
	hasRTT, hasInFlight bool
	none                bool // Process returned nil: a later fragment
}

func analyseRTT(t testing.TB, path string) []ourRTT {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := grammar.NewScanner(f)
	tr := NewTracker()
	var out []ourRTT
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		res := tr.Process(&r.Packet, r.Line)
		tr.Due()
		if res == nil {
			out = append(out, ourRTT{line: r.Line, none: true})
			continue
		}
		out = append(out, ourRTT{line: r.Line, rttUs: res.AckRTTUs, ackedLine: res.AckedLine, hasRTT: res.HasAckRTT,
			inFlight: res.InFlight, hasInFlight: res.HasInFlight})
	}
	return out
}

// ackRTTDisagreements lists every packet where tcpnote's ACK RTT or bytes
// in flight differ from Wireshark's, with why (key: "capture frame").
// There are three classes.
var ackRTTDisagreements = map[string]string{
	// IP fragments. Wireshark reassembles the segment and shows it on the
	// last fragment: its frame, its time, its whole length, so the
	// segment's bytes in flight are there and the ACK of it is timed
	// from there. tcpdump prints the TCP header on the first fragment,
	// with that fragment's bytes only (IPv4 without -v does not even show
	// the later fragments' lengths: `ip-proto-6`), and tcpnote gives a
	// later fragment no result. So the first fragment has bytes in flight
	// of its own part, the last none, and the ACK, whose number lies
	// beyond the first fragment's end, matches no segment tcpnote listed
	// (fsm/fragment.go attributes the bytes; the ACK's round trip would
	// be timed from the first fragment, microseconds before Wireshark's
	// reference, anyway).
	"ipv4-frag 4":  frag1,
	"ipv4-frag 6":  fragN,
	"ipv4-frag 7":  fragAck,
	"ipv4-frag 10": fragN,
	"ipv4-frag 11": fragAck,
	"ipv4-frag 13": fragN,
	"ipv4-frag 14": fragAck,
	"ipv6-frag 4":  frag1,
	"ipv6-frag 6":  fragN,
	"ipv6-frag 7":  fragAck,
	"ipv6-frag 10": fragN,
	"ipv6-frag 11": fragAck,
	"ipv6-frag 12": fragN,
	// tcpdump -i any on a bridge: the second copy of a data segment on
	// the other interface. Wireshark lists it as a retransmission and
	// gives it bytes in flight; tcpnote knows it for a copy (trace.copy)
	// and gives it none. The ACK RTTs agree: both time the ACK from the
	// first copy.
	"any-bridge 8":  "a copy on the other interface (-i any) is no segment of its own",
	"any-bridge 12": "a copy on the other interface (-i any) is no segment of its own",
	// A flagless byte on a 4-tuple a RST closed (crafted/truth.md):
	// tcpnote opens a new record, whose one byte is its whole flight.
	// Wireshark keeps the closed session's list, which still holds that
	// session's SYN-ACK (the RST carried no ACK): from the SYN-ACK's
	// 123456789 to 666667 the span wraps past 2^31, over Wireshark's
	// 2,000,000,000 bound, so it shows none.
	"crafted 10": "a new record after a RST: its byte is its whole flight; Wireshark's span reaches back to the closed session's SYN-ACK",
}

const (
	frag1   = "IP fragments: tcpdump prints the segment on its first fragment, with that fragment's bytes"
	fragN   = "IP fragments: Wireshark shows the reassembled segment on its last fragment, which tcpnote gives no result"
	fragAck = "IP fragments: the ACK of a reassembled segment matches none of the first fragments tcpnote listed"
)

// TestAckRTTMatchesTshark compares, packet by packet, tcpnote's ACK RTT
// (to the microsecond, and the frame it acknowledges) and bytes in flight
// (to the byte) on the -nn -S render of every capture with Wireshark's
// (tshark-rtt.tsv). Every disagreement must be listed, with its reason,
// in ackRTTDisagreements.
func TestAckRTTMatchesTshark(t *testing.T) {
	var compared, agree, rttN, flightN int
	explained := map[string]int{}
	seen := map[string]bool{}
	for _, name := range captureNames(t) {
		want := readTsharkRTT(t, filepath.Join(capturesDir, name, "tshark-rtt.tsv"))
		if want == nil {
			continue
		}
		got := analyseRTT(t, filepath.Join(capturesDir, name, "nn+S.txt"))
		if len(got) != len(want) {
			t.Errorf("%s: %d TCP records, tshark has %d frames", name, len(got), len(want))
			continue
		}
		frameOf := map[int]int{} // input line → frame
		for i, g := range got {
			frameOf[g.line] = i + 1
		}
		for i := range got {
			g, w := got[i], want[i]
			compared++
			var problems []string
			if g.hasRTT != w.hasRTT || g.hasRTT && (g.rttUs != w.rttUs || int64(frameOf[g.ackedLine]) != w.acks) {
				problems = append(problems, fmt.Sprintf("ack_rtt %s, tshark %s", showRTT(g.hasRTT, g.rttUs, int64(frameOf[g.ackedLine])), showRTT(w.hasRTT, w.rttUs, w.acks)))
			}
			if g.hasInFlight != w.hasInFlight || g.inFlight != w.inFlight {
				problems = append(problems, fmt.Sprintf("bytes_in_flight %s, tshark %s", showN(g.hasInFlight, g.inFlight), showN(w.hasInFlight, w.inFlight)))
			}
			if len(problems) == 0 {
				agree++
				if w.hasRTT {
					rttN++
				}
				if w.hasInFlight {
					flightN++
				}
				continue
			}
			key := fmt.Sprintf("%s %d", name, i+1)
			reason, ok := ackRTTDisagreements[key]
			seen[key] = true
			if !ok {
				t.Errorf("%s: %s", key, strings.Join(problems, "; "))
				continue
			}
			explained[reason]++
		}
	}
	for key := range ackRTTDisagreements {
		if !seen[key] {
			t.Errorf("%s is listed as a disagreement but agrees (or is gone): drop it", key)
		}
	}
	t.Logf("%d packets compared: %d agree (%d with an ACK RTT, %d with bytes in flight), %d differ", compared, agree, rttN, flightN, compared-agree)
	var reasons []string
	for r := range explained {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("  %4d %s", explained[r], r)
	}
	if agree < compared*9/10 {
		t.Errorf("only %d of %d packets agree with tshark", agree, compared)
	}
}

func showRTT(ok bool, us, frame int64) string {
	if !ok {
		return "none"
	}
	return fmt.Sprintf("%d µs (frame %d)", us, frame)
}

func showN(ok bool, n int64) string {
	if !ok {
		return "none"
	}
	return strconv.FormatInt(n, 10)
}

// TestAckRTTRendersAgree checks that the ACK RTT and bytes in flight do
// not depend on how tcpdump printed the trace: relative numbers (-nn
// without -S), -v's IP header (the connection grows at its SYN), -vv,
// -e, -tttt and the timestamp forms -ttt, -ttttt, -# -ttt give what -nn -S
// gives, packet for packet (line numbers aside: -v prints two lines a
// packet). -q has no numbers and -x/-X/-A only add dumps, so their values
// are either none or the same.
func TestAckRTTRendersAgree(t *testing.T) {
	checked := 0
	for _, name := range captureNames(t) {
		ref := analyseRTT(t, filepath.Join(capturesDir, name, "nn+S.txt"))
		renders, _ := filepath.Glob(filepath.Join(capturesDir, name, "*.txt"))
		for _, path := range renders {
			render := strings.TrimSuffix(filepath.Base(path), ".txt")
			if render == "nn+S" || render == "nn+q" {
				continue
			}
			if _, ok := ambiguousTimes[name+"/"+render]; ok {
				continue // read as the other timestamp form: other times
			}
			got := analyseRTT(t, path)
			if len(got) != len(ref) {
				continue // TestRendersAgree reports it
			}
			// the acked line's index, not its number, is what must agree
			index := func(rs []ourRTT) map[int]int {
				m := map[int]int{}
				for i, r := range rs {
					m[r.line] = i
				}
				return m
			}
			gi, ri := index(got), index(ref)
			for i := range got {
				g, r := got[i], ref[i]
				if g.hasRTT != r.hasRTT || g.rttUs != r.rttUs || g.hasRTT && gi[g.ackedLine] != ri[r.ackedLine] ||
					g.hasInFlight != r.hasInFlight || g.inFlight != r.inFlight {
					t.Errorf("%s/%s: packet %d: rtt %v %d µs (packet %d), in flight %v %d; nn+S: %v %d µs (packet %d), %v %d", name, render, i+1,
						g.hasRTT, g.rttUs, gi[g.ackedLine]+1, g.hasInFlight, g.inFlight, r.hasRTT, r.rttUs, ri[r.ackedLine]+1, r.hasInFlight, r.inFlight)
					break
				}
			}
			checked++
		}
	}
	t.Logf("%d renders give -nn -S's ACK RTTs and bytes in flight", checked)
}
