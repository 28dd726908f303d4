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

// TestBriefShapes: a shape is said in full the first time in a
// connection, then briefly; what has no shape is always full; -v's IP
// header and checksum come again only when they change or in the other
// direction.
func TestBriefShapes(t *testing.T) {
	var m memo
	steps := []struct {
		e    fsm.Event
		dir  fsm.Role
		want how
	}{
		{ev(fsm.Data, int64(fsm.KeyLen), 1448), fsm.Client, sayFull},
		{ev(fsm.Data, int64(fsm.KeyLen), 1448), fsm.Client, sayBrief},
		{ev(fsm.Data, int64(fsm.KeyLen), 10), fsm.Server, sayBrief}, // the kind, either way
		{ev(fsm.Data, int64(fsm.KeyLen), 1, int64(fsm.KeyUrgent), 1), fsm.Client, sayFull},
		{ev(fsm.Ack, int64(fsm.KeyAcked), 1448), fsm.Server, sayFull},
		{ev(fsm.Ack, int64(fsm.KeyAcked), 1448), fsm.Server, sayBrief},
		{ev(fsm.Ack, int64(fsm.KeyAcked), 0), fsm.Server, sayFull},
		// a delayed ACK is another shape: explained once too
		{ev(fsm.Ack, int64(fsm.KeyAcked), 5, int64(fsm.KeyGapUs), 40000, int64(fsm.KeyAckGap), int64(fsm.AckDelayed)), fsm.Server, sayFull},
		{ev(fsm.Ack, int64(fsm.KeyAcked), 5, int64(fsm.KeyGapUs), 41000, int64(fsm.KeyAckGap), int64(fsm.AckDelayed)), fsm.Server, sayBrief},
		// a run of duplicate ACKs: each #1 in full, #2 on once explained
		{ev(fsm.DupAck, int64(fsm.KeyCount), 1), fsm.Server, sayFull},
		{ev(fsm.DupAck, int64(fsm.KeyCount), 2), fsm.Server, sayFull},
		{ev(fsm.DupAck, int64(fsm.KeyCount), 3), fsm.Server, sayBrief},
		{ev(fsm.DupAck, int64(fsm.KeyCount), 1), fsm.Server, sayFull},
		// steps, anomalies, lint: full every time
		{ev(fsm.HandshakeSYN), fsm.Client, sayFull},
		{ev(fsm.HandshakeSYN), fsm.Client, sayFull},
		{ev(fsm.FastRetransmission), fsm.Client, sayFull},
		{ev(fsm.FastRetransmission), fsm.Client, sayFull},
		{ev(fsm.LintAckUnsent), fsm.Client, sayFull},
		{ev(fsm.LintAckUnsent), fsm.Client, sayFull},
		{ev(fsm.OptionSACK, int64(fsm.KeyDSACK), 1), fsm.Server, sayFull},
		{ev(fsm.OptionSACK, int64(fsm.KeyDSACK), 1), fsm.Server, sayFull},
		// -v: the IP header once, the other direction briefly, then only
		// when a field that stays along a path changes
		{ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 1), fsm.Client, sayFull},
		{ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 2), fsm.Client, sayNothing},
		{ev(fsm.IPHeader, int64(fsm.KeyTTL), 52, int64(fsm.KeyID), 7), fsm.Server, sayBrief},
		{ev(fsm.IPHeader, int64(fsm.KeyTTL), 64, int64(fsm.KeyID), 3), fsm.Client, sayNothing},
		{ev(fsm.IPHeader, int64(fsm.KeyTTL), 63, int64(fsm.KeyID), 4), fsm.Client, sayBrief},
		{ev(fsm.IPHeader, int64(fsm.KeyTTL), 63, int64(fsm.KeyID), 5, int64(fsm.KeyDF), 1), fsm.Client, sayBrief},
		{ev(fsm.ChecksumOffload), fsm.Client, sayFull},
		{ev(fsm.ChecksumOffload), fsm.Client, sayNothing},
		{ev(fsm.ChecksumOffload), fsm.Server, sayBrief},
		{ev(fsm.ChecksumOffload), fsm.Server, sayNothing},
	}
	for i, s := range steps {
		e := s.e
		if got := m.decide(&e, s.dir, false); got != s.want {
			t.Errorf("step %d: %s %v: got %d, want %d", i, e.Code, e.Args[:e.N], got, s.want)
		}
	}
	// the SYN options: the same ones again in a direction say nothing
	syn := &fsm.Result{From: fsm.Client, Events: []fsm.Event{ev(fsm.OptionMSS, int64(fsm.KeyMSS), 1460), ev(fsm.OptionSACKPermitted)}}
	if m.sameOptions(syn) || !m.sameOptions(syn) {
		t.Error("a retransmitted SYN's options are not the same as the first's")
	}
	syn.From = fsm.Server
	if m.sameOptions(syn) {
		t.Error("the other direction's options are the same as the first's")
	}
	syn.Events[0] = ev(fsm.OptionMSS, int64(fsm.KeyMSS), 1400)
	if m.sameOptions(syn) {
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
// nothing per record once a connection is known, brief or full.
func TestBriefTextAllocatesNothing(t *testing.T) {
	data, err := os.ReadFile("../testdata/captures/loss-sack/nn+S+v.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := grammar.NewScanner(bytes.NewReader(data))
	tr := fsm.NewTracker()
	w := bufio.NewWriterSize(io.Discard, 64<<10)
	for _, full := range []bool{false, true} {
		f := newText(w, Options{Lang: English, Verbose: true, Full: full})
		n := 0
		for s.Scan() && n < 20 {
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
				t.Errorf("full=%v line %d: %.1f allocations", full, rec.Line, a)
			}
		}
	}
}
