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

// The captures in testdata/captures are real connections made on loopback
// by testdata/captures/make.sh, each rendered by tcpdump under many flag
// sets, with tshark's per-packet analysis beside them (tshark.tsv) and the
// ground truth written before capturing (truth.md).
const capturesDir = "../testdata/captures"

// view is what must not depend on how tcpdump printed a packet: its event
// codes (less the ones that explain the line's form) and both states.
type view struct {
	codes          string
	client, server State
	// timing is what the packet's time decides: the handshake's round
	// trip, a retry's gap, a delayed ACK's delay (µs). Every render with
	// timestamps must agree on it, whatever their form (-ttt, -ttttt, -#,
	// -tt, -e -v …).
	timing string
}

// formCodes explain how tcpdump printed the line, not what the packet did,
// so they differ between renders by design.
var formCodes = map[Code]bool{
	IPHeader: true, ChecksumOffload: true, TraceRelativeSeq: true,
	// Whether tcpdump showed a fragment's length (IPv6, IPv4 -v) or not
	// decides between reassembling and an ack of unattributed bytes; which
	// timestamp form a render has decides the reading note.
	IPFragment: true, AckFragmented: true, TraceTimeReading: true,
	ECNCongestion: true, // the CE mark shows only in -v's tos
}

func analyseFile(t testing.TB, path string) ([]view, []*Conn) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := grammar.NewScanner(f)
	tr := NewTracker()
	var out []view
	var done []*Conn
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		res := tr.Process(&r.Packet, r.Line)
		if res == nil {
			// a later fragment of no segment in the trace
			out = append(out, view{codes: "(no segment)"})
			continue
		}
		var codes, timing []string
		for _, e := range res.Events {
			if !formCodes[e.Code] {
				codes = append(codes, e.Code.String())
			}
			for _, k := range []Key{KeyIRTTUs, KeyGapUs, KeySinceUs} {
				if v, ok := e.Get(k); ok {
					timing = append(timing, fmt.Sprintf("%s=%d", k, v))
				}
			}
		}
		out = append(out, view{strings.Join(codes, " "), res.After[Client], res.After[Server], strings.Join(timing, " ")})
		done = append(done, tr.Due()...)
	}
	done = append(done, tr.Flush()...)
	return out, done
}

func captureNames(t testing.TB) []string {
	dirs, err := filepath.Glob(filepath.Join(capturesDir, "*", "nn+S.txt"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no captures in %s", capturesDir)
	}
	var names []string
	for _, d := range dirs {
		names = append(names, filepath.Base(filepath.Dir(d)))
	}
	sort.Strings(names)
	return names
}

// TestRendersAgree checks that every rendering of a capture gives the same
// events and states as its `-nn -S` rendering: with or without -S (relative
// numbers are undone), -v and -vv (the IP header on one or two lines), -e,
// -x, -X, -A (dumps pass through), -tttt, -ttt (delta times), -#, and host
// and port names; and the times: -ttt deltas, -ttttt offsets (told apart
// by the first lines), -# -ttt, -tt, -e -v give the same round trips and
// gaps as the time of day. -q prints no flags or numbers, so only the
// number of segments is compared.
func TestRendersAgree(t *testing.T) {
	all, _ := filepath.Glob(filepath.Join(capturesDir, "*", "*.txt"))
	sampled := sampleSet(t, "capture renders", all, 5)
	for _, name := range captureNames(t) {
		ref, _ := analyseFile(t, filepath.Join(capturesDir, name, "nn+S.txt"))
		renders, _ := filepath.Glob(filepath.Join(capturesDir, name, "*.txt"))
		for _, path := range renders {
			if !sampled[path] {
				continue
			}
			render := strings.TrimSuffix(filepath.Base(path), ".txt")
			got, _ := analyseFile(t, path)
			if len(got) != len(ref) {
				t.Errorf("%s/%s: %d TCP records, nn+S has %d", name, render, len(got), len(ref))
				continue
			}
			if render == "nn+q" {
				continue
			}
			for i := range got {
				if _, ok := ambiguousTimes[name+"/"+render]; ok {
					got[i].timing = ref[i].timing
				}
				if got[i] != ref[i] {
					t.Errorf("%s/%s: packet %d: %v, nn+S: %v", name, render, i+1, got[i], ref[i])
					break
				}
			}
		}
	}
}

// ambiguousTimes lists the renders whose delta-form times the first lines
// cannot tell apart, with why: their notes say which reading was taken
// (trace.time_reading), and it is the other.
var ambiguousTimes = map[string]string{
	// 0, 1.007, 3.027, 7.279 s: four offsets that grow, or -ttt deltas of
	// a doubling retry schedule (the same capture's -ttt render is 0,
	// 1.007, 2.020, 4.252: growing too). Too few lines to call them
	// offsets: read as deltas, the common form.
	"syn-retry-exponential/nn+S+ttttt": "four growing times: -ttt's doubling gaps or -ttttt's offsets",
}

// tsharkCodes maps Wireshark's expert messages to the event codes that say
// the same thing.
var tsharkCodes = []struct {
	msg   string
	codes []Code
}{
	{"fast retransmission", []Code{FastRetransmission}},
	{"spurious retransmission", []Code{SpuriousRetransmission}},
	{"(suspected) retransmission", []Code{Retransmission, FastRetransmission, SpuriousRetransmission, HandshakeSYNRetransmit, HandshakeSYNACKRetransmit}},
	{"out-of-order", []Code{OutOfOrder}},
	{"Duplicate ACK", []Code{DupAck}},
	{"ACK to a TCP keep-alive", []Code{KeepaliveAck}},
	{"keep-alive segment", []Code{Keepalive, WindowProbe}},
	{"Zero Window segment", []Code{WindowZero}},
	{"Zero window probe", []Code{WindowProbe}},
	{"window update", []Code{WindowUpdate}},
	{"completely full", []Code{WindowFull}},
	{"previous segment not captured", []Code{LostSegment}},
	{"ACKed segment that wasn't captured", []Code{AckedUnseen}},
	{"same ports as an earlier session", []Code{TracePortsReused}},
}

// tsharkDisagreements lists where tcpnote and tshark differ, and why
// tcpnote is right (or why the difference is one of naming). Key:
// "capture frame".
var tsharkDisagreements = map[string]string{
	// Simultaneous open: Wireshark calls each SYN-ACK a retransmission of
	// the SYN that side sent before (same seq). It is the SYN-ACK of a
	// simultaneous open (RFC 9293 §3.5, figure 8), not a retransmission.
	"simultaneous-open 3": "SYN-ACK of a simultaneous open, not a retransmission",
	"simultaneous-open 4": "SYN-ACK of a simultaneous open, not a retransmission",
	// Wireshark compares the window of these ACKs with the SYN's, which is
	// never scaled (RFC 7323 §2.2), and calls them window updates; both
	// only carry a D-SACK for the duplicate SYN.
	"simultaneous-open 5": "the SYN's window is unscaled: no window update",
	"simultaneous-open 6": "the SYN's window is unscaled: no window update",
	// iptables dropped these segments after tcpdump saw them, so the trace
	// holds their originals: bytes already seen are a retransmission
	// whatever the timing (Wireshark's 3 ms out-of-order window; see
	// docs/tcp-reference.md §1.3).
	"loss-sack 70": "bytes already in the trace: a retransmission",
	"loss-sack 93": "bytes already in the trace: a retransmission",
	// The client answers each retransmitted SYN-ACK by repeating its
	// 3rd-handshake ACK (iptables dropped the earlier ones): Wireshark
	// counts it as a duplicate ACK, tcpnote names the handshake step.
	"synack-retry 5": "the 3rd handshake repeated, answering a retransmitted SYN-ACK",
	"synack-retry 7": "the 3rd handshake repeated, answering a retransmitted SYN-ACK",
	// the same for client B of a full accept queue
	"accept-queue-full 8":  "the 3rd handshake repeated, answering a retransmitted SYN-ACK",
	"accept-queue-full 10": "the 3rd handshake repeated, answering a retransmitted SYN-ACK",
	// A second SYN-ACK answering the same SYN (same ack) with another ISN:
	// Wireshark starts a new session; it is no new connection, and the
	// client answers it with an ACK of its unchanged numbers, which
	// Wireshark counts as a duplicate ACK.
	"crafted 4": "a second SYN-ACK for the same SYN, not a new session",
	"crafted 5": "the client's answer to an unacceptable SYN-ACK: it acknowledges nothing new",
	// a flagless byte on a 4-tuple a RST closed: a new record, no
	// earlier bytes of its own to repeat
	"crafted 10": "a new record after a RST: nothing of it was sent before",
	// Wireshark takes the injected RST's seq (2^31 beyond the client's
	// numbers) as the client's next sequence number, so every later
	// client segment looks like old bytes; the server ignored that RST.
	"crafted 20": "the ignored RST's seq is no sequence number the client used",
	"crafted 23": "the ignored RST's seq is no sequence number the client used",
	"crafted 26": "the ignored RST's seq is no sequence number the client used",
	"crafted 29": "the ignored RST's seq is no sequence number the client used",
	// a socket connected to itself sends its SYN-ACK with its own ISN:
	// the same seq as its SYN by design, not a retransmission
	"self-connect 2": "the SYN-ACK of a self-connect repeats the socket's ISN",
	"self-connect 3": "the SYN's window is unscaled: no window update",
	// tcpdump -i any on a host with a bridge: each segment passes br13
	// and the veth v13h microseconds apart and is captured twice.
	// Wireshark compares seq numbers only, not interfaces, and calls the
	// second copy a retransmission (a duplicate ACK for pure ACKs);
	// tcpnote sees the same fields on another interface within 1 ms: a
	// copy (any-bridge/truth.md).
	"any-bridge 2":  "the same segment on the other interface: a copy",
	"any-bridge 4":  "the same segment on the other interface: a copy",
	"any-bridge 6":  "the same segment on the other interface: a copy",
	"any-bridge 8":  "the same segment on the other interface: a copy",
	"any-bridge 10": "the same segment on the other interface: a copy",
	"any-bridge 12": "the same segment on the other interface: a copy",
	"any-bridge 14": "the same segment on the other interface: a copy",
	"any-bridge 16": "the same segment on the other interface: a copy",
	"any-bridge 18": "the same segment on the other interface: a copy",
	// The final ACK closes the connection; its copy arrives after the
	// connection was filed away (tracker.go's tomb keeps no last segment),
	// so it is read as a late ACK of the closed connection: no
	// retransmission and no count, but not named a copy either.
	"any-bridge 20": "a copy of the final ACK, after the close",
}

// TestTsharkSecondOpinion compares tcpnote's analysis events with tshark's
// expert analysis of the same pcap, packet by packet. Every disagreement
// must be listed, with its reason, in tsharkDisagreements.
func TestTsharkSecondOpinion(t *testing.T) {
	matched := 0
	for _, name := range captureNames(t) {
		tsv := filepath.Join(capturesDir, name, "tshark.tsv")
		rows := readTshark(t, tsv)
		if rows == nil {
			continue
		}
		views, _ := analyseFile(t, filepath.Join(capturesDir, name, "nn+S.txt"))
		if len(views) != len(rows) {
			t.Errorf("%s: %d TCP records, tshark has %d frames", name, len(views), len(rows))
			continue
		}
		for i, msg := range rows {
			key := fmt.Sprintf("%s %d", name, i+1)
			ours := " " + views[i].codes + " "
			var problems []string
			for _, m := range tsharkCodes {
				if !strings.Contains(msg, m.msg) {
					continue
				}
				found := false
				for _, c := range m.codes {
					if strings.Contains(ours, " "+c.String()+" ") {
						found = true
					}
				}
				if !found {
					problems = append(problems, fmt.Sprintf("tshark says %q, tcpnote has %q", m.msg, views[i].codes))
				}
				break
			}
			if len(problems) == 0 {
				matched++
				continue
			}
			if _, ok := tsharkDisagreements[key]; !ok {
				t.Errorf("%s: %s", key, strings.Join(problems, "; "))
			}
		}
	}
	t.Logf("%d packets agree with tshark", matched)
}

// readTshark returns the expert messages of each frame.
func readTshark(t testing.TB, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	col := -1
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if col < 0 {
			for i, c := range fs {
				if c == "_ws.expert.message" {
					col = i
				}
			}
			if col < 0 {
				t.Fatalf("%s: no _ws.expert.message column", path)
			}
			continue
		}
		msg := ""
		if col < len(fs) {
			msg = fs[col]
		}
		out = append(out, msg)
	}
	return out
}

// TestVersionsAgree checks that the same sessions rendered by tcpdump
// 3.7.2, 3.8.3, 3.9.4, 3.9.8, 4.0.0, 4.1.1 and 4.9.3 (testdata/corpus/
// rendered-versions) get the events and states of tcpdump 4.99.3's render
// of the same pcap with the same flags (testdata/corpus/rendered): classic
// single-letter flags, `first:last(len)`, `<…>` options and 4.0.0's missing
// seq are all read into the same TCP story.
func TestVersionsAgree(t *testing.T) {
	const corpus = "../testdata/corpus"
	versions, _ := filepath.Glob(filepath.Join(corpus, "rendered-versions", "tcpdump-*", "*.txt"))
	var comparable []string
	for _, path := range versions {
		if versionRef(path) != "" {
			comparable = append(comparable, path)
		}
	}
	compared := 0
	for _, path := range sample(t, "old-release renders", comparable, 5) {
		ref := versionRef(path)
		want, _ := analyseFile(t, ref)
		got, _ := analyseFile(t, path)
		if len(got) != len(want) {
			t.Errorf("%s: %d TCP records, 4.99.3 has %d", path, len(got), len(want))
			continue
		}
		for i := range got {
			got[i].timing, want[i].timing = "", "" // old -ttt forms are skipped, not all others
			if got[i] != want[i] {
				t.Errorf("%s: packet %d: %v, 4.99.3: %v", path, i+1, got[i], want[i])
				break
			}
		}
		compared++
	}
	if compared < 50 {
		t.Errorf("only %d version renders compared", compared)
	}
	t.Logf("%d renders by old tcpdump releases tell the same story as 4.99.3", compared)
}

// versionRef returns the 4.99.3 render that an old release's render of the
// same pcap with the same flags is compared with, or "" when there is none
// or the two cannot agree.
func versionRef(path string) string {
	const corpus = "../testdata/corpus"
	base := filepath.Base(path)
	// 4.99.3 spells -n as nn in the file names
	ref := filepath.Join(corpus, "rendered", strings.Replace(base, ".n.", ".nn.", 1))
	if strings.Contains(base, ".n+") {
		ref = filepath.Join(corpus, "rendered", strings.Replace(base, ".n+", ".nn+", 1))
	}
	if !fileExists(ref) || !sessionPcap(base) || strings.Contains(base, "+q") {
		return ""
	}
	if strings.HasSuffix(base, "+ttt.txt") && (strings.Contains(path, "tcpdump-4.0") || strings.Contains(path, "tcpdump-4.1") || strings.Contains(path, "tcpdump-3.")) {
		// Before 4.8, -ttt printed deltas without the leading space
		// that tells them from times of day (docs/tcpdump-formats.md §3.1):
		// `00:00:00.000056` reads as just after midnight, and the
		// next delta as time going backwards.
		return ""
	}
	return ref
}

// sessionPcap reports whether a corpus pcap holds whole TCP sessions (the
// others are collections of odd single packets for the parser).
func sessionPcap(name string) bool {
	for _, s := range []string{"synth-ipv4-session", "print-flags", "synth-ipv6", "synth-localhost", "ssh.", "tcp-handshake-nano", "ipv4_tcp_http_xml", "dns_tcp", "mptcp-fclose", "accecn_handshake", "tfo-"} {
		if strings.HasPrefix(name, s) {
			return true
		}
	}
	return false
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestAbsoluteNumbersMatchTshark checks the undoing of tcpdump's relative
// numbers: for every render of every capture, with -S or without, the
// absolute seq and ack tcpnote works out equal tshark's raw numbers.
func TestAbsoluteNumbersMatchTshark(t *testing.T) {
	checked, unknown := 0, 0
	all, _ := filepath.Glob(filepath.Join(capturesDir, "*", "*.txt"))
	// the relative render of an excerpt without its bases is always
	// checked: the count of numbers without a base must not be zero
	sampled := sampleSet(t, "capture renders", all, 5, filepath.Join("numbering-midstream-ack", "nn.txt"))
	for _, name := range captureNames(t) {
		want := readTsharkNumbers(t, filepath.Join(capturesDir, name, "tshark.tsv"))
		renders, _ := filepath.Glob(filepath.Join(capturesDir, name, "*.txt"))
		for _, path := range renders {
			if !sampled[path] {
				continue
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			s := grammar.NewScanner(f)
			tr := NewTracker()
			i := 0
			for s.Scan() {
				r := s.Record()
				if r.Kind != grammar.TCP {
					continue
				}
				res := tr.Process(&r.Packet, r.Line)
				tr.Due()
				if res == nil || r.Packet.Frag.Later {
					i++
					continue
				}
				if i < len(want) {
					// A relative number whose base is before the trace
					// has no absolute value here (numbering-midstream-ack):
					// it must be flagged and kept as printed, never
					// presented as some absolute number.
					f, o := &res.Conn.flows[res.From], &res.Conn.flows[res.From.Other()]
					if res.Relative && f.baseUnknown && r.Packet.HasSeq {
						if res.Seq != r.Packet.Seq {
							t.Errorf("%s/%s: packet %d: seq %d with no base in the trace became %d", name, filepath.Base(path), i+1, r.Packet.Seq, res.Seq)
						}
						unknown++
						r.Packet.HasSeq = false
					}
					if res.Relative && o.baseUnknown && r.Packet.HasAck {
						if res.Ack != r.Packet.Ack {
							t.Errorf("%s/%s: packet %d: ack %d with no base in the trace became %d", name, filepath.Base(path), i+1, r.Packet.Ack, res.Ack)
						}
						unknown++
						r.Packet.HasAck = false
					}
					if r.Packet.HasSeq && res.HasSeq && res.Seq != want[i][0] {
						t.Errorf("%s/%s: packet %d: absolute seq %d, tshark %d", name, filepath.Base(path), i+1, res.Seq, want[i][0])
					}
					if r.Packet.HasAck && res.HasAck && res.Ack != want[i][1] {
						t.Errorf("%s/%s: packet %d: absolute ack %d, tshark %d", name, filepath.Base(path), i+1, res.Ack, want[i][1])
					}
					checked++
				}
				i++
			}
			f.Close()
		}
	}
	t.Logf("%d packets' absolute numbers agree with tshark; %d relative numbers have no base in their trace", checked, unknown)
	if unknown == 0 {
		t.Errorf("no relative number without a base: numbering-midstream-ack should have some")
	}
}

// readTsharkNumbers returns each frame's raw seq and ack.
func readTsharkNumbers(t testing.TB, path string) [][2]uint32 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	col := map[string]int{}
	var out [][2]uint32
	var pending []int
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(col) == 0 {
			for i, c := range fs {
				col[c] = i
			}
			continue
		}
		seq, _ := strconv.ParseUint(fs[col["tcp.seq_raw"]], 10, 32)
		ack, _ := strconv.ParseUint(fs[col["tcp.ack_raw"]], 10, 32)
		if fs[col["tcp.flags.str"]] == "" {
			// an IP fragment before the last: tshark shows the
			// reassembled segment on the last one, tcpdump on the first
			pending = append(pending, len(out))
		} else if len(pending) > 0 {
			out[pending[0]] = [2]uint32{uint32(seq), uint32(ack)}
			pending = pending[:0]
		}
		out = append(out, [2]uint32{uint32(seq), uint32(ack)})
	}
	return out
}
