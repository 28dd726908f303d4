package annotate

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

func ev(code fsm.Code, args ...int64) fsm.Event {
	e := fsm.Event{Code: code}
	for i := 0; i+1 < len(args); i += 2 {
		e.Args[e.N] = fsm.Arg{Key: fsm.Key(args[i]), Val: args[i+1]}
		e.N++
	}
	return e
}

// TestBriefShapes: a shape is said in full the first time in the trace,
// then briefly, in its connection and in every other; what has no shape
// (an anomaly, a lint finding, a rare form) is always full; a duplicate
// ACK continuing its run is said in full once per connection; -v's IP
// header and checksum come again in a connection only when they change or
// in the other direction.
func TestBriefShapes(t *testing.T) {
	var m memos
	conns := [3]*fsm.Result{nil, {Conn: &fsm.Conn{ID: 1}}, {Conn: &fsm.Conn{ID: 2}}}
	cur := 0
	synack := func(args ...int64) fsm.Event {
		return ev(fsm.HandshakeSYNACK, append([]int64{int64(fsm.KeyISN), 5000, int64(fsm.KeyAck), 1001, int64(fsm.KeyPeerISN), 1000}, args...)...)
	}
	steps := []struct {
		conn int
		e    fsm.Event
		dir  fsm.Role
		want how
	}{
		{1, ev(fsm.Data, int64(fsm.KeyLen), 1448), fsm.Client, sayFull},
		{1, ev(fsm.Data, int64(fsm.KeyLen), 1448), fsm.Client, sayBrief},
		{1, ev(fsm.Data, int64(fsm.KeyLen), 10), fsm.Server, sayBrief}, // the kind, either way
		{1, ev(fsm.Data, int64(fsm.KeyLen), 1, int64(fsm.KeyUrgent), 1), fsm.Client, sayFull},
		{1, ev(fsm.Ack, int64(fsm.KeyAcked), 1448), fsm.Server, sayFull},
		{1, ev(fsm.Ack, int64(fsm.KeyAcked), 1448), fsm.Server, sayBrief},
		{1, ev(fsm.Ack, int64(fsm.KeyAcked), 0), fsm.Server, sayFull},
		// a delayed ACK is another shape: explained once too
		{1, ev(fsm.Ack, int64(fsm.KeyAcked), 5, int64(fsm.KeyGapUs), 40000, int64(fsm.KeyAckGap), int64(fsm.AckDelayed)), fsm.Server, sayFull},
		{1, ev(fsm.Ack, int64(fsm.KeyAcked), 5, int64(fsm.KeyGapUs), 41000, int64(fsm.KeyAckGap), int64(fsm.AckDelayed)), fsm.Server, sayBrief},
		// a run of duplicate ACKs: each #1 in full, #2 on once explained
		{1, ev(fsm.DupAck, int64(fsm.KeyCount), 1), fsm.Server, sayFull},
		{1, ev(fsm.DupAck, int64(fsm.KeyCount), 2), fsm.Server, sayFull},
		{1, ev(fsm.DupAck, int64(fsm.KeyCount), 3), fsm.Server, sayBrief},
		{1, ev(fsm.DupAck, int64(fsm.KeyCount), 1), fsm.Server, sayFull},
		// the steps: explained once in the trace
		{1, ev(fsm.HandshakeSYN, int64(fsm.KeyISN), 1000), fsm.Client, sayFull},
		{1, ev(fsm.HandshakeSYN, int64(fsm.KeyISN), 1000), fsm.Client, sayBrief},
		{1, synack(), fsm.Server, sayFull},
		{1, synack(), fsm.Server, sayBrief},
		// … but a SYN-ACK that does not answer the SYN is a finding
		{1, synack(int64(fsm.KeyExpected), 1001), fsm.Server, sayFull},
		{1, synack(int64(fsm.KeyExpected), 1001), fsm.Server, sayFull},
		// anomalies, lint: full every time
		{1, ev(fsm.FastRetransmission), fsm.Client, sayFull},
		{1, ev(fsm.FastRetransmission), fsm.Client, sayFull},
		{1, ev(fsm.LintAckUnsent), fsm.Client, sayFull},
		{1, ev(fsm.LintAckUnsent), fsm.Client, sayFull},
		{1, ev(fsm.OptionSACK, int64(fsm.KeyDSACK), 1), fsm.Server, sayFull},
		{1, ev(fsm.OptionSACK, int64(fsm.KeyDSACK), 1), fsm.Server, sayFull},
		// -v: the IP header once, the other direction briefly, then only
		// when a field that stays along a path changes
		{1, ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 1), fsm.Client, sayFull},
		{1, ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 2), fsm.Client, sayNothing},
		{1, ev(fsm.IPHeader, int64(fsm.KeyTTL), 52, int64(fsm.KeyID), 7), fsm.Server, sayBrief},
		{1, ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 3), fsm.Client, sayNothing},
		{1, ev(fsm.IPHeader, int64(fsm.KeyTTL), 63, int64(fsm.KeyID), 4), fsm.Client, sayBrief},
		{1, ev(fsm.IPHeader, int64(fsm.KeyTTL), 63, int64(fsm.KeyID), 5, int64(fsm.KeyDF), 1), fsm.Client, sayBrief},
		{1, ev(fsm.ChecksumOffload), fsm.Client, sayFull},
		{1, ev(fsm.ChecksumOffload), fsm.Client, sayNothing},
		{1, ev(fsm.ChecksumOffload), fsm.Server, sayBrief},
		{1, ev(fsm.ChecksumOffload), fsm.Server, sayNothing},
		// another connection: what the trace has explained stays brief
		{2, ev(fsm.HandshakeSYN, int64(fsm.KeyISN), 7000), fsm.Client, sayBrief},
		{2, ev(fsm.Data, int64(fsm.KeyLen), 12), fsm.Client, sayBrief},
		{2, ev(fsm.Ack, int64(fsm.KeyAcked), 12), fsm.Server, sayBrief},
		{2, ev(fsm.CloseFinalAck), fsm.Client, sayFull}, // first in the trace
		{2, ev(fsm.CloseFinalAck), fsm.Client, sayBrief},
		// an anomaly's run is explained again in each connection
		{2, ev(fsm.DupAck, int64(fsm.KeyCount), 2), fsm.Server, sayFull},
		{2, ev(fsm.DupAck, int64(fsm.KeyCount), 3), fsm.Server, sayBrief},
		{2, ev(fsm.FastRetransmission), fsm.Client, sayFull},
		// -v: a connection's IP header and checksum once each way, briefly
		{2, ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 1), fsm.Client, sayBrief},
		{2, ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 2), fsm.Client, sayNothing},
		{2, ev(fsm.ChecksumOffload), fsm.Client, sayBrief},
		{2, ev(fsm.ChecksumOffload), fsm.Client, sayNothing},
	}
	for i, s := range steps {
		if s.conn != cur {
			if cur != 0 {
				m.keep(conns[cur])
			}
			cur = s.conn
			m.recall(conns[cur])
		}
		e := s.e
		if got := m.decide(&e, s.dir, false); got != s.want {
			t.Errorf("step %d (#%d): %s %v: got %d, want %d", i, s.conn, e.Code, e.Args[:e.N], got, s.want)
		}
	}
	// the SYN options: the same ones again in a direction say nothing
	syn := &fsm.Result{From: fsm.Client, Events: []fsm.Event{ev(fsm.OptionMSS, int64(fsm.KeyMSS), 1460), ev(fsm.OptionSACKPermitted)}}
	if m.cur.sameOptions(syn) || !m.cur.sameOptions(syn) {
		t.Error("a retransmitted SYN's options are not the same as the first's")
	}
	syn.From = fsm.Server
	if m.cur.sameOptions(syn) {
		t.Error("the other direction's options are the same as the first's")
	}
	syn.Events[0] = ev(fsm.OptionMSS, int64(fsm.KeyMSS), 1400)
	if m.cur.sameOptions(syn) {
		t.Error("another MSS is the same options")
	}
}

// TestOnlyFromVocabulary: --only's sets follow the vocabulary: notable is
// every anomaly and every step of opening, closing and resetting; the
// anomalies are the vocabulary's warnings, and include what the issue
// names.
func TestOnlyFromVocabulary(t *testing.T) {
	for _, c := range []fsm.Code{fsm.Retransmission, fsm.FastRetransmission, fsm.SpuriousRetransmission,
		fsm.HandshakeSYNRetransmit, fsm.DupAck, fsm.LostSegment, fsm.AckedUnseen, fsm.WindowZero,
		fsm.WindowProbe, fsm.OutOfOrder, fsm.WindowFull, fsm.LintAckUnsent, fsm.LintSeqLength, fsm.TraceUnreadable} {
		if !Anomaly(c) {
			t.Errorf("%s is not an anomaly", c)
		}
	}
	for _, c := range []fsm.Code{fsm.Data, fsm.Ack, fsm.WindowUpdate, fsm.OptionMSS, fsm.TraceRelativeSeq, fsm.Keepalive} {
		if Anomaly(c) || Step(c) {
			t.Errorf("%s is notable", c)
		}
	}
	for _, c := range []fsm.Code{fsm.HandshakeSYN, fsm.CloseFinalAck, fsm.RSTAbort, fsm.CloseHalf} {
		if !Step(c) {
			t.Errorf("%s is not a step", c)
		}
	}
	data := &fsm.Result{Events: []fsm.Event{ev(fsm.Data)}}
	fin := &fsm.Result{Events: []fsm.Event{ev(fsm.CloseFIN)}}
	moved := &fsm.Result{Before: [2]fsm.State{fsm.Unknown, fsm.Unknown}, After: [2]fsm.State{fsm.Established, fsm.Established}, Events: []fsm.Event{ev(fsm.Data)}}
	dup := &fsm.Result{Events: []fsm.Event{ev(fsm.Ack), ev(fsm.DupAck)}}
	for _, c := range []struct {
		o    Only
		r    *fsm.Result
		want bool
	}{
		{OnlyAll, data, true}, {OnlyNotable, data, false}, {OnlyAnomalies, data, false},
		{OnlyNotable, fin, true}, {OnlyAnomalies, fin, false},
		{OnlyNotable, moved, true}, {OnlyAnomalies, moved, false},
		{OnlyNotable, dup, true}, {OnlyAnomalies, dup, true},
	} {
		if got := c.o.keeps(c.r); got != c.want {
			t.Errorf("--only %s keeps %v: %v", c.o, c.r.Events, got)
		}
	}
	for _, s := range []string{"all", "notable", "anomalies"} {
		if o, err := ParseOnly(s); err != nil || o.String() != s {
			t.Errorf("ParseOnly(%q) = %s, %v", s, o, err)
		}
	}
	if _, err := ParseOnly("loud"); err == nil {
		t.Error("--only loud accepted")
	}
}

// TestOnlyDoc: docs/engineer.md lists exactly the codes --only chooses.
func TestOnlyDoc(t *testing.T) {
	doc, err := os.ReadFile("../docs/engineer.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := func(heading string) map[string]bool {
		i := bytes.Index(doc, []byte(heading))
		if i < 0 {
			t.Fatalf("docs/engineer.md has no %q", heading)
		}
		rest := doc[i+len(heading):]
		if j := bytes.Index(rest, []byte("\n#")); j >= 0 {
			rest = rest[:j]
		}
		set := map[string]bool{}
		for _, l := range strings.Split(string(rest), "\n") {
			if strings.HasPrefix(l, "- `") {
				set[strings.SplitN(l[3:], "`", 2)[0]] = true
			}
		}
		return set
	}
	anomalies, steps := listed("### Anomalies"), listed("### Steps")
	for _, c := range fsm.Codes() {
		name := c.Spec().Name
		if Anomaly(c) != anomalies[name] {
			t.Errorf("docs/engineer.md: %s listed as an anomaly: %v, is one: %v", name, anomalies[name], Anomaly(c))
		}
		if st := Step(c) && !Anomaly(c); st != steps[name] {
			t.Errorf("docs/engineer.md: %s listed as a step: %v, is one: %v", name, steps[name], st)
		}
	}
}

// TestBriefTextAllocatesNothing: the text path with its memory allocates
// nothing per record once a connection is known, brief or full: on a loss
// trace, and on many connections, whose steps are brief after the first
// (the trace's memory) and whose inferences say "(inferred)".
func TestBriefTextAllocatesNothing(t *testing.T) {
	for _, name := range []string{"loss-sack/nn+S+v.txt", "interleaved-200/nn+S+v.txt"} {
		data, err := os.ReadFile("../testdata/captures/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(io.Discard, 64<<10)
		for _, full := range []bool{false, true} {
			s := grammar.NewScanner(bytes.NewReader(data))
			tr := fsm.NewTracker()
			f := newText(w, Options{Lang: English, Verbose: true, Full: full})
			n := 0
			for s.Scan() && n < 40 {
				rec := s.Record()
				if rec.Kind != grammar.TCP {
					continue
				}
				res := tr.Process(&rec.Packet, rec.Line)
				if res == nil {
					continue
				}
				n++
				f.Record(rec, res) // the connection's memory is made
				if a := testing.AllocsPerRun(20, func() { f.Record(rec, res) }); a != 0 {
					t.Errorf("%s full=%v line %d: %.1f allocations", name, full, rec.Line, a)
				}
			}
		}
	}
}

// twoConns is a trace of two connections one after the other: the first
// is annotate's three-way-close capture, the second the same exchange
// with other ports and ISNs (client 1000, server 5000).
const twoConns = `23:54:59.216897 IP 127.0.0.1.59156 > 127.0.0.1.6801: Flags [S], seq 3669053397, win 65495, options [mss 65495,sackOK,TS val 3313851319 ecr 0,nop,wscale 10], length 0
23:54:59.216909 IP 127.0.0.1.6801 > 127.0.0.1.59156: Flags [S.], seq 2437695168, ack 3669053398, win 65483, options [mss 65495,sackOK,TS val 2952320085 ecr 3313851319,nop,wscale 10], length 0
23:54:59.216921 IP 127.0.0.1.59156 > 127.0.0.1.6801: Flags [.], ack 2437695169, win 64, options [nop,nop,TS val 3313851319 ecr 2952320085], length 0
23:54:59.216983 IP 127.0.0.1.59156 > 127.0.0.1.6801: Flags [P.], seq 3669053398:3669053404, ack 2437695169, win 64, options [nop,nop,TS val 3313851319 ecr 2952320085], length 6
23:54:59.216988 IP 127.0.0.1.6801 > 127.0.0.1.59156: Flags [.], ack 3669053404, win 64, options [nop,nop,TS val 2952320085 ecr 3313851319], length 0
23:54:59.217076 IP 127.0.0.1.59156 > 127.0.0.1.6801: Flags [F.], seq 3669053404, ack 2437695169, win 64, options [nop,nop,TS val 3313851319 ecr 2952320085], length 0
23:54:59.217090 IP 127.0.0.1.6801 > 127.0.0.1.59156: Flags [F.], seq 2437695169, ack 3669053405, win 64, options [nop,nop,TS val 2952320085 ecr 3313851319], length 0
23:54:59.217099 IP 127.0.0.1.59156 > 127.0.0.1.6801: Flags [.], ack 2437695170, win 64, options [nop,nop,TS val 3313851319 ecr 2952320085], length 0
23:55:00.100000 IP 127.0.0.1.59170 > 127.0.0.1.6801: Flags [S], seq 1000, win 65495, options [mss 65495,sackOK,TS val 3313852203 ecr 0,nop,wscale 10], length 0
23:55:00.100010 IP 127.0.0.1.6801 > 127.0.0.1.59170: Flags [S.], seq 5000, ack 1001, win 65483, options [mss 65495,sackOK,TS val 2952320969 ecr 3313852203,nop,wscale 10], length 0
23:55:00.100020 IP 127.0.0.1.59170 > 127.0.0.1.6801: Flags [.], ack 5001, win 64, options [nop,nop,TS val 3313852203 ecr 2952320969], length 0
23:55:00.100080 IP 127.0.0.1.59170 > 127.0.0.1.6801: Flags [P.], seq 1001:1007, ack 5001, win 64, options [nop,nop,TS val 3313852203 ecr 2952320969], length 6
23:55:00.100085 IP 127.0.0.1.6801 > 127.0.0.1.59170: Flags [.], ack 1007, win 64, options [nop,nop,TS val 2952320969 ecr 3313852203], length 0
23:55:00.100170 IP 127.0.0.1.59170 > 127.0.0.1.6801: Flags [F.], seq 1007, ack 5001, win 64, options [nop,nop,TS val 3313852203 ecr 2952320969], length 0
23:55:00.100180 IP 127.0.0.1.6801 > 127.0.0.1.59170: Flags [F.], seq 5001, ack 1008, win 64, options [nop,nop,TS val 2952320969 ecr 3313852203], length 0
23:55:00.100190 IP 127.0.0.1.59170 > 127.0.0.1.6801: Flags [.], ack 5002, win 64, options [nop,nop,TS val 3313852203 ecr 2952320969], length 0
`

// notesOf renders a trace as text and returns each packet's note ("" for
// a packet without one), in order.
func notesOf(t *testing.T, o Options, trace string) []string {
	t.Helper()
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	f := newText(w, o)
	s := grammar.NewScanner(strings.NewReader(trace))
	tr := fsm.NewTracker()
	for s.Scan() {
		rec := s.Record()
		var res *fsm.Result
		if rec.Kind == grammar.TCP {
			res = tr.Process(&rec.Packet, rec.Line)
		}
		if err := f.Record(rec, res); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	w.Flush()
	var notes []string
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, Marker):
			notes[len(notes)-1] = strings.TrimPrefix(l, Marker)
		default:
			notes = append(notes, "")
		}
	}
	return notes
}

// TestBriefAcrossConnections: in every language the first connection of a
// trace is explained in full and the second briefly, with its own numbers,
// step names, state changes and the mark of an inference; --full says the
// second as the first.
func TestBriefAcrossConnections(t *testing.T) {
	const first, second = 0, 8 // the two SYNs
	// the steps of each connection's packets, by the labels of a diagram
	steps := [8]fsm.Code{fsm.HandshakeSYN, fsm.HandshakeSYNACK, fsm.HandshakeACK, 0, 0, 0, 0, fsm.CloseFinalAck}
	for _, lang := range Langs() {
		l := lang.text()
		why := l.Words.States.Why[fsm.WhyAnswersSYN]
		brief := notesOf(t, Options{Lang: lang}, twoConns)
		full := notesOf(t, Options{Lang: lang, Full: true}, twoConns)
		if len(brief) != 16 || len(full) != 16 {
			t.Fatalf("%s: %d and %d packets", lang, len(brief), len(full))
		}
		for i := range 8 {
			a, b := brief[first+i], brief[second+i]
			if a == "" || b == "" {
				t.Errorf("%s: packet %d: no note: %q, %q", lang, i, a, b)
				continue
			}
			if len(b) >= len(a) {
				t.Errorf("%s: packet %d of the second connection is not briefer:\n%s\n%s", lang, i, a, b)
			}
			// the step's name is said both times
			if c := steps[i]; c != 0 && (!strings.Contains(a, l.Steps[c]) || !strings.Contains(b, l.Steps[c])) {
				t.Errorf("%s: packet %d: the step %q is not named: %s / %s", lang, i, l.Steps[c], a, b)
			}
			// --full: the second connection in full, as the first
			if full[second+i] == b {
				t.Errorf("%s: packet %d: --full is brief: %q", lang, i, b)
			}
		}
		// the SYN-ACK: the arithmetic stays, its reason goes; the
		// inference keeps its mark, its evidence is given once
		a, b := brief[first+1], brief[second+1]
		for _, want := range []string{"3669053398 = ", "3669053397 + 1", why} {
			if !strings.Contains(a, want) {
				t.Errorf("%s: the first SYN-ACK lacks %q: %s", lang, want, a)
			}
		}
		for _, want := range []string{"ISN = 5000", "1001 = ", "1000 + 1", "LISTEN → SYN_RCVD" + l.Words.States.InferredShort, "SYN_SENT → ESTABLISHED"} {
			if lang == English && want == "ISN = 5000" {
				want = "ISN 5000"
			}
			if !strings.Contains(b, want) {
				t.Errorf("%s: the second SYN-ACK lacks %q: %s", lang, want, b)
			}
		}
		if strings.Contains(b, why) {
			t.Errorf("%s: the second SYN-ACK gives the evidence again: %s", lang, b)
		}
		if !strings.Contains(full[second+1], why) {
			t.Errorf("%s: --full leaves the evidence out: %s", lang, full[second+1])
		}
		// the data: its length, nothing of what data is
		if b := brief[second+3]; !strings.Contains(b, "6 ") || strings.Contains(b, "1001:1007") {
			t.Errorf("%s: the second data note: %s", lang, b)
		}
		// the final ACK: the arithmetic and TIME_WAIT, not why TIME_WAIT
		if b := brief[second+7]; !strings.Contains(b, "5002 = FIN 5001 + 1") || !strings.Contains(b, "TIME_WAIT") || !strings.Contains(b, "LAST_ACK → CLOSED") {
			t.Errorf("%s: the second final ACK: %s", lang, b)
		}
	}
}

// TestBriefFormsAreNotAnomalies: every event that has a shape has a brief
// form, and none is an anomaly or a lint finding but a duplicate ACK that
// continues its run (said in full once per connection).
func TestBriefFormsAreNotAnomalies(t *testing.T) {
	for _, c := range fsm.Codes() {
		eachEvent(c, func(e *fsm.Event) {
			s := shapeOf(e)
			if s == shNone {
				return
			}
			if briefComposers[c] == nil {
				t.Errorf("%s has a shape but no brief form", c)
			}
			if Anomaly(c) && c != fsm.DupAck {
				t.Errorf("%s %v: an anomaly said briefly", c, e.Args[:e.N])
			}
		})
	}
}
